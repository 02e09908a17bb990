"""The daily retention pass (beat schedule in portal/celery.py)."""

from celery import shared_task

from .services import retention_run


@shared_task(name="retention.tasks.retention_run_task")
def retention_run_task() -> dict:
    """Warn about idle drafts and remove those whose warning period is over."""
    report = retention_run()
    return {
        "warned": len(report.warned),
        "removed": len(report.removed),
        "failed": len(report.failed),
    }
