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
NOT_FILTERS = {"audience", "page", "per_page", "order_by", "format", "person", "find", "address_name"}
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
    return (
        Mailing.objects.select_related("created_by")
        .annotate(
            n_sent=Count("recipients", filter=Q(recipients__status=Recipient.Status.SENT)),
            n_failed=Count("recipients", filter=Q(recipients__status=Recipient.Status.FAILED)),
            n_pending=Count(
                "recipients",
                filter=Q(recipients__status__in=[Recipient.Status.PENDING, Recipient.Status.SENDING]),
            ),
            n_unknown=Count("recipients", filter=Q(recipients__status=Recipient.Status.UNKNOWN)),
            n_cancelled=Count("recipients", filter=Q(recipients__status=Recipient.Status.CANCELLED)),
        )
        .order_by("-created_at", "-id")
    )  # a GROUP BY drops Meta.ordering; pages need a stable order


def mailing_page_with_counts(*, page) -> None:
    """Attach live counts to the mailings of one list page, in one grouped query.

    Annotating the whole list would aggregate every recipient of every mailing ever sent
    before LIMIT applies; grouping only this page's mailings keeps the page's cost bounded by
    its own size.
    """
    mailings = list(page.object_list)
    counts: dict[int, dict[str, int]] = {m.pk: dict.fromkeys(Recipient.Status.values, 0) for m in mailings}
    rows = (
        Recipient.objects.filter(mailing_id__in=list(counts))
        .values_list("mailing_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for mailing_id, status, n in rows:
        counts[mailing_id][status] = n
    for m in mailings:
        c = counts[m.pk]
        m.n_sent, m.n_failed, m.n_unknown, m.n_cancelled = c["sent"], c["failed"], c["unknown"], c["cancelled"]
        m.n_pending = c["pending"] + c["sending"]
        m.n_done = m.n_sent + m.n_failed + m.n_unknown + m.n_cancelled
    page.object_list = mailings


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


def mailing_is_stalled(*, mailing: Mailing) -> bool:
    """Running, but no worker has reported for a while: its worker was lost."""
    from django.utils import timezone

    from mailing.sending import STALE_AFTER

    return mailing.status == Mailing.Status.RUNNING and (
        mailing.heartbeat_at is None or mailing.heartbeat_at < timezone.now() - STALE_AFTER
    )


# ---------------------------------------------------------------- the "new mailing" page


def _filter_query(query: QueryDict) -> str:
    qd = QueryDict(mutable=True)
    for key, values in clean_filter_params(query).items():
        qd.setlist(key, values)
    return qd.urlencode()


def initial_from_query(query: QueryDict) -> dict:
    """Pre-fill from a link such as /mailing/new/?audience=clients&sum_min=100000."""
    audience = query.get("audience") if query.get("audience") in Audience.values else Audience.CLIENTS
    return {
        "audience": audience,
        "filter_query": _filter_query(query),
        "person": query.get("person") if (query.get("person") or "").isdigit() else None,
        "email": query.get("email", "") if audience == Audience.ADDRESS else "",
    }


def query_from_form(form) -> QueryDict:
    """The GET parameters equivalent to a posted form, to redraw the filter part of the page."""
    qd = QueryDict(form.data.get("filter_query", ""), mutable=True)
    qd["audience"] = form.data.get("audience", "")
    if form.data.get("person"):
        qd["person"] = form.data["person"]
    return qd


def find_people(*, audience: str, text: str) -> list:
    """Up to 20 workers or clients matching a name, an email or an id."""
    text = (text or "").strip()
    if not text:
        return []
    if text.isdigit():
        params = {"id": text}
    elif "@" in text:
        params = {"email": text}
    else:
        params = {"name": text}
    data = as_querydict(params)
    if audience == Audience.WORKER:
        filterset = WorkerFilter(data, queryset=Worker.objects.all())
    else:
        filterset = ClientFilter(data, queryset=Client.objects.all())
    return list(filterset.qs[:20]) if filterset.is_valid() else []


def new_page_context(*, form, query: QueryDict, preview=None) -> dict:
    audience = form["audience"].value() or Audience.CLIENTS
    context: dict = {"form": form, "preview": preview, "audience": audience, "audiences": Audience.choices}
    if audience in FILTER_AUDIENCES:
        filterset = audience_filterset(audience=audience, filter_params=clean_filter_params(query))
        context["filterset"] = filterset
        context["filter_description"] = describe_audience(audience=audience, filter_params=clean_filter_params(query))
    elif audience in (Audience.WORKER, Audience.CLIENT):
        context["found"] = find_people(audience=audience, text=query.get("find", ""))
        context["find"] = query.get("find", "")
        person = form["person"].value()
        model = Worker if audience == Audience.WORKER else Client
        context["chosen"] = model.objects.filter(pk=person).first() if str(person or "").isdigit() else None
    return context
