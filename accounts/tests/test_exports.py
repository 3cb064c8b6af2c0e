"""Bulk exports of client data: their own permission, and a record of each."""

from __future__ import annotations

import pytest

from accounts.models import ExportRecord
from corpnet.testing import make_client

pytestmark = pytest.mark.django_db


def test_only_exporters_take_the_clients_csv_and_each_export_is_recorded(client, cast):
    for i in range(3):
        make_client(email=f"e{i}@mail.example")
    client.force_login(cast.employee)
    assert client.get("/clients/export.csv").status_code == 403
    assert not ExportRecord.objects.exists()
    client.force_login(cast.manager)
    response = client.get("/clients/export.csv", {"email": "e1"})
    assert response.status_code == 200
    b"".join(response.streaming_content)
    record = ExportRecord.objects.get()
    assert (record.user, record.what, record.row_count) == (cast.manager, "clients.csv", 1)
    assert record.filter_params == {"email": "e1"} and record.ip_address == "127.0.0.1"
    assert "no-store" in response["Cache-Control"]


def test_api_pages_beyond_one_page_of_clients_take_the_export_permission(api, cast):
    for i in range(3):
        make_client(email=f"p{i}@mail.example")
    assert api(cast.employee).get("/api/v1/clients/").status_code == 200
    assert api(cast.employee).get("/api/v1/clients/", {"page_size": 50}).status_code == 200
    refused = api(cast.employee).get("/api/v1/clients/", {"page_size": 500})
    assert refused.status_code == 403 and "bulk export" in refused.json()["detail"]
    assert not ExportRecord.objects.exists()
    response = api(cast.manager).get("/api/v1/clients/", {"page_size": 500})
    assert response.status_code == 200 and len(response.json()["results"]) == 3
    record = ExportRecord.objects.get()
    assert (record.user, record.what, record.row_count, record.filter_params) == (
        cast.manager,
        "api:client",
        3,
        {"page_size": "500"},
    )


def test_exports_are_shown_to_the_admin_and_changed_by_nobody(client, cast):
    record = ExportRecord.objects.create(user=cast.manager, what="clients.csv", row_count=7)
    client.force_login(cast.admin)
    assert "clients.csv" in client.get("/admin/accounts/exportrecord/").text
    assert client.get("/admin/accounts/exportrecord/add/").status_code == 403
    assert client.get(f"/admin/accounts/exportrecord/{record.pk}/delete/").status_code == 403
    assert client.post(f"/admin/accounts/exportrecord/{record.pk}/change/", {"row_count": 1}).status_code == 403
    record.refresh_from_db()
    assert record.row_count == 7


def test_pages_for_a_logged_in_user_are_not_stored(client, cast):
    client.force_login(cast.employee)
    assert "no-store" in client.get("/clients/").headers["Cache-Control"]
    client.logout()
    assert "no-store" not in client.get("/healthz").headers.get("Cache-Control", "")
