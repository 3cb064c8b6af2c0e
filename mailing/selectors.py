"""Reads: who a mailing would reach, and how mailings are doing."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _

from clients.filters import ClientFilter
from clients.models import Client
from mailing.models import FILTER_AUDIENCES, Audience, Mailing, Recipient
from staff.filters import WorkerFilter
from staff.models import Worker

#: Query parameters that are not part of the audience filter.
NOT_FILTERS = {"audience", "page", "per_page", "order_by", "format", "person", "email", "address_name"}
PREVIEW_RECIPIENTS = 10


@dataclass
class Person:
    """One recipient-to-be, before the snapshot."""

    email: str
    name: str
    lastname: str
    kind: str
    object_id: int | None


def as_querydict(params: dict | QueryDict) -> QueryDict:
    if isinstance(params, QueryDict):
        return params
    qd = QueryDict(mutable=True)
    for key, value in (params or {}).items():
        if isinstance(value, list | tuple):
            qd.setlist(key, [str(v) for v in value])
        elif value is not None:
            qd[key] = str(value)
    return qd


def clean_filter_params(params: dict | QueryDict) -> dict[str, list[str]]:
    """The filter part of a query string, as a JSON-able dict (stored with the mailing)."""
    qd = as_querydict(params)
    return {k: [v for v in qd.getlist(k) if v != ""] for k in qd if k not in NOT_FILTERS and any(qd.getlist(k))}


def audience_filterset(*, audience: str, filter_params: dict | QueryDict):
    """The list page's own FilterSet, so an audience means exactly what that page shows.

    Opted-out clients and dismissed workers are removed after filtering, whatever the
    filter says: a filter mailing never reaches them.
    """
    data = as_querydict(filter_params)
    if audience == Audience.WORKERS:
        return WorkerFilter(data, queryset=Worker.objects.filter(dismissed_at__isnull=True))
    if audience == Audience.CLIENTS:
        return ClientFilter(data, queryset=Client.objects.filter(mailing_opt_out=False))
    raise ValueError(audience)


def _people_from(queryset: QuerySet, kind: str) -> QuerySet:
    if kind == "worker":
        return queryset.order_by("id").values_list("id", "email", "name")
    return queryset.order_by("id").values_list("id", "email", "name", "lastname")


def iter_people(queryset: QuerySet, kind: str):
    for row in _people_from(queryset, kind).iterator(chunk_size=2000):
        if kind == "worker":
            yield Person(email=row[1], name=row[2], lastname="", kind=kind, object_id=row[0])
        else:
            yield Person(email=row[1], name=row[2], lastname=row[3], kind=kind, object_id=row[0])


def unique_people(people) -> list[Person]:
    """Drop repeated addresses, compared case-insensitively; the first occurrence wins."""
    seen: set[str] = set()
    out = []
    for person in people:
        key = person.email.strip().lower()
        if key and key not in seen:
            seen.add(key)
            out.append(person)
    return out


def mailing_list() -> QuerySet[Mailing]:
    """Mailings with their live counts, in one query."""
    return Mailing.objects.select_related("created_by").annotate(
        n_sent=Count("recipients", filter=Q(recipients__status=Recipient.Status.SENT)),
        n_failed=Count("recipients", filter=Q(recipients__status=Recipient.Status.FAILED)),
        n_pending=Count(
            "recipients",
            filter=Q(recipients__status__in=[Recipient.Status.PENDING, Recipient.Status.SENDING]),
        ),
        n_unknown=Count("recipients", filter=Q(recipients__status=Recipient.Status.UNKNOWN)),
        n_cancelled=Count("recipients", filter=Q(recipients__status=Recipient.Status.CANCELLED)),
    )


def mailing_counts(*, mailing: Mailing) -> dict[str, int]:
    counts = {s: 0 for s in Recipient.Status.values}
    for status, n in mailing.recipients.values_list("status").annotate(n=Count("id")).order_by():
        counts[status] = n
    total = sum(counts.values())
    done = counts["sent"] + counts["failed"] + counts["cancelled"] + counts["unknown"]
    counts["total"] = total
    counts["percent"] = int(done * 100 / total) if total else 100
    return counts


def describe_audience(*, audience: str, filter_params: dict) -> str:
    """A human sentence for the list page and the audit trail."""
    if audience in FILTER_AUDIENCES:
        parts = [f"{k}={','.join(v) if isinstance(v, list) else v}" for k, v in sorted(filter_params.items())]
        what = _("workers") if audience == Audience.WORKERS else _("clients")
        return (f"{what}: " + "; ".join(parts) if parts else _("all %(what)s") % {"what": what})[:500]
    return str(Audience(audience).label) + (f": {filter_params.get('label', '')}" if filter_params else "")
