"""The filter backend: the apps' own FilterSets (the ones the pages use), on lists only."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_filters import utils
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ParseError, ValidationError


class FilterSetBackend(DjangoFilterBackend):
    """``DjangoFilterBackend`` applied to list requests only.

    The FilterSets have defaults that suit a list (active orders only, current staff only);
    applied to ``/orders/7/`` they would make a done order answer 404. Values containing a
    NUL character are refused: PostgreSQL cannot store or compare them.
    """

    def filter_queryset(self, request, queryset, view):
        if getattr(view, "action", None) != "list":
            return queryset
        for name, values in request.query_params.lists():
            if any("\x00" in value for value in values):
                raise ValidationError({name: [_("Null characters are not allowed.")]})
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        try:
            valid = filterset.is_valid()
        except OverflowError:
            # A ModelMultipleChoiceFilter (e.g. workers' ``post``) looks the ids up in the
            # database while validating; on SQLite a 20-digit id overflows there.
            raise ParseError(_("A number in the query is out of range.")) from None
        if not valid:
            raise utils.translate_validation(filterset.errors)
        return filterset.qs
