"""Validation, audiences and the state changes, written through the services."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from corpnet.testing import make_client, make_post, make_worker
from mailing import sending
from mailing.models import Mailing, MailingEvent, Recipient
from mailing.services import (
    mailing_cancel,
    mailing_create,
    mailing_pause,
    mailing_preview,
    mailing_resume,
    mailing_retry_failed,
    mailing_send_test,
    may_do,
)
from staff.models import Worker

pytestmark = pytest.mark.django_db


def create(cast, **kwargs):
    args = {"audience": "clients", "filter_params": {}, "subject": "Hi {{ name }}", "body_text": "Hello"}
    return mailing_create(created_by=cast.manager, **{**args, **kwargs})


@pytest.mark.parametrize("subject", ["Hi\nBcc: victim@example.com", "Hi\r\nX-Evil: 1", "Hi\r"])
def test_a_subject_with_a_line_break_is_refused_before_anything_is_queued(cast, subject):
    make_client()
    with pytest.raises(ValidationError) as exc:
        create(cast, subject=subject)
    assert "single line" in str(exc.value)
    assert not Mailing.objects.exists() and not Recipient.objects.exists()


def test_an_empty_body_is_refused(cast):
    make_client()
    with pytest.raises(ValidationError, match="empty"):
        create(cast, body_text="   \n")
    assert not Mailing.objects.exists()


@pytest.mark.parametrize("text", ["Dear {{ nmae }}", "{{ name|upper }}", "{{ settings.SECRET_KEY }}", "{{}}"])
def test_an_unknown_placeholder_is_refused(cast, text):
    make_client()
    with pytest.raises(ValidationError, match="Unknown placeholder"):
        create(cast, body_text=text)
    assert not Mailing.objects.exists()


def test_template_tags_in_the_text_are_sent_literally_not_executed(cast, smtp):
    make_client(email="a@mail.example")
    mailing = create(cast, body_text="{% load static %}{% debug %} {{ email }}")
    sending.run_mailing(mailing_id=mailing.pk)
    assert "{% load static %}{% debug %} a@mail.example" in smtp.messages[0].get_body(("plain",)).get_content()


def test_an_invalid_address_is_refused(cast):
    with pytest.raises(ValidationError, match="not a valid email"):
        create(cast, audience="address", filter_params={"email": "not-an-address"})
    assert not Mailing.objects.exists()


def test_an_invalid_filter_is_refused_instead_of_mailing_everyone(cast):
    make_client()
    with pytest.raises(ValidationError, match="filter is not valid"):
        create(cast, filter_params={"sum_min": "lots"})
    assert not Mailing.objects.exists()


def test_an_audience_with_nobody_in_it_is_refused(cast):
    with pytest.raises(ValidationError, match="Nobody"):
        create(cast, filter_params={"sum_min": "999999999"})


def test_opted_out_clients_are_excluded_even_when_the_filter_asks_for_them(cast):
    make_client(email="optout@mail.example", mailing_opt_out=True)
    with pytest.raises(ValidationError, match="Nobody"):
        create(cast, filter_params={"mailing_opt_out": "true"})


def test_a_client_filter_selects_by_deposit(cast):
    make_client(email="rich@mail.example", sum=Decimal("200000"))
    make_client(email="poor@mail.example", sum=Decimal("10"))
    make_client(email="optout@mail.example", sum=Decimal("500000"), mailing_opt_out=True)
    mailing = create(cast, filter_params={"sum_min": "100000"})
    assert list(mailing.recipients.values_list("email", flat=True)) == ["rich@mail.example"]
    assert mailing.filter_params == {"sum_min": ["100000"]}
    assert mailing.audience_description == "Clients — Deposit between: from 100000"


def test_a_worker_filter_selects_by_post_and_never_includes_dismissed_workers(cast):
    trader = make_post("Trader")
    make_worker(post=trader, email="t1@corpnet.example")
    gone = make_worker(post=trader, email="gone@corpnet.example")
    Worker.objects.filter(pk=gone.pk).update(dismissed_at=timezone.now())
    make_worker(email="other@corpnet.example")
    mailing = create(cast, audience="workers", filter_params={"post": str(trader.pk), "state": "all"})
    assert list(mailing.recipients.values_list("email", flat=True)) == ["t1@corpnet.example"]


def test_the_same_address_twice_is_one_recipient_whatever_its_case(cast):
    make_client(email="twin@mail.example")
    make_client(email="TWIN@mail.example")
    make_client(email="other@mail.example")
    mailing = create(cast)
    assert mailing.recipients.count() == 2
    assert mailing.recipient_count == 2


def test_one_client_by_id(cast):
    client = make_client(name="Olga", lastname="K", email="olga@mail.example")
    mailing = create(cast, audience="client", filter_params={"id": client.pk})
    recipient = mailing.recipients.get()
    assert (recipient.email, recipient.name, recipient.kind, recipient.object_id) == (
        "olga@mail.example",
        "Olga",
        "client",
        client.pk,
    )


def test_an_opted_out_client_cannot_be_mailed_even_alone(cast):
    client = make_client(mailing_opt_out=True)
    with pytest.raises(ValidationError, match="opted out"):
        create(cast, audience="client", filter_params={"id": client.pk})


def test_who_may_steer_a_mailing(cast, django_user_model):
    from django.contrib.auth.models import Group

    make_client()
    mailing = create(cast)
    other = django_user_model.objects.create_user("other", "o@corpnet.example", "x")
    other.groups.add(Group.objects.get(name="manager"))
    assert may_do(user=other, mailing=mailing, action="pause")
    assert not may_do(user=other, mailing=mailing, action="cancel")
    assert not may_do(user=other, mailing=mailing, action="resume")
    assert may_do(user=cast.manager, mailing=mailing, action="cancel")
    assert may_do(user=cast.admin, mailing=mailing, action="retry-failed")
    assert not may_do(user=cast.employee, mailing=mailing, action="pause")


def test_superusers_may_send(cast):
    make_client()
    assert mailing_create(created_by=cast.admin, audience="clients", filter_params={}, subject="S", body_text="B")


def test_creating_records_who_sent_what_to_whom_and_when(cast):
    make_client()
    mailing = create(cast)
    event = mailing.events.get()
    assert (event.actor, event.action) == (cast.manager, MailingEvent.Action.CREATED)
    assert mailing.created_by == cast.manager and mailing.created_at is not None


def test_pause_stops_sending_and_resume_finishes_it(cast, smtp):
    for i in range(3):
        make_client(email=f"p{i}@mail.example")
    mailing = create(cast)
    mailing_pause(mailing=mailing, by=cast.manager)
    assert sending.run_mailing(mailing_id=mailing.pk).sent == 0
    assert smtp.messages == []
    mailing_resume(mailing=mailing, by=cast.manager)
    sending.run_mailing(mailing_id=mailing.pk)
    assert len(smtp.messages) == 3
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.DONE
    assert [e.action for e in mailing.events.all()] == ["created", "paused", "resumed", "finished"]


def test_cancel_marks_the_rest_cancelled_and_nothing_more_is_sent(cast, smtp):
    for i in range(3):
        make_client(email=f"c{i}@mail.example")
    mailing = create(cast)
    mailing_cancel(mailing=mailing, by=cast.manager)
    sending.run_mailing(mailing_id=mailing.pk)
    assert smtp.messages == []
    assert set(mailing.recipients.values_list("status", flat=True)) == {"cancelled"}
    with pytest.raises(ValidationError):
        mailing_resume(mailing=mailing, by=cast.manager)


def test_retry_failed_sends_the_failed_ones_again(cast, smtp):
    make_client(email="bounce@mail.example")
    make_client(email="fine@mail.example")
    smtp.handler.refuse["bounce@mail.example"] = "550 no such user"
    mailing = create(cast)
    sending.run_mailing(mailing_id=mailing.pk)
    smtp.handler.refuse.clear()
    assert mailing_retry_failed(mailing=mailing, by=cast.manager) == 1
    sending.run_mailing(mailing_id=mailing.pk)
    assert sorted(smtp.recipients()) == ["bounce@mail.example", "fine@mail.example"]
    assert set(mailing.recipients.values_list("status", flat=True)) == {"sent"}


def test_a_test_send_goes_only_to_the_user_filled_in_for_the_first_recipient(cast, smtp):
    make_client(name="Anna", email="anna@mail.example")
    reply = mailing_send_test(
        user=cast.manager, audience="clients", filter_params={}, subject="Hi {{ name }}", body_text="B"
    )
    assert reply.startswith("250")
    assert smtp.recipients() == ["manager@corpnet.example"]
    assert smtp.messages[0]["Subject"] == "[TEST] Hi Anna"
    assert not Mailing.objects.exists()


def test_a_test_send_reports_the_servers_refusal(cast, smtp):
    make_client()
    smtp.handler.refuse["manager@corpnet.example"] = "550 go away"
    with pytest.raises(ValidationError, match="550 go away"):
        mailing_send_test(user=cast.manager, audience="clients", filter_params={}, subject="S", body_text="B")


def test_preview_counts_and_renders_the_first_recipient(cast):
    make_client(name="Anna", lastname="A", email="a@mail.example")
    make_client(name="Boris", lastname="B", email="b@mail.example")
    preview = mailing_preview(
        audience="clients", filter_params={}, subject="Hi {{ name }}", body_text="Dear {{ fullname }}"
    )
    assert preview.count == 2
    assert preview.subject == "Hi Anna"
    assert preview.text.startswith("Dear A Anna")  # last name first, as everywhere


def test_every_list_page_filter_counts_including_email(cast):
    make_client(email="anna@bank.example")
    make_client(email="boris@mail.example")
    mailing = create(cast, filter_params={"email": "bank", "page": "3", "order_by": "name"})
    assert list(mailing.recipients.values_list("email", flat=True)) == ["anna@bank.example"]
    assert mailing.filter_params == {"email": ["bank"]}
