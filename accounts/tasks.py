from celery import shared_task
from django.core import management


@shared_task(ignore_result=True)
def sessions_clear_task():
    """Delete expired sessions from the database (beat, nightly)."""
    management.call_command("clearsessions")
