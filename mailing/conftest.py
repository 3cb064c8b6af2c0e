"""A real SMTP server for the mailing tests, and Django pointed at it."""

from __future__ import annotations

import pytest

from mailing.smtpserver import SMTPServer


@pytest.fixture
def smtp(settings):
    """aiosmtpd on a free loopback port; EMAIL_* settings point at it for the test."""
    server = SMTPServer().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = server.host
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.MAILING_RETRY_BACKOFF = 0
    settings.MAILING_RATE_PER_MINUTE = 0
    settings.DEFAULT_FROM_EMAIL = "Corpnet <mail@corpnet.example>"
    yield server
    server.stop()
