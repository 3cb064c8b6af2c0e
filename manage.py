#!/usr/bin/env python
"""Django's command-line utility for corpnet."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "corpnet.settings")
    # Commands typed on a developer's machine (shell, makemigrations, test helpers) run with
    # development defaults. The served app (wsgi/asgi) keeps DEBUG off unless told otherwise,
    # and production sets DEBUG=0 for its commands too (see .env.example and the README).
    os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
