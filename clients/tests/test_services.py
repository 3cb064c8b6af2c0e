from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from clients.models import Client
from clients.services import client_create, client_delete, client_update
from corpnet.testing import make_client, make_order, make_worker
from orders.models import OrderStatus
from orders.services import order_update

pytestmark = pytest.mark.django_db


def test_it_rejects_a_negative_deposit_with_a_message():
    with pytest.raises(ValidationError) as exc:
        make_client(sum=Decimal("-0.01"))
    assert "sum" in exc.value.message_dict
    assert not Client.objects.exists()


def test_the_database_refuses_a_negative_deposit_too():
    client = make_client()
    with pytest.raises(IntegrityError), transaction.atomic():
        Client.objects.filter(pk=client.pk).update(sum=Decimal("-5"))


def test_it_keeps_money_exact_up_to_the_largest_amount():
    client = make_client(sum=Decimal("9999999999999.99"))
    client.refresh_from_db()
    assert client.sum == Decimal("9999999999999.99")
    client = make_client(sum=Decimal("1234567890123.47"))
    client.refresh_from_db()
    assert client.sum == Decimal("1234567890123.47")


def test_it_refuses_an_amount_it_could_not_store_exactly():
    with pytest.raises(ValidationError) as exc:
        make_client(sum=Decimal("12345678901234.56"))
    assert "digits" in str(exc.value)


def test_it_rejects_more_than_two_decimal_places():
    with pytest.raises(ValidationError):
        make_client(sum=Decimal("1.005"))


def test_it_rejects_an_invalid_phone():
    with pytest.raises(ValidationError) as exc:
        client_create(name="A", lastname="B", email="a@b.example", phone="+7 000")
    assert "phone" in exc.value.message_dict


def test_an_active_order_must_be_the_clients_own():
    client, other = make_client(), make_client()
    order = make_order(client=other)
    with pytest.raises(ValidationError):
        client_update(client=client, data={"active_order": order})


def test_handing_an_order_to_another_client_clears_the_old_reference():
    client, other = make_client(), make_client()
    order = make_order(client=client)
    client_update(client=client, data={"active_order": order})
    order_update(order=order, data={"client": other})
    client.refresh_from_db()
    assert client.active_order is None


def test_cancelling_an_order_clears_it_for_worker_and_client():
    worker, client = make_worker(), make_client()
    order = make_order(executor=worker, client=client)
    client_update(client=client, data={"active_order": order})
    order_update(order=order, data={"status": OrderStatus.CANCELLED})
    client.refresh_from_db()
    assert client.active_order is None


def test_it_refuses_to_delete_a_client_with_orders():
    client = make_client()
    make_order(client=client)
    with pytest.raises(ValidationError) as exc:
        client_delete(client=client)
    assert "cannot be deleted" in str(exc.value)
    assert Client.objects.filter(pk=client.pk).exists()


def test_search_column_folds_cyrillic_case():
    assert make_client(name="АННА", lastname="Семёнова").search == "анна семенова"
