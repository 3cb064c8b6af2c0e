"""``CACHE_URL`` → Django's ``CACHES``: one cache every process shares.

Sessions, throttle counters, login lockouts and the reports' figures live in the cache, so it
must be shared by every gunicorn worker and machine; a per-process memory cache would give
each process its own allowance. Hence:

- ``db://`` (the default) or ``db://table_name`` — Django's database cache, in the project's
  own database (SQLite or PostgreSQL): shared, and no new service. ``migrate`` creates the
  table (accounts' first migration runs ``createcachetable``).
- ``redis://host:6379/0`` (or ``rediss://``) — Django's own RedisCache (needs ``redis``).
- ``locmem://`` — this process only: tests, or a single-process development server.
- ``dummy://`` — no cache at all.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

DEFAULT_TABLE = "corpnet_cache"


def parse_cache_url(url: str) -> dict:
    scheme = urlsplit(url).scheme.lower()
    if scheme == "db":
        table = url.split("://", 1)[1].strip("/") or DEFAULT_TABLE
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": table}
    if scheme in ("redis", "rediss"):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": url.split("://", 1)[1]}
    if scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ImproperlyConfigured(
        f"CACHE_URL={url!r} is not understood: use db://, db://table, redis://host:6379/0, locmem:// or dummy://."
    )
