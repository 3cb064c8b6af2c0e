"""Deterministic demo data for corpnet, in steps that ``seed_demo`` runs and tests call.

The same seed gives the same people, orders and money on every machine, so a screenshot,
a bug report or a benchmark can be reproduced. Everything is generated as plain tuples and
bulk-loaded (see ``bulk.py``), because ``--scale large`` means a million orders.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone

from accounts.roles import ensure_roles
from clients.models import Client
from corpnet.text import normalize_search
from demo import names
from demo.bulk import bulk_insert, indexes_deferred, reset_sequences
from demo.prices import seed_prices
from orders.models import Order, OrderStatus
from staff.models import Post, Worker

SEED = 20261128

#: The demo users, their role (a group from accounts.roles) and whether they are superusers.
DEMO_USERS = [
    ("admin", None, True, "Администратор", "Системы"),
    ("hr", "hr", False, "Helen", "Rogers"),
    ("manager", "manager", False, "Марина", "Менеджерова"),
    ("employee", "employee", False, "Егор", "Сотрудников"),
]


@dataclass(frozen=True)
class Scale:
    workers: int
    clients: int
    orders: int

    @classmethod
    def parse(cls, value: str) -> Scale:
        if value == "small":
            return cls(workers=60, clients=600, orders=6_000)
        if value == "large":
            return cls(workers=10_000, clients=100_000, orders=1_000_000)
        try:
            orders = int(value)
        except ValueError:
            raise ValueError(f"scale must be 'small', 'large' or a number of orders, not {value!r}") from None
        if orders < 10:
            raise ValueError("scale must be at least 10 orders")
        return cls(workers=max(orders // 100, 5), clients=max(orders // 10, 10), orders=orders)


# Russian mobile prefixes that phonenumbers accepts as valid.
_RU_MOBILE = [903, 905, 906, 909, 915, 916, 917, 919, 925, 926, 929, 962, 963, 964, 965, 966, 967, 968, 985, 999]


def _phone(rng: random.Random) -> str:
    return f"+7{rng.choice(_RU_MOBILE)}{rng.randrange(10_000_000):07d}"


def _person(rng: random.Random) -> tuple[str, str]:
    """A (first name, last name) pair: three in four Russian, one in four English."""
    if rng.random() < 0.75:
        if rng.random() < 0.5:
            return rng.choice(names.RU_MALE_FIRST), rng.choice(names.RU_LAST)
        return rng.choice(names.RU_FEMALE_FIRST), names.feminine(rng.choice(names.RU_LAST))
    return rng.choice(names.EN_FIRST), rng.choice(names.EN_LAST)


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randrange(low * 100, high * 100)) / 100


def has_data() -> bool:
    return Worker.objects.exists() or Client.objects.exists() or Order.objects.exists()


def seed_users(password: str, *, reset_existing: bool = False) -> tuple[list[str], list[str]]:
    """Create the demo users; returns (created, left alone).

    A user that already exists is left exactly as it is (password, role, names) unless
    ``reset_existing``: on a production database an existing ``admin`` must not get the demo
    password because someone ran the command there."""
    ensure_roles()
    User = get_user_model()
    created, kept = [], []
    # One hash (a second of PBKDF2 work for four users otherwise): the demo users share the
    # password anyway, and each login still checks it against a salted hash.
    hashed = make_password(password)
    for username, group, superuser, first, last in DEMO_USERS:
        user, was_created = User.objects.get_or_create(username=username)
        if not was_created and not reset_existing:
            kept.append(username)
            continue
        user.first_name, user.last_name = first, last
        user.email = f"{username}@corpnet.example"
        user.is_superuser = user.is_staff = superuser
        user.password = hashed
        user.save()
        if group:
            user.groups.set([Group.objects.get(name=group)])
        if was_created:
            created.append(username)
    return created, kept


def seed_data(scale: Scale, *, log: Callable[[str], None] = lambda _msg: None) -> None:
    """Load posts, workers, clients and orders. Call only on an empty database."""
    rng = random.Random(SEED)
    now = timezone.now().replace(microsecond=0)

    if connection.vendor == "sqlite":
        # One big transaction: keep its dirty pages in memory instead of spilling them to
        # the WAL again and again (this halves the large seed's time).
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -524288")  # 512 MiB, this connection only
    with transaction.atomic():
        _load(scale, rng, now, log)
        log("  indexes and foreign keys rebuilt")
        reset_sequences(Post, Worker, Client, Order)
        _link_active_orders()
    log("  active orders linked")
    seed_prices(now=now, log=log)
    _analyze()


def _analyze() -> None:
    """Refresh the planner's statistics after a bulk load, as autovacuum (or ``PRAGMA optimize``)
    would later: until then they describe empty tables. On PostgreSQL also the visibility map,
    without which no scan is answered from an index alone.
    """
    with connection.cursor() as cursor:
        # VACUUM cannot run inside a transaction (a caller's, e.g. a test's): statistics only, then.
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        cursor.execute("VACUUM (ANALYZE)" if vacuum else "ANALYZE")


def _load(scale: Scale, rng: random.Random, now, log: Callable[[str], None]) -> None:
    def progress(label: str, total: int) -> Callable[[int], None]:
        step = max(total // 10, 1)
        return lambda done: log(f"  {label}: {done:,}/{total:,}") if done % step < 50_000 or done == total else None

    with indexes_deferred(Worker, Client, Order):
        posts = [(i + 1, title, desc) for i, (title, desc) in enumerate(names.POSTS)]
        bulk_insert(Post, ["id", "title", "description"], posts)
        log(f"  posts: {len(posts)}")

        def workers():
            for wid in range(1, scale.workers + 1):
                first, last = _person(rng)
                name = f"{last} {first}"  # "Фамилия Имя", as every name is written (docs/decisions/locale.md)
                email = f"{names.translit(first)}.{names.translit(last)}.{wid}@corpnet.example"
                post_id = 1 + (wid * 7919) % len(posts)
                yield (wid, name, _phone(rng), email, post_id, None, None, normalize_search(name), 1)

        bulk_insert(
            Worker,
            ["id", "name", "phone", "email", "post", "active_order", "dismissed_at", "search", "version"],
            workers(),
            progress=progress("workers", scale.workers),
        )

        def clients():
            for cid in range(1, scale.clients + 1):
                first, last = _person(rng)
                email = f"{names.translit(first)}.{names.translit(last)}.{cid}@mail.example"
                yield (
                    cid,
                    first,
                    last,
                    email,
                    _phone(rng),
                    str(_money(rng, 0, 10_000_000)),
                    None,
                    rng.random() < 0.05,
                    normalize_search(first, last),
                    1,
                )

        bulk_insert(
            Client,
            ["id", "name", "lastname", "email", "phone", "sum", "active_order", "mailing_opt_out", "search", "version"],
            clients(),
            progress=progress("clients", scale.clients),
        )

        statuses = (
            [OrderStatus.NEW] * 15
            + [OrderStatus.IN_PROGRESS] * 15
            + [OrderStatus.DONE] * 60
            + [OrderStatus.CANCELLED] * 10
        )
        span = int(timedelta(days=3 * 365).total_seconds())
        # Raw loading skips the ORM, so dates are put in the database's own format here.
        adapt_datetime = connection.ops.adapt_datetimefield_value

        def orders():
            for oid in range(1, scale.orders + 1):
                title = rng.choice(names.ORDER_TITLES).format(coin=rng.choice(names.COINS))
                created = adapt_datetime(now - timedelta(seconds=rng.randrange(span)))
                yield (
                    oid,
                    title,
                    rng.randrange(1, scale.workers + 1),
                    created,
                    rng.randrange(1, scale.clients + 1),
                    str(_money(rng, 100, 2_000_000)),
                    "",
                    rng.choice(statuses),
                    normalize_search(title),
                    1,
                )

        bulk_insert(
            Order,
            ["id", "title", "executor", "creation_date", "client", "sum", "description", "status", "search", "version"],
            orders(),
            progress=progress("orders", scale.orders),
        )


def _link_active_orders() -> None:
    """Give every worker and client with active orders their newest one as ``active_order``,
    as the order services would have (``orders.services.sync_active_orders``): it is never
    empty while they have an active order.

    One set-based UPDATE per table instead of a query per person.
    """
    for model, owner in ((Worker, "executor_id"), (Client, "client_id")):
        table = connection.ops.quote_name(model._meta.db_table)
        orders = connection.ops.quote_name(Order._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET active_order_id = ("  # noqa: S608 - identifiers from model meta, values as parameters
                # Newest by date, read from the (owner, active, creation_date, id) index: one index
                # probe per person. This runs before the new rows have statistics, and PostgreSQL
                # answered a MAX(id) by walking the primary key backwards for every person
                # (7 minutes instead of seconds).
                f" SELECT o.id FROM {orders} o WHERE o.{owner} = {table}.id AND o.active IN (%s)"
                " ORDER BY o.creation_date DESC, o.id DESC LIMIT 1)",
                [True],
            )
