"""Filter building blocks every app's FilterSet shares.

Each list page, its CSV export, the mailing audience and the API use one FilterSet per
model (``<app>/filters.py``), built from these pieces, so ``?name=иванов&id=3`` means the
same everywhere. Bad input never raises: an invalid value becomes a form error shown next
to its field (pages) or a 400 with that message (API), and the filter is not applied.
"""

from __future__ import annotations

import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from corpnet.forms import LocalizedDateField, MoneyFormField
from corpnet.text import normalize_search

#: More ids than this in one filter is not a lookup but a dump; refused with a message.
MAX_IDS = 500
#: Free-text filter values are cut to this length: nobody types a 10 KB name.
MAX_TEXT = 200


class CommaListInput(forms.TextInput):
    """A text box that also accepts a repeated parameter: ``?id=1&id=2`` or ``?id=1,2``."""

    def value_from_datadict(self, data, files, name):
        getlist = getattr(data, "getlist", None)
        values = getlist(name) if getlist else [data.get(name)]
        return ",".join(v for v in values if v)

    def format_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        return super().format_value(value)


class IdListField(forms.Field):
    widget = CommaListInput
    default_error_messages = {
        "invalid": _("Enter whole numbers separated by commas, e.g. 12, 15."),
        "too_many": _("At most %(max)d ids at a time."),
    }

    def to_python(self, value):
        if value in (None, ""):
            return []
        if isinstance(value, list | tuple):
            value = ",".join(str(v) for v in value)
        parts = [p for p in re.split(r"[\s,;]+", str(value)) if p]
        if any(not p.isdigit() or len(p) > 18 for p in parts):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if len(parts) > MAX_IDS:
            raise ValidationError(self.error_messages["too_many"], code="too_many", params={"max": MAX_IDS})
        return sorted({int(p) for p in parts})


class IdListFilter(django_filters.Filter):
    """``id`` (one or several): ``?id=3``, ``?id=3&id=7`` or ``?id=3,7``."""

    field_class = IdListField

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__in": value})


class SearchTextField(forms.CharField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", MAX_TEXT)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value and len(value) > MAX_TEXT:
            # Cut rather than refuse: a pasted paragraph still finds nothing, harmlessly.
            value = value[:MAX_TEXT]
        return value

    def validate(self, value):
        # max_length is enforced by cutting in to_python, not by an error.
        forms.Field.validate(self, value)

    def run_validators(self, value):
        # Only the NUL check: PostgreSQL refuses NUL in text, so it must not reach a query.
        if value and "\x00" in value:
            raise ValidationError(_("Null characters are not allowed."), code="null_characters_not_allowed")


class SafeModelMultipleChoiceField(django_filters.fields.ModelMultipleChoiceField):
    """Refuses ids the database cannot hold (SQLite overflows past 2**63) before querying."""

    def _check_values(self, value):
        for pk in value:
            text = str(pk).strip()
            if not text.isdigit() or len(text) > 18:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)


class SafeModelMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    """A choice among a few rows (posts), by id; an impossible id is a field error."""

    field_class = SafeModelMultipleChoiceField


class TextFilter(django_filters.CharFilter):
    """A free-text filter whose overlong input is cut, never an error or a slow query."""

    field_class = SearchTextField


#: A word of a query: letters and digits, with the hyphens and apostrophes inside names
#: ("Петров-Водкин", "д'Артаньян"), and a dot after it when typed (an initial: "В.В.").
#: Anything else separates words: spaces, commas, quotes and brackets pasted with a name
#: («Иванова», "Иванова", (Иванова)), a lone dash.
_WORD = re.compile(r"[\w'’-]+\.?")
#: At most this many words take part in a query; the rest are ignored (one LIKE per word).
MAX_WORDS = 8


def search_words(text: str | None) -> list[tuple[str, bool]]:
    """The words of a typed query, normalised like the ``search`` columns.

    Each is ``(word, initial)``: an *initial* — a single letter, or any word typed with a
    dot after it ("В.", "Вал.") — must begin a word of the name; any other word may be any
    fragment of it. "Иванова В.В." gives ``[("иванова", False), ("в", True), ("в", True)]``.
    """
    words = []
    for match in _WORD.finditer(normalize_search(text)):
        chunk = match.group()
        word = chunk.rstrip(".").strip("-'’")
        if word:
            words.append((word, chunk.endswith(".") or len(word) == 1))
    return words[:MAX_WORDS]


def word_condition(field: str, word: str, *, initial: bool) -> Q:
    """Where the normalised column ``field`` holds ``word`` (a fragment, or a word start)."""
    if not initial:
        return Q(**{f"{field}__contains": word})
    # The start of the text, or after a space or a hyphen ("Петров-Водкин").
    return (
        Q(**{f"{field}__startswith": word})
        | Q(**{f"{field}__contains": f" {word}"})
        | Q(**{f"{field}__contains": f"-{word}"})
    )


def words_condition(fields: str | list[str], text: str | None) -> Q | None:
    """The condition for a name typed the way people type it, or None for an empty query.

    Any word order, each word a fragment of any word of the name (last name, first name,
    patronymic) or, for initials, its beginning; case, "ё"/"е" and extra spaces do not
    matter. "Иванова В.", "Иванова В", "валерия иванова" and "ИВАНОВА вАЛ" all find
    "Иванова Валерия". Every word must match (AND); ``fields`` are alternatives (OR) for
    each word, so "иванов петр" across ``client__search|executor__search`` needs both words
    in one of them or each in either — see ``NormalizedSearchFilter``.

    Each word is one ``LIKE`` on the normalised column: the same on SQLite and PostgreSQL,
    where the trigram index serves every word and PostgreSQL intersects their bitmaps.
    """
    if isinstance(fields, str):
        fields = fields.split("|")
    condition = None
    for word, initial in search_words(text):
        alternatives = None
        for field in fields:
            q = word_condition(field, word, initial=initial)
            alternatives = q if alternatives is None else alternatives | q
        condition = alternatives if condition is None else condition & alternatives
    return condition


class NormalizedSearchFilter(TextFilter):
    """Name (or title) search on a model's normalised ``search`` column; see ``words_condition``.

    The query is normalised exactly like the column (``corpnet.text.normalize_search``),
    so "ИВАНОВ", "иванов" and "Иванов" match alike on SQLite and PostgreSQL, and its words
    may come in any order. ``field_name`` may name a column across a relation
    (``client__search``) or several, separated by ``|``.
    """

    def filter(self, qs, value):
        condition = words_condition(self.field_name, value)
        if condition is None:
            return qs
        return qs.filter(condition)


class OrderingFilter(django_filters.OrderingFilter):
    """django-filter's ``order_by``, where a choice may sort by several fields.

    ``groups`` maps a choice (its ``?order_by=`` value) to the fields it sorts by when
    ascending; descending reverses each of them. Sorting orders by a person keeps each
    person's orders together, newest first: ``client, -creation_date, -id`` sorts by the
    client's own ordering (lastname, name, id: the clients' name index) and then by the
    ``(client, active, creation_date, id)`` index, which both databases read a page at a time,
    where "lastname, then order id" made them sort every order of every namesake. The
    relation, not ``client_id``, is named on purpose: Django writes ``client_id`` as the
    order's column, and SQLite then sorts every order instead of walking the clients' index.
    """

    def __init__(self, *args, groups: dict[str, tuple[str, ...]] | None = None, **kwargs):
        self.groups = groups or {}
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        ordering = []
        for param in value:
            if not param:
                continue
            descending = param.startswith("-")
            name = param.removeprefix("-")
            for field in self.groups.get(name) or (self.param_map.get(name, name),):
                ordering.append(_reversed(field) if descending else field)
        return qs.order_by(*ordering)


def _reversed(field: str) -> str:
    return field.removeprefix("-") if field.startswith("-") else f"-{field}"


class AnyYesNoSelect(forms.NullBooleanSelect):
    """Yes / No, and "Any" (not "Unknown") when the filter is not set."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", pgettext_lazy("yes/no filter not set", "Any")), ("true", _("Yes")), ("false", _("No"))]


class YesNoField(forms.NullBooleanField):
    widget = AnyYesNoSelect


class YesNoFilter(django_filters.BooleanFilter):
    """A yes/no filter whose unset state reads "Any" / «Не важно»; ``?x=true`` / ``?x=false``."""

    field_class = YesNoField


class MoneyRangeField(django_filters.fields.RangeField):
    """A from–to pair of amounts typed as the page shows them ("1 000,50" in Russian).

    Each is limited to what a money column can hold; see ``corpnet.forms.MoneyFormField``.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", django_filters.widgets.RangeWidget(attrs={"inputmode": "decimal"}))
        super().__init__((MoneyFormField(), MoneyFormField()), *args, **kwargs)


class MoneyRangeFilter(django_filters.RangeFilter):
    """``sum_min`` / ``sum_max``, inclusive."""

    field_class = MoneyRangeField


class LocalizedDateRangeField(django_filters.fields.DateRangeField):
    """A from–to pair of dates typed as the page shows them ("31.12.2026" in Russian) or ISO.

    The end date is inclusive: the range runs to the end of that day in the current time zone.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            django_filters.widgets.DateRangeWidget(attrs={"placeholder": _("yyyy-mm-dd"), "inputmode": "numeric"}),
        )
        kwargs.setdefault("localize", True)
        django_filters.fields.RangeField.__init__(self, (LocalizedDateField(), LocalizedDateField()), *args, **kwargs)

    def compress(self, data_list):
        # Ends typed as blanks ("  ") clean to None: that is no range, not slice(None, None),
        # which django-filter would pass on to the query as a value.
        if data_list and any(end is not None for end in data_list):
            return super().compress(data_list)
        return None


class LocalizedDateRangeFilter(django_filters.DateFromToRangeFilter):
    """``<name>_after`` / ``<name>_before``, inclusive dates in the active language's format."""

    field_class = LocalizedDateRangeField


class PhoneFilter(TextFilter):
    """Matches phones containing the typed digits, whatever the formatting: "916 123-45"."""

    field_class = SearchTextField

    def filter(self, qs, value):
        digits = re.sub(r"\D", "", value or "")
        if not digits:
            return qs
        return qs.filter(**{f"{self.field_name}__contains": digits})


class EmailFilter(TextFilter):
    """Case-insensitive substring of the email (emails are stored in lower case)."""

    def filter(self, qs, value):
        value = (value or "").strip().lower()
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__contains": value})
