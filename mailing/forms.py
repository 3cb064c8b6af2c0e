"""The mailing form: content plus the audience, which the services validate and resolve."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mailing.models import Audience
from mailing.services import SUBJECT_MAX


class MailingForm(forms.Form):
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices)
    # The list-page filter as a query string (e.g. "sum_min=100000&post=3"), carried unchanged
    # from the GET page to the POST so the preview and the send use the very same filter.
    filter_query = forms.CharField(required=False, widget=forms.HiddenInput)
    person = forms.IntegerField(label=_("Person (id)"), required=False, min_value=1)
    email = forms.CharField(label=_("Email address"), required=False, max_length=254)
    address_name = forms.CharField(label=_("Name for {{ name }}"), required=False, max_length=200)
    # Header-injection and placeholder checks happen in the service; the form only bounds length
    # (one more than allowed, so the service's clear message is what the user sees).
    subject = forms.CharField(label=_("Subject"), max_length=SUBJECT_MAX + 1, strip=False)
    body_text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 10}), required=False, strip=False)
    body_html = forms.CharField(
        label=_("HTML (optional)"), widget=forms.Textarea(attrs={"rows": 6}), required=False, strip=False
    )
    confirm_count = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def filter_params(self) -> dict:
        from django.http import QueryDict

        from mailing.selectors import clean_filter_params

        data = self.cleaned_data
        audience = data.get("audience")
        if audience in (Audience.WORKERS, Audience.CLIENTS):
            return clean_filter_params(QueryDict(data.get("filter_query") or ""))
        if audience in (Audience.WORKER, Audience.CLIENT):
            return {"id": data.get("person")} if data.get("person") else {}
        return {"email": (data.get("email") or "").strip(), "name": (data.get("address_name") or "").strip()}

    def content(self) -> dict:
        data = self.cleaned_data
        return {"subject": data["subject"], "body_text": data["body_text"], "body_html": data["body_html"]}
