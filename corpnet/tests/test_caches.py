"""CACHE_URL: the shared cache behind throttles and lockouts, on the database and on Redis."""

from __future__ import annotations

import pytest
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import override_settings

from conftest import missing
from corpnet.caches import parse_cache_url
from scripts.redistemp import RedisMissing, temporary_redis


def test_cache_urls_are_read_and_nonsense_refused():
    assert parse_cache_url("db://") == {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "corpnet_cache",
    }
    assert parse_cache_url("db://other")["LOCATION"] == "other"
    assert parse_cache_url("redis://cache:6379/1") == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache:6379/1",
    }
    assert parse_cache_url("locmem://")["BACKEND"].endswith("LocMemCache")
    with pytest.raises(ImproperlyConfigured):
        parse_cache_url("memcached://x")


def _two_processes_share(first, second) -> None:
    """What one process counts, another sees: a throttle or lockout counter."""
    first.set("attempts:1.2.3.4", 1, 60)
    second.incr("attempts:1.2.3.4")
    assert first.get("attempts:1.2.3.4") == 2
    second.delete("attempts:1.2.3.4")
    assert first.get("attempts:1.2.3.4") is None


@pytest.mark.django_db
def test_the_database_cache_is_shared():
    config = parse_cache_url("db://")
    with override_settings(CACHES={"default": config}):
        call_command("createcachetable", verbosity=0)
    _two_processes_share(DatabaseCache(config["LOCATION"], {}), DatabaseCache(config["LOCATION"], {}))


@pytest.fixture
def redis_url():
    try:
        with temporary_redis() as url:
            yield url
    except RedisMissing as exc:
        missing(str(exc))


def test_redis_is_shared_and_carries_the_api_throttle(redis_url, api, cast, settings):
    config = parse_cache_url(redis_url)
    _two_processes_share(RedisCache(redis_url, {}), RedisCache(redis_url, {}))
    # The throttle (and the lockout) use the default cache: with Redis there, a wrong token
    # is counted in Redis, where every process sees it.
    settings.CACHES = {"default": config}  # Django rebuilds its cache handlers
    guesser = api()
    guesser.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert guesser.get("/api/v1/clients/").status_code == 401
    import redis

    keys = redis.Redis.from_url(redis_url).keys("*throttle_anon_*")
    assert keys, "the wrong token was not counted in Redis"
