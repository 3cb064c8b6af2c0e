from django.db import migrations

from corpnet.migration_ops import PostgresTrigramIndex


class Migration(migrations.Migration):
    dependencies = [("clients", "0002_initial")]

    operations = [PostgresTrigramIndex(table="clients_client", column="search", name="client_search_trgm")]
