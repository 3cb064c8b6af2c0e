"""Forms for the client pages: they check the shape of the input; clients/services.py the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from clients.models import Client
from corpnet.forms import MoneyFormField
from corpnet.validators import validate_deliverable_email
from staff.forms import check_phone

FIELDS = ("lastname", "name", "email", "phone", "sum", "mailing_opt_out")


class ClientForm(forms.Form):
    lastname = forms.CharField(label=_("Last name"), max_length=100)
    name = forms.CharField(label=_("Name"), max_length=100)
    email = forms.EmailField(label=_("Email"), max_length=254, validators=[validate_deliverable_email])
    phone = forms.CharField(
        label=_("Phone"), max_length=40, help_text=_("Any usual format, e.g. 8 916 123-45-67 or +7 916 123 45 67.")
    )
    # Typed as the page shows sums: "1 000,50" in Russian (corpnet/forms.py).
    sum = MoneyFormField(label=_("Deposit"))
    mailing_opt_out = forms.BooleanField(
        label=_("Opted out of mailings"),
        required=False,
        help_text=_("Never include this client in mailings sent to a filtered audience."),
    )
    # The version the form was rendered from: a save based on an older one is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_phone(self) -> str:
        return check_phone(self.cleaned_data["phone"])

    @classmethod
    def for_client(cls, client: Client, **kwargs) -> ClientForm:
        initial = {name: getattr(client, name) for name in FIELDS}
        initial["phone"] = client.phone.as_international if client.phone else ""
        initial["version"] = client.version
        return cls(initial=initial, **kwargs)

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in FIELDS}
