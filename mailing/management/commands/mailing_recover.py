"""``manage.py mailing_recover``: requeue mailings whose worker was lost."""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand

from mailing.services import mailing_recover_stalled


class Command(BaseCommand):
    help = (
        "Find running mailings no worker has reported on for MAILING_STALE_AFTER seconds (the "
        "worker was killed or the machine restarted), mark the recipients it had in flight as "
        "'unknown' (never resent automatically) and queue the rest again. Safe to run at every "
        "start; --older-than 0 when no other worker is running."
    )

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, default=None, help="Seconds without a heartbeat.")

    def handle(self, *args, older_than: int | None, **options):
        ids = mailing_recover_stalled(older_than=None if older_than is None else timedelta(seconds=older_than))
        self.stdout.write(f"Requeued {len(ids)} stalled mailing(s){': ' + ', '.join(map(str, ids)) if ids else '.'}")
