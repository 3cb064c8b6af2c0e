"""Settings for the test suite: the real settings, with a development key and fast hashing."""

import os

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("EMAIL_PORT", "1")  # tests start their own SMTP server and set the port

from corpnet.settings import *  # noqa: E402,F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
# Each process its own cache (tests empty it between tests); the Redis and database paths
# have their own tests.
CACHES = {**CACHES, "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}  # noqa: F405
# The lockout is off unless a test turns it on (accounts/tests/test_lockout.py): otherwise
# tests that log in with wrong passwords would lock each other out.
AXES_ENABLED = False
