"""The Celery app: wired to Django settings, queues, and the beat schedule written in code."""

import os

from celery import Celery
from celery.schedules import crontab
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = (Queue("default"), Queue("pdf"))
app.conf.beat_schedule = {
    "sessions_clear_task": {
        "task": "accounts.tasks.sessions_clear_task",
        "schedule": crontab(hour=3, minute=17),
    },
    "outbox_sweep_task": {
        "task": "accounts.tasks.outbox_sweep_task",
        "schedule": 30.0,
        # A sweep that has not started within its interval is superseded by the next one.
        "options": {"expires": 25},
    },
    # Ages and expiry dates move with the calendar: refresh the dashboard's progress counters.
    "application_progress_refresh_task": {
        "task": "applications.tasks.application_progress_refresh_task",
        "schedule": crontab(hour=2, minute=41),
    },
    # Combinations of uploaded files whose task was lost are published again.
    "document_combine_sweep_task": {
        "task": "applications.tasks.document_combine_sweep_task",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Packages whose render task was lost (Redis down at submit) or whose worker was killed.
    "submission_package_sweep_task": {
        "task": "applications.tasks.submission_package_sweep_task",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # eCOPRs of confirmed people whose render was lost are published again.
    "ecopr_sweep_task": {
        "task": "applications.tasks.ecopr_sweep_task",
        "schedule": 300.0,
        "options": {"expires": 290},
    },
    # "Download draft as PDF" requests whose task was lost are published again.
    "draft_export_sweep_task": {
        "task": "applications.tasks.draft_export_sweep_task",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Abandoned drafts: warn their representatives, then remove them (retention.services).
    "retention_run_task": {
        "task": "retention.tasks.retention_run_task",
        "schedule": crontab(hour=4, minute=23),
    },
}
app.autodiscover_tasks()
