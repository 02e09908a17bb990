"""Background work for applications: thin tasks that take IDs and call one service."""

from celery import shared_task

from .models import Application
from .services import application_progress_refresh, document_combine, document_combine_sweep


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


@shared_task(name="applications.tasks.document_combine_task")
def document_combine_task(document_id: int) -> str:
    """Combine a slot's file with the files added to it into one PDF."""
    return document_combine(document_id=document_id)


@shared_task(name="applications.tasks.document_combine_sweep_task")
def document_combine_sweep_task() -> int:
    """Publish again the combinations whose task was lost (the broker is not the record)."""
    return document_combine_sweep()


@shared_task(
    name="applications.tasks.submission_package_render_task",
    bind=True,
    acks_late=True,
    max_retries=8,
    default_retry_delay=60,
)
def submission_package_render_task(self, submission_id: int) -> str:
    """Render and store a submission's package (the pdf queue); retried on failure."""
    from .package import submission_package_build, submission_package_failed

    try:
        return submission_package_build(submission_id=submission_id)
    except Exception as error:
        submission_package_failed(submission_id=submission_id)
        raise self.retry(exc=error) from error


@shared_task(name="applications.tasks.submission_package_sweep_task")
def submission_package_sweep_task() -> int:
    """Publish again the packages still missing (a lost task or a dead worker; beat)."""
    from .package import package_sweep

    return len(package_sweep())


@shared_task(
    name="applications.tasks.ecopr_render_pdf_task",
    bind=True,
    acks_late=True,
    max_retries=8,
    default_retry_delay=60,
)
def ecopr_render_pdf_task(self, confirmation_id: int) -> str:
    """Render and store one person's eCOPR (the pdf queue); retried on failure."""
    from .ecopr import ecopr_build

    try:
        return ecopr_build(confirmation_id=confirmation_id)
    except Exception as error:
        raise self.retry(exc=error) from error


@shared_task(name="applications.tasks.ecopr_sweep_task")
def ecopr_sweep_task() -> int:
    """Publish again the eCOPRs still missing (a lost task or a dead worker)."""
    from .ecopr import pending_ecoprs

    pending = pending_ecoprs()
    for confirmation_id in pending:
        ecopr_render_pdf_task.apply_async(args=(confirmation_id,), retry=False)
    return len(pending)


@shared_task(
    name="applications.tasks.draft_export_pdf_task",
    bind=True,
    acks_late=True,
    max_retries=5,
    default_retry_delay=30,
    soft_time_limit=120,
    time_limit=150,
)
def draft_export_pdf_task(self, export_id: int) -> str:
    """Render and store a "Download draft as PDF" request (the pdf queue); retried on failure."""
    from .package import draft_export_build, draft_export_failed

    try:
        return draft_export_build(export_id=export_id)
    except Exception as error:
        draft_export_failed(export_id=export_id)
        raise self.retry(exc=error) from error


@shared_task(name="applications.tasks.draft_export_sweep_task")
def draft_export_sweep_task() -> int:
    """Publish again the draft exports still without a file (a lost task or a dead worker)."""
    from .package import pending_draft_exports

    pending = pending_draft_exports()
    for export_id in pending:
        draft_export_pdf_task.apply_async(args=(export_id,), retry=False)
    return len(pending)
