"""The mailing form: one form holds the audience (as applied), the draft and the confirm step.

Applying a filter, switching the audience or picking a person posts this same form, so the
subject and text written so far are never lost.
"""

from __future__ import annotations

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from mailing.models import FILTER_AUDIENCES, Audience
from mailing.selectors import clean_filter_params

SUBJECT_MAX = 200
#: The same limits as the API's.
BODY_TEXT_MAX = 100_000
BODY_HTML_MAX = 200_000


class MailingForm(forms.Form):
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices)
    # The filter as applied (a query string such as "sum_min=100000&post=3"): what the preview
    # showed and what the send uses. The filter boxes the sender types in are separate
    # ("f-…" fields) and become this only when applied.
    filter_query = forms.CharField(required=False, widget=forms.HiddenInput, max_length=5000)
    person = forms.IntegerField(label=_("Person (id)"), required=False, min_value=1, widget=forms.HiddenInput)
    email = forms.CharField(label=_("Email address"), required=False, max_length=254)
    address_name = forms.CharField(label=_("Name for {{ name }}"), required=False, max_length=200)
    # Header-injection and placeholder checks happen in the service; the form bounds length.
    subject = forms.CharField(
        label=_("Subject"),
        max_length=SUBJECT_MAX + 1,
        strip=False,
        required=False,
        widget=forms.TextInput(attrs={"maxlength": SUBJECT_MAX}),
    )
    body_text = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 10, "maxlength": BODY_TEXT_MAX}),
        required=False,
        strip=False,
        max_length=BODY_TEXT_MAX,
    )
    body_html = forms.CharField(
        label=_("HTML (optional)"),
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": BODY_HTML_MAX}),
        required=False,
        strip=False,
        max_length=BODY_HTML_MAX,
    )
    confirm_count = forms.IntegerField(required=False, widget=forms.HiddenInput)
    confirm_key = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)

    def filter_params(self) -> dict:
        data = self.cleaned_data
        audience = data.get("audience")
        if audience in FILTER_AUDIENCES:
            return clean_filter_params(QueryDict(data.get("filter_query") or ""))
        if audience in (Audience.WORKER, Audience.CLIENT):
            return {"id": data.get("person")} if data.get("person") else {}
        return {"email": (data.get("email") or "").strip(), "name": (data.get("address_name") or "").strip()}

    def content(self) -> dict:
        data = self.cleaned_data
        return {"subject": data["subject"], "body_text": data["body_text"], "body_html": data["body_html"]}
