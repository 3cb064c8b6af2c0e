"""Reads: who a mailing would reach, and how mailings are doing.

An audience is one value (``AudienceSpec``): the kind of audience and its parameters as
applied — the list page's filter, or one person's id, or one address. The preview, the
confirm step, the send and the stored mailing all go through ``audience_spec`` and
``resolve_audience``, so what was previewed is what is sent.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clients.filters import ClientFilter
from clients.models import Client
from corpnet.display import person_name
from corpnet.validators import deliverable_email_problem
from mailing.models import FILTER_AUDIENCES, Audience, Mailing, Recipient
from staff.filters import WorkerFilter
from staff.models import Worker

#: Query parameters of a list page that choose a page or an order, never who is in the audience.
NOT_FILTERS = {"page", "per_page", "size", "page_size", "order_by", "ordering", "cursor", "format"}
#: Parameters of the mailing page itself, dropped from a pre-fill link.
PAGE_PARAMS = {"audience", "person", "find", "address_name", "email"}
PREVIEW_RECIPIENTS = 10
#: Bad addresses named on the preview and in the mailing's history.
NAMED_SKIPPED = 10


@dataclass
class Person:
    """One recipient-to-be, before the snapshot."""

    email: str
    name: str
    lastname: str
    kind: str
    object_id: int | None


@dataclass
class AudienceSpec:
    """Who a mailing is for, validated: the kind and its parameters as applied."""

    audience: str
    params: dict
    description: str = ""

    @property
    def key(self) -> str:
        """A short fingerprint: the confirm step refuses a send whose audience changed."""
        raw = json.dumps([self.audience, self.params], sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(raw.encode()).hexdigest()[:16]


@dataclass
class Resolved:
    people: list[Person] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (address, why)


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


def _filterset_class(audience: str):
    return WorkerFilter if audience == Audience.WORKERS else ClientFilter


def filter_keys(audience: str) -> set[str]:
    """The query parameters the audience's FilterSet understands (``sum_min``, ``post``, …)."""
    keys = set()
    for name, form_field in _filterset_class(audience)().form.fields.items():
        if name == "order_by":
            continue
        suffixes = getattr(form_field.widget, "suffixes", None)
        keys.update(f"{name}_{s}" if s else name for s in suffixes) if suffixes else keys.add(name)
    return keys


def clean_filter_params(params: dict | QueryDict) -> dict[str, list[str]]:
    """The filter part of a query string as a JSON-able dict, without page and order parameters."""
    qd = as_querydict(params)
    return {
        k: [v for v in qd.getlist(k) if v != ""]
        for k in sorted(qd)
        if k not in NOT_FILTERS and any(v != "" for v in qd.getlist(k))
    }


def audience_filterset(*, audience: str, filter_params: dict | QueryDict, prefix: str | None = None):
    """The list page's own FilterSet, so an audience means exactly what that page shows.

    Opted-out clients and dismissed workers are removed before filtering, whatever the
    filter says: a filter mailing never reaches them.
    """
    data = as_querydict(filter_params)
    if audience == Audience.WORKERS:
        return WorkerFilter(data, queryset=Worker.objects.filter(dismissed_at__isnull=True), prefix=prefix)
    if audience == Audience.CLIENTS:
        return ClientFilter(data, queryset=Client.objects.filter(mailing_opt_out=False), prefix=prefix)
    raise ValueError(audience)


def _describe_value(bound_field, value) -> str:
    if isinstance(value, slice):
        low, high = value.start, value.stop
        if low is not None and high is not None:
            return _("from %(low)s to %(high)s") % {"low": low, "high": high}
        return (_("from %(low)s") % {"low": low}) if low is not None else (_("up to %(high)s") % {"high": high})
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, QuerySet | list | tuple):
        return ", ".join(f"«{v}»" for v in value)
    choices = dict(getattr(bound_field.field, "choices", None) or [])
    return f"«{choices.get(value, value)}»"


def _describe_filter(audience: str, filterset) -> str:
    parts = []
    for name, value in filterset.form.cleaned_data.items():
        if name == "order_by" or value in (None, "", [], ()) or (isinstance(value, slice) and value == slice(None)):
            continue
        if isinstance(value, QuerySet) and not value.exists():
            continue
        parts.append(f"{filterset.form[name].label}: {_describe_value(filterset.form[name], value)}")
    if not parts:
        return _("All workers") if audience == Audience.WORKERS else _("All clients")
    who = _("Workers") if audience == Audience.WORKERS else _("Clients")
    return f"{who} — " + "; ".join(parts)


def audience_spec(*, audience: str, filter_params: dict | QueryDict | None) -> AudienceSpec:
    """Validate an audience and return it as applied; refuse rather than widen it.

    Unknown or misspelled filter keys (and the other audience's keys) are refused with the
    key named; page, size and order parameters are dropped.
    """
    if audience not in Audience.values:
        raise ValidationError({"audience": _("Choose who the mailing is for.")})
    if audience in FILTER_AUDIENCES:
        return _filter_spec(audience, filter_params or {})
    params = dict(filter_params or {})
    if audience == Audience.ADDRESS:
        return _address_spec(params)
    return _person_spec(audience, params)


def _filter_spec(audience: str, filter_params) -> AudienceSpec:
    params = clean_filter_params(filter_params)
    unknown = sorted(set(params) - filter_keys(audience))
    if unknown:
        raise ValidationError(
            {
                "filter_params": _("Unknown filter parameter: %(keys)s. Known: %(known)s.")
                % {"keys": ", ".join(unknown), "known": ", ".join(sorted(filter_keys(audience)))}
            },
            code="unknown_filter",
        )
    filterset = audience_filterset(audience=audience, filter_params=params)
    if not filterset.is_valid():
        # Never fall back to a wider audience than the sender asked for.
        problems = "; ".join(f"{name}: {' '.join(errs)}" for name, errs in filterset.errors.items())
        raise ValidationError({"audience": _("The filter is not valid: %(errors)s") % {"errors": problems}})
    return AudienceSpec(audience=audience, params=params, description=_describe_filter(audience, filterset))


def _address_spec(params: dict) -> AudienceSpec:
    email = str(params.get("email", "")).strip()
    problem = deliverable_email_problem(email)
    if problem:
        raise ValidationError(
            {"email": _("“%(email)s” cannot receive mail: %(problem)s.") % {"email": email, "problem": problem}}
        )
    name = " ".join(str(params.get("name", "")).split())[:200]
    return AudienceSpec(
        audience=Audience.ADDRESS,
        params={"email": email, "name": name},
        description=_("The address %(who)s") % {"who": f"{name} <{email}>" if name else email},
    )


def _person_spec(audience: str, params: dict) -> AudienceSpec:
    obj = person_for(audience=audience, pk=params.get("id"))
    if obj is None:
        raise ValidationError({"person": _("Choose an existing person.")})
    if isinstance(obj, Client) and obj.mailing_opt_out:
        raise ValidationError({"person": _("This client opted out of mailings.")})
    if isinstance(obj, Worker) and obj.dismissed_at is not None:
        raise ValidationError({"person": _("This worker is dismissed and gets no mailings.")})
    label = person_name(obj.name, getattr(obj, "lastname", ""))
    if audience == Audience.WORKER:
        description = _("The worker %(who)s") % {"who": f"{label} <{obj.email}>"}
    else:
        description = _("The client %(who)s") % {"who": f"{label} <{obj.email}>"}
    return AudienceSpec(audience=audience, params={"id": obj.pk}, description=description)


def person_for(*, audience: str, pk) -> Worker | Client | None:
    model = Worker if audience == Audience.WORKER else Client
    try:
        return model.objects.filter(pk=int(str(pk).strip())).first()
    except (TypeError, ValueError):
        return None


def _people_rows(spec: AudienceSpec, chunk_size: int = 2000) -> Iterator[Person]:
    if spec.audience in FILTER_AUDIENCES:
        kind = "worker" if spec.audience == Audience.WORKERS else "client"
        qs = audience_filterset(audience=spec.audience, filter_params=spec.params).qs.order_by("id")
        fields = ["id", "email", "name"] if kind == "worker" else ["id", "email", "name", "lastname"]
        last = 0
        while True:
            # Keyset chunks, each read to the end before the caller writes: on SQLite a read
            # left open across a write cannot be upgraded once another writer has committed.
            rows = list(qs.filter(id__gt=last).values_list(*fields)[:chunk_size])
            for row in rows:
                yield Person(
                    email=row[1], name=row[2], lastname=row[3] if len(row) > 3 else "", kind=kind, object_id=row[0]
                )
            if len(rows) < chunk_size:
                break
            last = rows[-1][0]
    elif spec.audience == Audience.ADDRESS:
        yield Person(email=spec.params["email"], name=spec.params.get("name", ""), lastname="", kind="", object_id=None)
    else:
        obj = person_for(audience=spec.audience, pk=spec.params["id"])
        kind = "worker" if spec.audience == Audience.WORKER else "client"
        yield Person(email=obj.email, name=obj.name, lastname=getattr(obj, "lastname", ""), kind=kind, object_id=obj.pk)


def resolve_audience(spec: AudienceSpec) -> Resolved:
    """Who the mailing goes to right now: one per address (case-insensitive), in id order.

    An address no mail server could be handed (quoted local part, characters IDNA cannot
    encode) is skipped and listed with the reason instead of blocking everybody else.
    """
    seen: set[str] = set()
    out = Resolved()
    for person in _people_rows(spec):
        key = person.email.strip().lower()
        if not key or key in seen:
            continue
        seen.add(key)
        problem = deliverable_email_problem(person.email)
        if problem:
            out.skipped.append((person.email, problem))
        else:
            out.people.append(person)
    return out


def audience_size(spec: AudienceSpec) -> int:
    """How many people the audience matches now (one COUNT; the confirm step compares it)."""
    if spec.audience in FILTER_AUDIENCES:
        return audience_filterset(audience=spec.audience, filter_params=spec.params).qs.count()
    return 1


def iter_snapshot(spec: AudienceSpec, *, mailing_id: int, chunk_size: int) -> Iterator[list[Recipient]]:
    """The recipient rows of a mailing-to-be, in chunks: one per address, undeliverable
    addresses as "skipped" rows that carry the reason."""
    seen: set[str] = set()
    chunk: list[Recipient] = []
    for person in _people_rows(spec):
        key = person.email.strip().lower()
        if not key or key in seen:
            continue
        seen.add(key)
        problem = deliverable_email_problem(person.email)
        chunk.append(
            Recipient(
                mailing_id=mailing_id,
                email=person.email[:254],
                email_key=key[:254],
                name=person.name[:200],
                lastname=person.lastname[:100],
                kind=person.kind,
                object_id=person.object_id,
                status=Recipient.Status.SKIPPED if problem else Recipient.Status.PENDING,
                smtp_reply=(_("not sent: %(why)s") % {"why": problem})[:500] if problem else "",
            )
        )
        if len(chunk) >= chunk_size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def skipped_summary(skipped: list[tuple[str, str]]) -> str:
    if not skipped:
        return ""
    named = ", ".join(f"{email} ({why})" for email, why in skipped[:NAMED_SKIPPED])
    more = len(skipped) - NAMED_SKIPPED
    text = ngettext(
        "%(n)d address cannot receive mail and is skipped: %(named)s",
        "%(n)d addresses cannot receive mail and are skipped: %(named)s",
        len(skipped),
    ) % {"n": len(skipped), "named": named}
    return text + (_(" and %(n)d more") % {"n": more} if more > 0 else "")


# ---------------------------------------------------------------- mailings and their progress


def stale_after() -> timedelta:
    return timedelta(seconds=int(getattr(settings, "MAILING_STALE_AFTER", 30)))  # as sending.stale_after


def stalled_mailings(*, older_than: timedelta | None = None) -> QuerySet[Mailing]:
    """Running mailings no worker has reported on for MAILING_STALE_AFTER (and not waiting
    for the mail server to come back): their worker was lost."""
    cutoff = timezone.now() - (stale_after() if older_than is None else older_than)
    return Mailing.objects.filter(
        Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lte=cutoff),
        Q(wait_until__isnull=True) | Q(wait_until__lte=cutoff),
        status=Mailing.Status.RUNNING,
    )


def mailing_is_stalled(*, mailing: Mailing) -> bool:
    """The one rule for "stalled", read for one mailing."""
    return stalled_mailings().filter(pk=mailing.pk).exists()


def mailing_list() -> QuerySet[Mailing]:
    """Mailings with their live counts, in one query (the API's list and detail)."""
    return (
        Mailing.objects.select_related("created_by")
        .annotate(
            n_sent=Count("recipients", filter=Q(recipients__status=Recipient.Status.SENT)),
            n_failed=Count(
                "recipients", filter=Q(recipients__status__in=[Recipient.Status.FAILED, Recipient.Status.SKIPPED])
            ),
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
    """Attach live counts to the mailings of one list page, in one grouped query."""
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
        m.n_sent, m.n_unknown, m.n_cancelled = c["sent"], c["unknown"], c["cancelled"]
        m.n_failed = c["failed"] + c["skipped"]
        m.n_pending = c["pending"] + c["sending"]
        m.n_done = m.n_sent + m.n_failed + m.n_unknown + m.n_cancelled
    page.object_list = mailings


def mailing_counts(*, mailing: Mailing) -> dict[str, int]:
    counts = dict.fromkeys(Recipient.Status.values, 0)
    for status, n in mailing.recipients.values_list("status").annotate(n=Count("id")).order_by():
        counts[status] = n
    total = sum(counts.values())
    done = total - counts["pending"] - counts["sending"]
    counts["total"] = total
    counts["percent"] = int(done * 100 / total) if total else (0 if mailing.status == Mailing.Status.PREPARING else 100)
    return counts


def find_people(*, audience: str, text: str, limit: int = 20) -> list:
    """Up to ``limit`` workers (current staff only) or clients matching a name, an email or an id."""
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
        filterset = WorkerFilter(data, queryset=Worker.objects.filter(dismissed_at__isnull=True))
    else:
        filterset = ClientFilter(data, queryset=Client.objects.filter(mailing_opt_out=False))
    return list(filterset.qs.order_by("id")[:limit]) if filterset.is_valid() else []
