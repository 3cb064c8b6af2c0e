"""A NUL in the query string is a clear 400 on both databases (PostgreSQL cannot store or
compare it; SQLite would take it), before any filter, cursor or export record reads it."""

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/orders/?title=%00", "/clients/export.csv?name=a%00b", "/api/v1/orders/?cursor=%00"])
def test_a_nul_in_the_query_string_is_refused_with_400(admin_client, url):
    assert admin_client.get(url).status_code == 400


@pytest.mark.django_db
def test_an_ordinary_query_still_passes(admin_client):
    assert admin_client.get("/orders/?title=abc").status_code == 200


@pytest.mark.django_db
def test_the_api_answers_a_nul_with_json(admin_client):
    response = admin_client.get("/api/v1/clients/?name=%00")
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]
