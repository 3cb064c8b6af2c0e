"""``manage.py mailing_sink``: a local SMTP server that keeps every message it receives."""

from __future__ import annotations

import signal
import threading
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from mailing.smtpserver import SMTPServer


class Command(BaseCommand):
    help = (
        "Run a local SMTP server for development that accepts every message and stores it in a "
        "maildir (default var/mail), where the DEBUG-only page /mailing/outbox/ shows it. "
        "Never use it in production: it delivers nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default=settings.EMAIL_HOST, help="Address to listen on (EMAIL_HOST).")
        parser.add_argument("--port", type=int, default=settings.EMAIL_PORT, help="Port to listen on (EMAIL_PORT).")
        parser.add_argument(
            "--maildir",
            default=str(getattr(settings, "MAILING_SINK_DIR", Path(settings.BASE_DIR) / "var" / "mail")),
            help="Where to store received messages (a maildir).",
        )
        parser.add_argument("--discard", action="store_true", help="Accept and forget every message (for benchmarks).")

    def handle(self, *args, host: str, port: int, maildir: str, discard: bool, **options):
        if host not in {"127.0.0.1", "localhost", "::1"}:
            raise CommandError(f"The sink only listens on loopback, not {host!r}.")
        server = SMTPServer(host=host, port=port, maildir=None if discard else Path(maildir), keep=False)
        try:
            server.start()
        except OSError as exc:
            raise CommandError(f"Cannot listen on {host}:{port}: {exc}") from exc
        self.stdout.write(
            f"SMTP sink on {host}:{port}, " + ("discarding messages" if discard else f"storing messages in {maildir}"),
        )
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        try:
            stop.wait()
        finally:
            server.stop()
