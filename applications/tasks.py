"""Background work for applications: thin tasks that take IDs and call one service."""

from celery import shared_task

from .models import Application
from .services import application_progress_refresh


@shared_task(name="applications.tasks.application_progress_refresh_task")
def application_progress_refresh_task(batch_size: int = 500) -> int:
    """Refresh the progress counters of open drafts whose task list can change with the date
    alone (a child turns 18, a nomination expires). Keeps ``updated_at``; returns the count."""
    refreshed = 0
    queryset = (
        Application.objects.filter(status__in=Application.EDITABLE)
        .select_related("program", "principal_applicant")
        .order_by("pk")
    )
    for application in queryset.iterator(chunk_size=batch_size):
        before = (application.tasks_done, application.tasks_total)
        application_progress_refresh(application, at=application.updated_at)
        refreshed += before != (application.tasks_done, application.tasks_total)
    return refreshed
