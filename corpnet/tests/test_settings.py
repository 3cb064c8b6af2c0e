"""Production settings refuse unsafe values; development defaults stay safe."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from corpnet.env import envbool, envint

ROOT = Path(__file__).resolve().parents[2]
# src=/href= to another host (http:, https: or protocol-relative), CSS url() and @import of a
# remote file.
REMOTE_ASSET = re.compile(
    r"""(?:src|href)\s*=\s*["']?(?:https?:)?//|url\(\s*["']?(?:https?:)?//|@import\s+["']?(?:url\()?["']?(?:https?:)?//"""
)
PROD_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "Xq9!vR2#mT7$kL4@pN8^wZ1&bC6*hJ3(dF5)gS0_yU+eA-iO=rE;tY:uI,oP.lK/jH",
    "ALLOWED_HOSTS": "corpnet.example.com",
    "DATABASE_URL": "sqlite:////tmp/corpnet-deploy-check.sqlite3",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "corpnet.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PROD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PROD_ENV, "SECRET_KEY": ""}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_refuses_a_weak_secret_key():
    result = manage("check", env={**PROD_ENV, "SECRET_KEY": "secret"})
    assert result.returncode != 0
    assert "too weak" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = manage("check", env={**PROD_ENV, "ALLOWED_HOSTS": ""})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_a_nonsense_boolean_is_refused(monkeypatch):
    monkeypatch.setenv("DEBUG", "ture")
    with pytest.raises(ImproperlyConfigured, match="not a boolean"):
        envbool("DEBUG", False)


def test_a_nonsense_number_is_refused(monkeypatch):
    monkeypatch.setenv("EMAIL_PORT", "twenty-five")
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        envint("EMAIL_PORT", 25)


def test_migrations_match_the_models():
    result = manage("makemigrations", "--check", "--dry-run", env={"DEBUG": "1"})
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_template_or_static_file_loads_anything_from_another_host():
    # The intranet must work offline, so every asset is served by us.
    offenders = []
    folders = [ROOT / "templates", ROOT / "static", *ROOT.glob("*/templates")]
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file() and path.suffix in {".html", ".css", ".js", ".svg"}:
                if REMOTE_ASSET.search(path.read_text(encoding="utf-8", errors="replace")):
                    offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_the_offline_check_would_catch_a_remote_asset():
    for sample in (
        '<script src="https://cdn.example.com/x.js"></script>',
        "<link href='//fonts.example.com/a.css'>",
        "body { background: url(https://img.example.com/a.png) }",
        '@import url("https://fonts.example.com/css")',
    ):
        assert REMOTE_ASSET.search(sample), sample
    assert not REMOTE_ASSET.search('<link href="/static/css/corpnet.css"><a href="/orders/">')


def test_the_served_app_is_production_by_default():
    """gunicorn loads corpnet.wsgi: with no DEBUG set it must insist on a SECRET_KEY."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DEBUG"}}
    result = subprocess.run(
        [sys.executable, "-c", "import corpnet.wsgi"], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_manage_py_commands_run_with_development_defaults():
    clean = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DEBUG"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr


def database_options(url: str, **env: str) -> str:
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; o = settings.DATABASES['default']['OPTIONS']; print(sorted(o.items()))",
        env={"DEBUG": "1", "DATABASE_URL": url, **env},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_postgresql_binds_parameters_on_the_server_and_prepares_repeated_statements():
    url = "postgres://corpnet:pw@db.example.com:5432/corpnet?sslmode=require"
    assert database_options(url) == (
        "[('prepare_threshold', 5), ('server_side_binding', True), ('sslmode', 'require')]"
    )
    # Behind a pooler that cannot keep prepared statements.
    assert "('prepare_threshold', None)" in database_options(url, DB_PREPARED_STATEMENTS="0")


@pytest.mark.postgresql
@pytest.mark.django_db
def test_a_query_run_often_on_one_connection_is_prepared_once():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's: runs on PostgreSQL (scripts/run_tests.py)")
    with connection.cursor() as cursor:
        for n in range(7):
            cursor.execute("SELECT %s + 1 AS corpnet_probe", [n])
            assert cursor.fetchone() == (n + 1,)
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", ["%corpnet_probe%"])
        assert cursor.fetchone() == (1,)
