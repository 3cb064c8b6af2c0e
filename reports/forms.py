"""The reports' filter form: every value is validated here before it becomes an SQL parameter."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from corpnet.forms import LocalizedDateField
from orders.models import OrderStatus
from reports.selectors import DEFAULT_TOP, ReportFilters
from staff.models import Post

#: Dates outside this range are refused: nobody reports on them, and converting the very first
#: or last representable day to UTC would overflow.
MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(9998, 12, 31)
MAX_TOP = 100

RANK_CHOICES = [
    ("total", _("Total order volume")),
    ("active", _("Active order volume")),
    ("deposit", _("Deposit")),
]


class ReportFilterForm(forms.Form):
    # Typed as the page shows dates (31.12.2026 in Russian) or ISO; see corpnet/forms.py.
    date_from = LocalizedDateField(
        label=_("Orders from"),
        required=False,
        validators=[MinValueValidator(MIN_DATE), MaxValueValidator(MAX_DATE)],
    )
    date_to = LocalizedDateField(
        label=_("to"),
        required=False,
        validators=[MinValueValidator(MIN_DATE), MaxValueValidator(MAX_DATE)],
    )
    post = forms.ModelChoiceField(
        label=_("Executor's post"), queryset=Post.objects.all(), required=False, empty_label=_("Any post")
    )
    status = forms.MultipleChoiceField(
        label=_("Status"),
        choices=OrderStatus.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every status."),
    )
    top = forms.IntegerField(
        label=_("Top"),
        required=False,
        min_value=1,
        max_value=MAX_TOP,
        widget=forms.NumberInput(attrs={"placeholder": DEFAULT_TOP, "style": "width: 5em"}),
    )
    rank = forms.ChoiceField(label=_("Rank clients by"), choices=RANK_CHOICES, required=False)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned

    def report_filters(self) -> ReportFilters:
        """The filters to run: the valid fields, and the defaults in place of any invalid one.

        Call after ``is_valid()``; an invalid field is absent from ``cleaned_data`` and so is
        simply not applied (the page shows why next to the field).
        """
        data = getattr(self, "cleaned_data", {})
        post = data.get("post")
        return ReportFilters(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            post_id=post.pk if post else None,
            statuses=tuple(data.get("status") or ()),
            top=data.get("top") or DEFAULT_TOP,
            rank_clients_by=data.get("rank") or "total",
        )
