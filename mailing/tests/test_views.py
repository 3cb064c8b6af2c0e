"""The mailing pages, through Django's test client, with a real SMTP server behind them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import PASSWORD
from corpnet.testing import make_client, make_worker
from mailing import sending
from mailing.models import Mailing, Recipient
from mailing.services import mailing_create

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def post_new(client, **data):
    base = {"audience": "clients", "filter_query": "", "subject": "Hi {{ name }}", "body_text": "Hello {{ name }}"}
    return client.post(reverse("mailing:new"), {**base, **data})


def test_the_pages_need_a_login(client):
    for url in (reverse("mailing:list"), reverse("mailing:new")):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", ["employee", "hr", "outsider"])
def test_users_without_the_permission_get_403_and_nothing_is_queued(client, cast, who):
    make_client()
    login(client, getattr(cast, who))
    assert client.get(reverse("mailing:new")).status_code == 403
    response = post_new(client, action="send", confirm_count="1")
    assert response.status_code == 403
    assert not Mailing.objects.exists()


def test_an_outsider_cannot_even_see_the_list(client, cast):
    login(client, cast.outsider)
    assert client.get(reverse("mailing:list")).status_code == 403


def test_employees_may_look_at_the_list(client, cast):
    login(client, cast.employee)
    assert client.get(reverse("mailing:list")).status_code == 200


def test_a_link_from_the_clients_list_prefills_the_filter(client, cast):
    make_client(email="rich@mail.example", sum=Decimal("200000"))
    login(client, cast.manager)
    response = client.get(reverse("mailing:new") + "?audience=clients&sum_min=100000&page=2")
    assert response.status_code == 200
    assert response.context["form"].initial["filter_query"] == "sum_min=100000"
    assert response.context["applied_description"] == "Clients — Deposit between: from 100000"


def test_preview_shows_the_count_the_first_recipients_and_a_sample(client, cast):
    make_client(name="Anna", email="anna@mail.example", sum=Decimal("200000"))
    make_client(name="Boris", email="boris@mail.example", sum=Decimal("5"))
    login(client, cast.manager)
    response = post_new(client, filter_query="sum_min=100000", action="preview")
    assert response.status_code == 200
    preview = response.context["preview"]
    assert preview.count == 1 and preview.subject == "Hi Anna"
    assert "Send to 1 recipient" in response.content.decode()
    assert not Mailing.objects.exists()


def test_send_without_confirmation_only_asks_for_it(client, cast):
    make_client()
    login(client, cast.manager)
    response = post_new(client, action="send")
    assert "Please check the preview and confirm sending to 1 recipient." in response.content.decode()
    assert not Mailing.objects.exists()


def test_confirmed_send_queues_the_mailing_and_returns_at_once(client, cast, django_capture_on_commit_callbacks):
    make_client(email="a@mail.example")
    login(client, cast.manager)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = post_new(client, action="send", confirm_count="1")
    mailing = Mailing.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("mailing:detail", args=[mailing.pk])
    # Sending is queued for after the commit, never done in the request.
    assert len(callbacks) == 1
    assert list(mailing.recipients.values_list("status", flat=True)) == ["pending"]


def test_a_header_injection_is_shown_as_an_error(client, cast):
    make_client()
    login(client, cast.manager)
    response = post_new(client, subject="Hi\r\nBcc: everyone@example.com", action="send", confirm_count="1")
    assert response.status_code == 400
    assert "single line" in response.content.decode()
    assert not Mailing.objects.exists()


def test_an_unknown_placeholder_is_shown_as_an_error(client, cast):
    make_client()
    login(client, cast.manager)
    response = post_new(client, body_text="Dear {{ salary }}", action="preview")
    assert response.status_code == 400
    assert "Unknown placeholder {{ salary }}" in response.content.decode()


def test_an_invalid_address_is_shown_as_an_error(client, cast):
    login(client, cast.manager)
    response = post_new(client, audience="address", email="nobody@", action="preview")
    assert response.status_code == 400
    assert "not a valid email address" in response.content.decode()


def test_send_a_test_to_me(client, cast, smtp):
    make_client(name="Anna")
    login(client, cast.manager)
    response = post_new(client, action="test")
    assert "A test copy was sent to manager@corpnet.example" in response.content.decode()
    assert smtp.recipients() == ["manager@corpnet.example"]
    assert not Mailing.objects.exists()


def test_one_person_found_by_name(client, cast):
    anna = make_client(name="Анна", lastname="Смирнова", email="anna@mail.example")
    login(client, cast.manager)
    response = client.get(reverse("mailing:new") + "?audience=client&find=СМИРНОВА")
    assert list(response.context["found"]) == [anna]
    response = client.get(reverse("mailing:new") + f"?audience=client&person={anna.pk}")
    assert response.context["chosen"] == anna


def make_mailing(cast, n=3):
    for i in range(n):
        make_client(email=f"m{i}@mail.example")
    return mailing_create(created_by=cast.manager, audience="clients", filter_params={}, subject="S", body_text="B")


def test_the_list_shows_progress_with_a_constant_number_of_queries(client, cast, django_assert_max_num_queries):
    for _ in range(5):
        make_mailing(cast, n=2)
    login(client, cast.manager)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("mailing:list"))
    assert response.status_code == 200
    assert response.content.decode().count('class="progress"') == 5


def test_the_detail_page_shows_each_recipient_with_a_constant_number_of_queries(
    client, cast, smtp, django_assert_max_num_queries
):
    mailing = make_mailing(cast, n=30)
    smtp.handler.refuse["m0@mail.example"] = "550 5.1.1 unknown user"
    sending.run_mailing(mailing_id=mailing.pk)
    login(client, cast.manager)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("mailing:detail", args=[mailing.pk]))
    body = response.content.decode()
    assert "550 5.1.1 unknown user" in body
    assert body.count('<td class="status-sent">') == 29
    assert "100%" in body


def test_pause_and_cancel_buttons_work_and_need_the_permission(client, cast):
    mailing = make_mailing(cast)
    login(client, cast.employee)
    assert client.post(reverse("mailing:action", args=[mailing.pk, "pause"])).status_code == 403
    login(client, cast.manager)
    client.post(reverse("mailing:action", args=[mailing.pk, "pause"]))
    mailing.refresh_from_db()
    assert mailing.status == "paused"
    client.post(reverse("mailing:action", args=[mailing.pk, "cancel"]))
    assert set(Recipient.objects.values_list("status", flat=True)) == {"cancelled"}


def test_actions_refuse_get(client, cast):
    mailing = make_mailing(cast)
    login(client, cast.manager)
    assert client.get(reverse("mailing:action", args=[mailing.pk, "pause"])).status_code == 405


def test_an_impossible_action_is_a_message_not_an_error(client, cast):
    mailing = make_mailing(cast)
    login(client, cast.manager)
    response = client.post(reverse("mailing:action", args=[mailing.pk, "resume"]), follow=True)
    assert "cannot be done now" in response.content.decode()


def test_the_outbox_exists_only_in_debug(client, cast, settings):
    login(client, cast.manager)
    settings.DEBUG = False
    assert client.get(reverse("mailing:outbox")).status_code == 404


def test_a_changed_audience_asks_to_confirm_the_new_count(client, cast):
    make_client()
    make_client()
    login(client, cast.manager)
    response = post_new(client, action="send", confirm_count="1")
    assert response.status_code == 400
    assert "now has 2 people, not 1" in response.content.decode()
    assert response.context["preview"].count == 2
    assert not Mailing.objects.exists()


def test_the_list_shows_each_mailings_counts(client, cast, smtp):
    mailing = make_mailing(cast, n=3)
    smtp.handler.refuse["m0@mail.example"] = "550 no"
    sending.run_mailing(mailing_id=mailing.pk)
    login(client, cast.manager)
    (row,) = client.get(reverse("mailing:list")).context["page"].object_list
    assert (row.n_sent, row.n_failed, row.n_pending, row.n_done) == (2, 1, 0, 3)


def test_the_outbox_shows_what_the_development_sink_received(client, cast, settings, tmp_path):
    from mailing.smtpserver import SMTPServer

    sink = SMTPServer(maildir=tmp_path / "mail", keep=False).start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = sink.host, sink.port
        make_client(name="Anna", email="anna@mail.example")
        mailing = mailing_create(
            created_by=cast.manager, audience="clients", filter_params={}, subject="Hi {{ name }}", body_text="Body"
        )
        sending.run_mailing(mailing_id=mailing.pk)
    finally:
        sink.stop()
    settings.DEBUG = True
    settings.MAILING_SINK_DIR = tmp_path / "mail"
    login(client, cast.manager)
    response = client.get(reverse("mailing:outbox"))
    (item,) = response.context["items"]
    assert item["subject"] == "Hi Anna" and item["to"] == "anna@mail.example"
    shown = client.get(reverse("mailing:outbox") + f"?key={item['key']}").context["shown"]
    assert shown["text"].startswith("Body")


def test_markup_in_names_and_the_html_part_is_shown_as_text_on_the_preview(client, cast):
    evil = make_client(name="<script>alert(1)</script>", lastname="X", email="evil@mail.example")
    assert evil.pk
    login(client, cast.manager)
    response = post_new(
        client,
        subject="Hi {{ name }}",
        body_text="Dear {{ name }}",
        body_html='<p>x</p>"><script>alert(2)</script>',
        action="preview",
    )
    page = response.content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    # The sender's HTML stays inside the srcdoc attribute, escaped.
    assert '"><script>alert(2)' not in page
    assert 'srcdoc="&lt;!doctype html&gt;' in page


def test_a_filter_typed_but_not_applied_never_sends_to_the_wider_audience(client, cast):
    make_client(email="rich@mail.example", sum=Decimal("200000"))
    make_client(email="poor@mail.example", sum=Decimal("5"))
    login(client, cast.manager)
    base = {"audience": "clients", "shown_audience": "clients", "subject": "S", "body_text": "B"}
    # Previewed with no filter (2 people), then a filter typed and Send pressed.
    response = client.post(
        reverse("mailing:new"),
        {**base, "filter_query": "", "f-sum_min": "100000", "action": "send", "confirm_count": "2"},
    )
    assert response.status_code == 400
    assert "changed after the preview" in response.content.decode()
    assert not Mailing.objects.exists()
    # Preview applies what is typed: the count and the button follow it.
    response = client.post(
        reverse("mailing:new"), {**base, "filter_query": "", "f-sum_min": "100000", "action": "preview"}
    )
    assert response.context["preview"].count == 1
    assert response.context["form"]["filter_query"].value() == "sum_min=100000"


def test_applying_a_filter_or_picking_a_person_keeps_the_draft(client, cast):
    anna = make_client(name="Анна", email="anna@mail.example")
    login(client, cast.manager)
    draft = {"subject": "Черновик", "body_text": "Текст, который жалко потерять"}
    response = client.post(
        reverse("mailing:new"),
        {"audience": "clients", "shown_audience": "clients", "f-name": "анна", "action": "apply", **draft},
    )
    assert response.status_code == 200
    assert response.context["form"]["body_text"].value() == draft["body_text"]
    assert response.context["form"]["filter_query"].value() == "name=%D0%B0%D0%BD%D0%BD%D0%B0"
    response = client.post(
        reverse("mailing:new"), {"audience": "client", "shown_audience": "clients", "pick": str(anna.pk), **draft}
    )
    assert response.context["chosen"] == anna
    assert response.context["form"]["subject"].value() == draft["subject"]


def test_a_dismissed_worker_cannot_be_mailed_alone(client, cast):
    from staff.models import Worker

    worker = make_worker()
    Worker.objects.filter(pk=worker.pk).update(dismissed_at="2025-01-01T00:00:00Z")
    login(client, cast.manager)
    response = post_new(client, audience="worker", person=str(worker.pk), action="preview")
    assert response.status_code == 400
    assert "dismissed" in response.content.decode()
    assert selectors_find(worker) == []


def selectors_find(worker):
    from mailing.selectors import find_people

    return find_people(audience="worker", text=str(worker.pk))


def test_an_address_that_cannot_receive_mail_is_skipped_and_listed(client, cast):
    from clients.models import Client

    make_client(email="good@mail.example")
    bad = make_client(email="bad@mail.example")
    Client.objects.filter(pk=bad.pk).update(email='"<b>x</b>"@mail.example')
    login(client, cast.manager)
    response = post_new(client, action="preview")
    preview = response.context["preview"]
    assert preview.count == 1 and len(preview.skipped) == 1
    assert "cannot receive mail and is skipped" in response.content.decode()
    response = post_new(client, action="send", confirm_count=str(preview.matched), confirm_key=preview.key)
    mailing = Mailing.objects.get()
    assert dict(mailing.recipients.values_list("email", "status")) == {
        "good@mail.example": "pending",
        '"<b>x</b>"@mail.example': "skipped",
    }
    assert mailing.skipped_count == 1


def test_a_too_long_text_is_a_field_error_that_keeps_the_text(client, cast):
    make_client()
    login(client, cast.manager)
    text = "x" * 100_001
    response = post_new(client, body_text=text, action="preview")
    assert response.status_code == 400
    assert response.context["form"]["body_text"].value() == text
    assert "100000" in str(response.context["form"].errors["body_text"]) or "100 000" in str(
        response.context["form"].errors["body_text"]
    )
