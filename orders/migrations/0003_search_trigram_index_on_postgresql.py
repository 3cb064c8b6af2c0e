from django.db import migrations

from corpnet.migration_ops import PostgresTrigramIndex


class Migration(migrations.Migration):
    dependencies = [("orders", "0002_initial")]

    operations = [PostgresTrigramIndex(table="orders_order", column="search", name="order_search_trgm")]
