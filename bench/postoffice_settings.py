"""Settings for bench/mailing.py only: corpnet's, plus django-post_office to compare with.

post_office is a dev requirement (requirements-dev.txt), never installed in production.
"""

from corpnet.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "post_office"]  # noqa: F405
POST_OFFICE = {
    "BACKENDS": {"default": "django.core.mail.backends.smtp.EmailBackend"},
    "DEFAULT_PRIORITY": "medium",  # queued, sent by send_queued_mail
}
