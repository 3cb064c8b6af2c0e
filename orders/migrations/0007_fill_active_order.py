"""Make every worker's and client's ``active_order`` truthful.

The seed and earlier code left it empty for people with active orders (client #268: three
new orders, "Active order —") and could leave it on a finished order. From now on the order
services keep it (``orders.services.sync_active_orders``); this fills in the past once, with
the same rule: keep the order named if it is still an active order of theirs, otherwise
name their newest active order, or nothing. Two set-based UPDATEs per table, so it takes
seconds even at a million orders; ``version`` is not bumped (the field is derived).
"""

from django.db import migrations
from django.db.models import Exists, F, OuterRef, Q, Subquery


def fill(apps, schema_editor):
    Order = apps.get_model("orders", "Order")
    for model_name, app, owner_field in (("Worker", "staff", "executor"), ("Client", "clients", "client")):
        model = apps.get_model(app, model_name)
        wrong = Q(active_order__active=False) | ~Q(**{f"active_order__{owner_field}": F("pk")})
        model.objects.filter(active_order__isnull=False).filter(wrong).update(active_order=None)
        newest = (
            Order.objects.filter(**{owner_field: OuterRef("pk")}, active=True)
            .order_by("-creation_date", "-id")
            .values("pk")[:1]
        )
        has_active = Order.objects.filter(**{owner_field: OuterRef("pk")}, active=True)
        model.objects.filter(Exists(has_active), active_order__isnull=True).update(active_order=Subquery(newest))


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0006_reports_read_covering_indexes"),
        ("staff", "0002_search_trigram_index_on_postgresql"),
        ("clients", "0004_client_name_index_includes_id"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, elidable=True)]
