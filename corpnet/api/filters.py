"""The filter backend: the apps' own FilterSets (the ones the pages use), on lists only."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError


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
        return super().filter_queryset(request, queryset, view)
