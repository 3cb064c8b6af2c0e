"""The background tasks (Django's Tasks API; ``manage.py db_worker`` runs them)."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django_tasks import default_task_backend, task

from mailing import sending

log = logging.getLogger(__name__)


@task(queue_name="default")
def send_mailing(mailing_id: int) -> dict:
    """List the recipients if not done yet, send one slice, then queue the next slice (or a
    deferred retry, or the next try at an unreachable server) if needed."""
    from mailing.models import Mailing
    from mailing.services import mailing_recover_stalled

    # Any running worker notices mailings whose worker died (heartbeat older than
    # MAILING_STALE_AFTER) and queues them again, so they continue by themselves.
    mailing_recover_stalled()
    result = sending.run_mailing(mailing_id=mailing_id)
    more = result.sent or result.failed or result.retried or result.unknown or result.next_due
    if not result.finished and more:
        running = Mailing.objects.filter(pk=mailing_id, status=Mailing.Status.RUNNING)
        if result.next_due is not None:
            # Waiting for a deferred retry is not a lost worker: report again by then.
            running.update(heartbeat_at=max(timezone.now(), result.next_due))
        if running.exists():
            enqueue_send(mailing_id=mailing_id, run_after=result.next_due, on_commit=False)
    return {"sent": result.sent, "failed": result.failed, "retried": result.retried, "finished": result.finished}


def enqueue_send(*, mailing_id: int, run_after=None, on_commit: bool = True) -> None:
    """Queue the sending task; after the surrounding transaction commits, so the worker sees
    the rows."""

    def go() -> None:
        job = send_mailing
        if run_after is not None and run_after > timezone.now():
            if not default_task_backend.supports_defer:
                # e.g. the immediate backend: the deferred retries wait for "resume".
                return
            job = job.using(run_after=run_after)
        job.enqueue(mailing_id)

    if on_commit:
        transaction.on_commit(go)
    else:
        go()


def enqueue_snapshot(*, mailing_id: int) -> None:
    """The first run of the sending task takes the recipient list (in chunks), then sends."""
    enqueue_send(mailing_id=mailing_id)
