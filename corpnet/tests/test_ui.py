"""The frame every page shares: error pages, skip link, favicon, and `make run`'s ports."""

import importlib.util
import socket
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import path

from corpnet import urls as project_urls

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def boom(request):
    raise RuntimeError("deliberate failure for the 500 page")


# A URLconf with one failing view, for the 500 page; everything else is the project's.
urlpatterns = [path("boom/", boom), *project_urls.urlpatterns]
handler500 = project_urls.handler500


def in_language(client, language: str) -> None:
    client.cookies["django_language"] = language


@pytest.mark.parametrize(
    ("language", "heading", "nav"),
    [("en", "Page not found", "Orders"), ("ru", "Страница не найдена", "Заказы")],
)
def test_the_404_page_is_translated_and_keeps_the_navigation(client, cast, language, heading, nav):
    client.force_login(cast.employee)
    in_language(client, language)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.text
    assert heading in body and f">{nav}</a>" in body
    assert "css/corpnet.css" in body and 'class="skip-link"' in body


def test_the_403_page_is_styled_and_translated(client, cast):
    client.force_login(cast.outsider)  # logged in, no role
    in_language(client, "ru")
    response = client.get("/orders/")
    assert response.status_code == 403
    assert "Доступ запрещён" in response.text and "css/corpnet.css" in response.text
    assert "Forbidden" not in response.text


def test_the_csrf_failure_page_explains_and_keeps_the_navigation(cast):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(cast.employee)
    in_language(strict, "ru")
    response = strict.post("/i18n/setlang/", {"language": "en"})
    assert response.status_code == 403
    assert "Срок действия формы истёк" in response.text and ">Заказы</a>" in response.text


@pytest.mark.urls(__name__)
def test_the_500_page_has_the_navigation(client, cast):
    client.raise_request_exception = False
    client.force_login(cast.employee)
    in_language(client, "ru")
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "Что-то пошло не так" in response.text and ">Заказы</a>" in response.text


def test_the_favicon_is_a_static_file_and_the_root_path_redirects_to_it(client):
    assert finders.find("favicon.svg")
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("/static/favicon.svg")


def test_the_skip_link_is_the_first_link_and_points_at_main(client, cast):
    client.force_login(cast.employee)
    body = client.get("/").text
    assert body.index('class="skip-link"') < body.index('class="brand"')
    assert 'href="#main"' in body and '<main id="main"' in body


def load_dev():
    spec = importlib.util.spec_from_file_location("dev", ROOT / "scripts" / "dev.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_make_run_keeps_an_explicit_email_port():
    assert load_dev().sink_port({"EMAIL_PORT": "2525"}) == 2525


def test_make_run_picks_another_sink_port_when_the_usual_one_is_taken():
    dev = load_dev()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        assert not dev.port_is_free("127.0.0.1", busy)
        chosen = dev.sink_port({}, preferred=busy)
        assert chosen != busy
        # The chosen port really is free: the SMTP sink can listen on it.
        from mailing.smtpserver import SMTPServer

        server = SMTPServer(host="127.0.0.1", port=chosen, maildir=None, keep=False)
        server.start()
        server.stop()


def test_make_run_moves_the_sink_when_another_copy_takes_its_port_first():
    """Two `make run` started together may both find 8025 free; the one that loses retries."""
    import os
    import signal

    dev = load_dev()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        env = {**os.environ, "EMAIL_PORT": str(busy)}
        sink = dev.start_sink(env, explicit=False)
        try:
            assert env["EMAIL_PORT"] != str(busy)
            with socket.create_connection(("127.0.0.1", int(env["EMAIL_PORT"])), timeout=10) as smtp:
                assert smtp.recv(100).startswith(b"220")
        finally:
            os.killpg(sink.pid, signal.SIGTERM)
            sink.wait(timeout=20)
