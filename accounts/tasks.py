from celery import shared_task
from django.core import management

from . import services


@shared_task(ignore_result=True)
def sessions_clear_task():
    """Delete expired sessions from the database (beat, nightly)."""
    management.call_command("clearsessions")


@shared_task(ignore_result=True, soft_time_limit=60, time_limit=90)
def outbox_send_task(email_id: int) -> None:
    """Send one outbox email. Safe to run twice: the service claims the row first."""
    services.outbox_deliver(email_id=email_id)


@shared_task(ignore_result=True, soft_time_limit=60, time_limit=90)
def outbox_sweep_task() -> None:
    """Publish due outbox emails again (beat, every 30 s); the database row is the record."""
    services.outbox_sweep()
