"""Fast bulk loading for demo data: COPY on PostgreSQL, executemany on SQLite.

The ORM's ``bulk_create`` builds a model instance per row and one huge INSERT per batch;
for a million orders that costs minutes. Here rows are plain tuples streamed straight to
the driver. Used only by ``seed_demo``: ordinary writes go through the services.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Sequence
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


@contextlib.contextmanager
def indexes_deferred(*model_list: type[models.Model]) -> Iterator[None]:
    """Drop the tables' secondary indexes (and, on PostgreSQL, foreign keys) while loading.

    Maintaining six indexes row by row, and queueing two deferred foreign-key checks per
    row until commit, costs more than the load itself; building each index once and
    validating each foreign key with one set-based check afterwards is several times
    faster. Only for loading into tables nobody else is using (seed_demo, inside its
    transaction: on failure everything, the drops included, rolls back). The statements
    re-run are the database's own definitions, read from its catalogue.
    """
    tables = [m._meta.db_table for m in model_list]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c"
                " WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY(%s)",
                [tables],
            )
            foreign_keys = cursor.fetchall()
            cursor.execute(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = ANY(%s)"
                " AND i.indexname NOT IN (SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u', 'x'))",
                [tables],
            )
            indexes = cursor.fetchall()
            for table, name, _definition in foreign_keys:
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(name)}")
            for name, _definition in indexes:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        else:
            foreign_keys = []
            cursor.execute("SELECT name, sql, tbl_name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
            indexes = [(name, sql) for name, sql, table in cursor.fetchall() if table in tables]
            for name, _definition in indexes:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Index builds (the trigram GIN ones above all) sort in memory instead of on disk.
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}")
