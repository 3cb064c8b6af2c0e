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


@pytest.mark.django_db
def test_the_400_page_is_the_sites_own_with_a_way_on(client, django_user_model, settings):
    """Django's own 400 page is one bare line in English; ours has the menu and is translated."""
    settings.LANGUAGE_CODE = "ru"
    user = django_user_model.objects.create_user("reader", password="x")
    client.force_login(user)
    response = client.get("/orders/?title=%00", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Неверный запрос" in page
    assert 'data-error="400"' in page
    assert 'href="/"' in page
