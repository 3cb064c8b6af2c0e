"""The mailings endpoint: created through the mailing services and delivered to a real SMTP server."""

from __future__ import annotations

import pytest

from corpnet.testing import make_client, make_worker
from mailing.models import Mailing, Recipient

pytestmark = pytest.mark.django_db

URL = "/api/v1/mailings/"


def create(client, **body):
    payload = {"subject": "Здравствуйте, {{ name }}", "body_text": "Текст для {{ name }} {{ lastname }}.", **body}
    return client.post(URL, payload, format="json")


def test_a_manager_mails_clients_chosen_by_the_clients_page_filter_and_they_receive_it(
    api, cast, smtp, django_capture_on_commit_callbacks
):
    make_client("Пётр", "Иванов", email="petr@mail.example")
    make_client("Ольга", "Иванова", email="olga@mail.example", mailing_opt_out=True)
    make_client("Анна", "Смирнова", email="anna@mail.example")
    with django_capture_on_commit_callbacks(execute=True):
        response = create(api(cast.manager), audience="clients", filter_params={"name": "иванов"})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["recipient_count"] == 1  # the opted-out client is left out, as on the page
    assert smtp.recipients() == ["petr@mail.example"]
    assert smtp.messages[0]["Subject"] == "Здравствуйте, Пётр"
    mailing = api(cast.manager).get(f"{URL}{body['id']}/").json()
    assert (mailing["status"], mailing["sent"], mailing["failed"]) == ("done", 1, 0)
    results = api(cast.employee).get(f"{URL}{body['id']}/recipients/").json()["results"]
    assert [(r["email"], r["status"]) for r in results] == [("petr@mail.example", "sent")]


def test_a_mailing_to_one_worker_by_id(api, cast, smtp, django_capture_on_commit_callbacks):
    worker = make_worker("Анна Ким", email="kim@corpnet.example")
    with django_capture_on_commit_callbacks(execute=True):
        response = create(api(cast.manager), audience="worker", filter_params={"id": str(worker.pk)})
    assert response.status_code == 201, response.json()
    assert smtp.recipients() == ["kim@corpnet.example"]


@pytest.mark.parametrize("who", ["employee", "hr", "outsider"])
def test_only_senders_create_mailings(api, cast, who):
    make_client()
    response = create(api(getattr(cast, who)), audience="clients")
    assert response.status_code == 403
    assert not Mailing.objects.exists()


def test_employees_read_mailings_but_outsiders_and_anonymous_do_not(api, cast):
    assert api(cast.employee).get(URL).status_code == 200
    assert api(cast.outsider).get(URL).status_code == 403
    assert api().get(URL).status_code == 401


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"audience": "clients", "subject": "Line\nbreak"}, "subject"),
        ({"audience": "clients", "body_text": "{{ unknown }}"}, "body_text"),
        ({"audience": "clients", "filter_params": {"sum_min": "-5"}}, "audience"),
        ({"audience": "clients", "filter_params": {"name": "никого нет"}}, "audience"),
        ({"audience": "client", "filter_params": {"id": "999999"}}, "person"),
        ({"audience": "address", "filter_params": {"email": "not-an-address"}}, "email"),
        ({"audience": "everyone"}, "audience"),
        ({"audience": "clients", "filter_params": {"name": {"nested": 1}}}, "filter_params"),
        ({"audience": "clients", "filter_params": {"summ_min": "9990000"}}, "filter_params"),
        ({"audience": "clients", "filter_params": {"post": "3"}}, "filter_params"),
        ({"audience": "workers", "filter_params": {"sum_min": "1"}}, "filter_params"),
    ],
)
def test_bad_input_answers_400_naming_the_field_and_queues_nothing(api, cast, body, field):
    make_client()
    response = create(api(cast.manager), **body)
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not Mailing.objects.exists()
    assert not Recipient.objects.exists()


def test_pause_resume_cancel_and_retry_go_through_the_services(api, cast, smtp, django_capture_on_commit_callbacks):
    make_client(email="bounce@mail.example")
    make_client(email="fine@mail.example")
    smtp.handler.refuse["bounce@mail.example"] = "550 no such user"
    manager = api(cast.manager)
    with django_capture_on_commit_callbacks(execute=True):
        mailing = create(manager, audience="clients").json()
    url = f"{URL}{mailing['id']}"
    assert manager.get(f"{url}/").json()["failed"] == 1
    # Done already: pausing is refused with the service's message.
    refused = manager.post(f"{url}/pause/")
    assert refused.status_code == 400
    smtp.handler.refuse.clear()
    with django_capture_on_commit_callbacks(execute=True):
        retried = manager.post(f"{url}/retry-failed/")
    assert retried.status_code == 200, retried.json()
    assert retried.json()["queued"] == 1
    # The server accepted "fine" the first time and "bounce" on the retry.
    assert sorted(smtp.recipients()) == ["bounce@mail.example", "fine@mail.example"]
    assert manager.get(f"{url}/").json()["sent"] == 2
    assert api(cast.employee).post(f"{url}/cancel/").status_code == 403


def test_a_running_mailing_is_paused_resumed_and_cancelled(api, cast):
    from mailing.services import mailing_create

    make_client()
    # Created without running the on-commit queueing, so it stays "running" with a pending recipient.
    mailing = mailing_create(created_by=cast.manager, audience="clients", filter_params={}, subject="S", body_text="T")
    manager = api(cast.manager)
    assert manager.post(f"{URL}{mailing.pk}/pause/").json()["status"] == "paused"
    assert manager.post(f"{URL}{mailing.pk}/resume/").json()["status"] == "running"
    cancelled = manager.post(f"{URL}{mailing.pk}/cancel/").json()
    assert (cancelled["status"], cancelled["cancelled"]) == ("cancelled", 1)


def test_the_mailings_list_costs_a_constant_number_of_queries(api, cast, django_assert_max_num_queries):
    from mailing.services import mailing_create

    for i in range(5):
        make_client(email=f"c{i}@mail.example")
    for _ in range(10):
        mailing_create(created_by=cast.manager, audience="clients", filter_params={}, subject="S", body_text="T")
    reader = api(cast.employee)
    with django_assert_max_num_queries(7):
        assert len(reader.get(URL).json()["results"]) == 10


def test_an_unknown_filter_key_is_named_and_page_parameters_are_not_part_of_the_audience(api, cast):
    make_client(email="a@mail.example")
    response = create(api(cast.manager), audience="clients", filter_params={"summ_min": "9990000"})
    assert response.status_code == 400
    assert "summ_min" in str(response.json()["filter_params"])
    response = create(
        api(cast.manager), audience="clients", filter_params={"has_active_order": "false", "size": "25", "page": "2"}
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["filter_params"] == {"has_active_order": ["false"]}
    assert body["audience_description"].startswith("Clients — ")
    assert body["audience_description"].endswith(": no")
    assert "size" not in body["audience_description"]
