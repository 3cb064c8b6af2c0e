from io import StringIO

import phonenumbers
import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command

from clients.models import Client
from orders.models import Order
from staff.models import Worker

pytestmark = pytest.mark.django_db


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_it_loads_the_requested_scale_and_the_demo_users():
    output = seed("--scale", "200", "--password", "pw-for-tests")
    assert (Worker.objects.count(), Client.objects.count(), Order.objects.count()) == (5, 20, 200)
    assert "Demo users" in output
    for username in ("admin", "hr", "manager", "employee"):
        assert authenticate(username=username, password="pw-for-tests") is not None
    User = get_user_model()
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="hr").has_perm("staff.change_worker")
    assert not User.objects.get(username="employee").has_perm("staff.change_worker")
    assert User.objects.get(username="employee").has_perm("orders.view_order")


def test_running_it_twice_does_not_duplicate():
    seed("--scale", "100", "--password", "pw")
    counts = (Worker.objects.count(), Client.objects.count(), Order.objects.count(), get_user_model().objects.count())
    output = seed("--scale", "100", "--password", "pw2")
    assert "nothing loaded" in output
    assert counts == (
        Worker.objects.count(),
        Client.objects.count(),
        Order.objects.count(),
        get_user_model().objects.count(),
    )
    # An existing user keeps their password unless asked explicitly (or DEBUG is on).
    assert authenticate(username="hr", password="pw") is not None
    assert "Left alone" in output
    seed("--scale", "100", "--password", "pw2", "--reset-demo-passwords")
    assert authenticate(username="hr", password="pw2") is not None


def test_an_existing_admin_keeps_their_password_on_a_production_database(settings):
    settings.DEBUG = False
    get_user_model().objects.create_superuser("admin", "admin@corpnet.example", "the-real-strong-password")
    seed("--users-only", "--password", "corpnet-demo")
    assert authenticate(username="admin", password="the-real-strong-password") is not None
    assert authenticate(username="admin", password="corpnet-demo") is None


@pytest.mark.django_db(transaction=True)
def test_it_is_deterministic():
    seed("--scale", "100", "--password", "pw")
    first = list(Order.objects.order_by("id").values_list("title", "sum", "status", "executor__name", "client__email"))
    call_command("flush", "--no-input")
    seed("--scale", "100", "--password", "pw")
    second = list(Order.objects.order_by("id").values_list("title", "sum", "status", "executor__name", "client__email"))
    assert first == second


def test_its_data_obeys_the_models_rules():
    seed("--scale", "300", "--password", "pw")
    assert Worker.objects.filter(name__regex=r"[А-Яа-яЁё]").exists()
    assert Client.objects.filter(name__regex=r"^[A-Za-z]+$").exists()
    for worker in Worker.objects.all():
        assert phonenumbers.is_valid_number(worker.phone), worker.phone
        worker.full_clean()
    for client in Client.objects.select_related("active_order")[:50]:
        client.full_clean()
    linked = Worker.objects.filter(active_order__isnull=False).select_related("active_order")
    assert linked.exists()
    for worker in linked:
        assert worker.active_order.executor_id == worker.pk and worker.active_order.is_active
    # Never "Active order —" while someone has active orders.
    from orders.models import Order

    for model, owner in ((Worker, "executor"), (Client, "client")):
        busy = set(Order.objects.active().values_list(owner, flat=True))
        assert busy == set(model.objects.filter(active_order__isnull=False).values_list("pk", flat=True))
    # The id sequences moved past the loaded ids, so new rows can be added.
    from corpnet.testing import make_order

    assert make_order().pk == 301


def test_it_refuses_a_bad_scale():
    with pytest.raises(CommandError, match="scale"):
        seed("--scale", "huge", "--password", "pw")


def test_it_requires_a_password_when_debug_is_off(settings):
    settings.DEMO_PASSWORD = None
    with pytest.raises(CommandError, match="--password"):
        seed("--scale", "100")
