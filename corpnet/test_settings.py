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
