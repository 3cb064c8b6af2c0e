"""The data migration that makes ``active_order`` truthful, run on rows the old code left behind."""

import importlib

import pytest
from django.apps import apps

from clients.models import Client
from corpnet.testing import make_client, make_order, make_worker
from orders.models import OrderStatus
from staff.models import Worker

pytestmark = pytest.mark.django_db

migration = importlib.import_module("orders.migrations.0007_fill_active_order")


def test_it_names_the_newest_active_order_and_drops_finished_or_foreign_ones():
    client, worker, other = make_client(), make_worker(), make_client()
    older = make_order(client=client, executor=worker)
    newer = make_order(client=client, executor=worker)
    done = make_order(client=other, executor=worker, status=OrderStatus.DONE)
    # As the seed and earlier code could leave them: empty, a finished order, someone else's.
    Client.objects.filter(pk=client.pk).update(active_order=None)
    Client.objects.filter(pk=other.pk).update(active_order=done)
    Worker.objects.filter(pk=worker.pk).update(active_order=make_order().pk)

    migration.fill(apps, None)

    assert Client.objects.get(pk=client.pk).active_order_id == newer.pk
    assert Client.objects.get(pk=other.pk).active_order_id is None
    assert Worker.objects.get(pk=worker.pk).active_order_id == newer.pk
    assert older.pk != newer.pk
