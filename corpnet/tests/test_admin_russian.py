"""The admin and the forms in grammatical Russian: cases, counts, messages."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from corpnet.testing import make_client, make_post, make_worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def russian_admin(client, cast):
    client.force_login(cast.admin)
    client.cookies["django_language"] = "ru"
    return client


def test_the_list_title_and_add_button_take_the_accusative(russian_admin):
    make_worker()
    body = russian_admin.get("/admin/staff/worker/").text
    assert "<h1>Выберите сотрудника для изменения</h1>" in body
    assert "Добавить сотрудника" in body and "Добавить сотрудник\n" not in body
    assert "1 сотрудник" in body


def test_read_only_lists_take_the_accusative_too(russian_admin):
    assert "Выберите рассылку для просмотра" in russian_admin.get("/admin/mailing/mailing/").text


@pytest.mark.parametrize(("n", "word"), [(1, "клиент"), (3, "клиента"), (5, "клиентов"), (21, "клиент")])
def test_the_count_agrees_with_its_number(russian_admin, n, word):
    for _ in range(n):
        make_client()
    assert f"{n} {word}\n" in russian_admin.get("/admin/clients/client/").text


def test_plural_titles_are_nominative(russian_admin):
    body = russian_admin.get("/admin/").text
    assert ">Сотрудники</a>" in body and "Сотрудников" not in body
    assert "Фоновые задачи" in body and "Tasks Database Backend" not in body


def test_the_add_and_delete_pages(russian_admin):
    worker = make_worker()
    assert "<h1>Добавить сотрудника</h1>" in russian_admin.get("/admin/staff/worker/add/").text
    assert "Добавить должность" in russian_admin.get("/admin/staff/post/add/").text
    body = russian_admin.get(f"/admin/staff/worker/{worker.pk}/change/").text
    assert "Изменить сотрудника" in body and "Version" not in body


def test_english_is_untouched(client, cast):
    client.force_login(cast.admin)
    body = client.get("/admin/staff/worker/").text
    assert "Select worker to change" in body and "Add worker" in body


def test_a_duplicate_post_title_is_refused_in_proper_russian():
    make_post("Бухгалтер")
    with translation.override("ru"):
        with pytest.raises(ValidationError) as refused:
            make_post("Бухгалтер")
        assert "Должность с таким названием уже существует." in refused.value.messages


def test_an_invalid_phone_is_entered_with_yo():
    from phonenumber_field.validators import validate_international_phonenumber

    with translation.override("ru"):
        with pytest.raises(ValidationError) as refused:
            validate_international_phonenumber("+7 000")
        assert "Введён" in refused.value.messages[0]


def test_the_home_figures_agree_with_their_numbers(client, cast):
    for _ in range(2):
        make_client()
    client.force_login(cast.employee)
    client.cookies["django_language"] = "ru"
    body = client.get("/").text
    assert '<span class="label">клиента</span>' in body
