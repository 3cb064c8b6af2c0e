"""Migration operations that only do something on PostgreSQL.

The ``search`` columns are matched with ``LIKE '%term%'``: a B-tree cannot serve a leading
wildcard, but a trigram GIN index can. SQLite has no such index; it skips these operations
and keeps scanning its (much smaller in practice) tables.
"""

from __future__ import annotations

from django.db import migrations


class PostgresTrigramIndex(migrations.operations.base.Operation):
    reversible = True
    reduces_to_sql = True

    def __init__(self, *, table: str, column: str, name: str):
        self.table, self.column, self.name = table, column, name

    def state_forwards(self, app_label, state):
        # Not part of the model state: Django's model indexes cannot say "only on PostgreSQL".
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        quote = schema_editor.quote_name
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {quote(self.name)} ON {quote(self.table)} "
            f"USING gin ({quote(self.column)} gin_trgm_ops)"
        )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(self.name)}")

    def describe(self):
        return f"Trigram GIN index {self.name} on {self.table}.{self.column} (PostgreSQL only)"

    def deconstruct(self):
        return self.__class__.__name__, [], {"table": self.table, "column": self.column, "name": self.name}
