"""Fast bulk loading for demo data: COPY on PostgreSQL, executemany on SQLite.

The ORM's ``bulk_create`` builds a model instance per row and one huge INSERT per batch;
for a million orders that costs minutes. Here rows are plain tuples streamed straight to
the driver. Used only by ``seed_demo``: ordinary writes go through the services.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import islice

from django.core.management.color import no_style
from django.db import connection, models

BATCH = 50_000


def _columns(model: type[models.Model], fields: Sequence[str]) -> list[str]:
    return [model._meta.get_field(name).column for name in fields]


def bulk_insert(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[tuple],
    *,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Insert ``rows`` (tuples in the order of ``fields``) into ``model``'s table."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in _columns(model, fields))
    done = 0
    rows = iter(rows)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # the psycopg cursor, for COPY
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    done += 1
                    if progress and done % BATCH == 0:
                        progress(done)
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608 - identifiers from model meta
            while batch := list(islice(rows, BATCH)):
                cursor.executemany(sql, batch)
                done += len(batch)
                if progress:
                    progress(done)
    return done


def reset_sequences(*model_list: type[models.Model]) -> None:
    """After inserting explicit ids, move each table's id sequence past them."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_list))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
