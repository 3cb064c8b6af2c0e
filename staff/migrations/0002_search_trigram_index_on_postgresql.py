from django.db import migrations

from corpnet.migration_ops import PostgresTrigramIndex


class Migration(migrations.Migration):
    dependencies = [("staff", "0001_initial")]

    operations = [PostgresTrigramIndex(table="staff_worker", column="search", name="worker_search_trgm")]
