"""Forms for the staff pages: they check the shape of the input; the services check the rules.

Rules that need the database (unique email, a post still existing, a stale version, an
order still referring to a worker) live in ``staff/services.py`` so the admin and the API
obey them too. A service's ``ValidationError`` is put back onto the form with
``add_service_errors`` so it appears next to the field it is about.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _
from phonenumber_field.phonenumber import to_python as parse_phone

from corpnet.validators import validate_deliverable_email
from staff.models import Post, Worker


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's refusal on ``form``: field errors next to fields, the rest on top."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.message_dict.items():
        name = field.removesuffix("_id")
        form.add_error(name if name in form.fields and field != NON_FIELD_ERRORS else None, errors)


def check_phone(value: str) -> str:
    """Refuse a phone number the model would refuse, while the form's other fields are checked,
    so that every error shows at once (the model checks it again on save)."""
    number = parse_phone(value, region=settings.PHONENUMBER_DEFAULT_REGION)
    if not number or not number.is_valid():
        raise ValidationError(
            _("Enter a valid phone number, e.g. 8 916 123-45-67 or +7 916 123 45 67."), code="invalid"
        )
    return value


class WorkerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    phone = forms.CharField(
        label=_("Phone"), max_length=40, help_text=_("Any usual format, e.g. 8 916 123-45-67 or +7 916 123 45 67.")
    )
    email = forms.EmailField(label=_("Email"), max_length=254, validators=[validate_deliverable_email])
    post = forms.ModelChoiceField(label=_("Post"), queryset=Post.objects.all())
    # The version the form was rendered from: a save based on an older one is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_phone(self) -> str:
        return check_phone(self.cleaned_data["phone"])

    @classmethod
    def for_worker(cls, worker: Worker, **kwargs) -> WorkerForm:
        initial = {
            "name": worker.name,
            "phone": worker.phone.as_international if worker.phone else "",
            "email": worker.email,
            "post": worker.post_id,
            "version": worker.version,
        }
        return cls(initial=initial, **kwargs)

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("name", "phone", "email", "post")}


class PostForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class HandOverForm(forms.Form):
    """Whom a worker's active orders go to (reassign, or dismiss with active orders)."""

    to = forms.ModelChoiceField(label=_("Hand active orders over to"), queryset=Worker.objects.none(), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, worker: Worker, **kwargs) -> None:
        kwargs.setdefault("initial", {}).setdefault("version", worker.version)
        super().__init__(*args, **kwargs)
        # Only current staff can take orders over; the worker handing over is left out.
        field = self.fields["to"]
        field.queryset = Worker.objects.current().exclude(pk=worker.pk).select_related("post")
        field.label_from_instance = lambda w: f"{w.name} — {w.post.title}"
