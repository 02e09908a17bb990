"""Abandoned drafts are removed, their representative warned first (QUALITY.md §6).

A draft is *abandoned* when it is in an editable state, was never submitted, holds no
signature (signature events are append-only evidence, QUALITY.md §5: a signed draft is never
removed by this job) and has not changed for ``DRAFT_RETENTION_DAYS``. The job:

1. warns the representative by email once per idle period, ``DRAFT_RETENTION_WARNING_DAYS``
   before the removal (``draft_retention_warn``), and writes a ``RetentionNotice``;
2. removes the draft once it is due and still unchanged since the notice
   (``draft_retention_remove``): profiles, form answers, history, documents, stored files
   and, after commit, their bytes; the outbox emails whose key names the draft are erased;
   a ``RemovedDraft`` row and an audit row stay.

"Changed" means the application's ``updated_at`` moved: every editing service moves it, so
any change restarts the clock, and the next idle period gets a new warning.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Sum
from django.utils import timezone

from accounts.models import StoredFile
from accounts.services import audit_record, outbox_erase
from applications.models import Application, Document, SignatureEvent, Submission
from applications.preparer import preparer_email_send
from applications.services import _lock, application_documents_erase, application_file_ids

from .models import RemovedDraft, RetentionNotice

logger = logging.getLogger(__name__)


def retention_period() -> timedelta:
    return timedelta(days=settings.DRAFT_RETENTION_DAYS)


def warning_period() -> timedelta:
    return timedelta(days=settings.DRAFT_RETENTION_WARNING_DAYS)


def never_removable():
    """Applications this job never removes: submitted once, or holding a signature."""
    return Exists(Submission.objects.filter(application=OuterRef("pk"))) | Exists(
        SignatureEvent.objects.filter(application=OuterRef("pk"))
    )


def idle_drafts(now: datetime):
    """Editable, never submitted, unsigned drafts idle long enough to be warned about."""
    return (
        Application.objects.filter(
            status__in=Application.EDITABLE,
            updated_at__lte=now - (retention_period() - warning_period()),
        )
        .exclude(never_removable())
        .order_by("updated_at", "pk")
    )


def _removable(application: Application) -> bool:
    return (
        application.status in Application.EDITABLE
        and not Submission.objects.filter(application=application).exists()
        and not SignatureEvent.objects.filter(application=application).exists()
    )


def _warning_key(application: Application) -> str:
    return f"draft-retention:{application.public_id}:{application.updated_at.timestamp():.6f}"


@transaction.atomic
def draft_retention_warn(*, application: Application, now: datetime) -> RetentionNotice | None:
    """Warn the representative that this draft will be removed; once per idle period (the
    notice is unique per last change, the email's key names it). None when the draft changed
    or stopped being removable since it was listed."""
    seen_change = application.updated_at
    application = _lock(application)
    if application.updated_at != seen_change or not _removable(application):
        return None
    removal_due_at = max(application.updated_at + retention_period(), now + warning_period())
    notice, created = RetentionNotice.objects.get_or_create(
        application=application,
        last_change_at=application.updated_at,
        defaults={"warned_at": now, "removal_due_at": removal_due_at},
    )
    if not created:
        return notice
    # The representative, or the individual who prepares their own application.
    preparer_email_send(
        application,
        template="draft_retention_warning",
        context={
            "public_id": application.public_id,
            "program": application.program,
            "created_at": application.created_at,
            "last_change_at": application.updated_at,
            "removal_due_at": removal_due_at,
            "idle_days": settings.DRAFT_RETENTION_DAYS,
        },
        key=_warning_key(application),
    )
    audit_record(
        actor=None, action="application.retention_warned", obj=application, reason="idle_draft"
    )
    return notice


@transaction.atomic
def draft_retention_remove(*, application: Application, now: datetime) -> RemovedDraft | None:
    """Remove a draft whose warning period is over and which has not changed since the
    warning: profiles, forms, history, documents and stored files (bytes after commit).
    Keeps a ``RemovedDraft`` row and an audit row. None when it is not (or no longer) due."""
    application = _lock(application)
    notice = RetentionNotice.objects.filter(
        application=application, last_change_at=application.updated_at
    ).first()
    if notice is None or notice.removal_due_at > now or not _removable(application):
        return None
    documents = Document.objects.filter(application=application)
    file_ids = application_file_ids(application_ids=[application.pk])
    file_bytes = StoredFile.objects.filter(pk__in=file_ids).aggregate(total=Sum("size"))["total"]
    record = RemovedDraft.objects.create(
        application_public_id=application.public_id,
        program_id=application.program_id,
        representative_id=application.representative_id,
        status=application.status,
        created_at=application.created_at,
        last_change_at=application.updated_at,
        warned_at=notice.warned_at,
        removed_at=now,
        people=application.people.count(),
        form_sections=application.form_sections.count(),
        documents=documents.count(),
        files=len(file_ids),
        file_bytes=file_bytes or 0,
    )
    audit_record(
        actor=None, action="application.removed_idle", obj=application, reason="idle_draft"
    )
    application_documents_erase(application_ids=[application.pk])
    # Emails about this draft (the client's "application started", the warning) keep nothing.
    outbox_erase(to=None, key_markers=[str(application.public_id)], replacement="erased@invalid")
    Application.objects.filter(pk=application.pk).update(principal_applicant=None)
    application.delete()
    return record


@dataclass
class RetentionReport:
    dry_run: bool
    warned: list[str] = field(default_factory=list)  # application public IDs
    removed: list[str] = field(default_factory=list)
    waiting: int = 0  # warned, removal not yet due
    kept_signed: int = 0  # idle, but signed: never removed by this job
    failed: list[str] = field(default_factory=list)  # rolled back, retried on the next run

    def lines(self) -> list[str]:
        verb = "would be" if self.dry_run else "were"
        return [
            f"{len(self.warned)} draft(s) {verb} warned, {len(self.removed)} {verb} removed, "
            f"{self.waiting} warned and waiting, {self.kept_signed} idle but signed (kept), "
            f"{len(self.failed)} failed.",
            *(f"warn {public_id}" for public_id in self.warned),
            *(f"remove {public_id}" for public_id in self.removed),
            *(f"failed {public_id}" for public_id in self.failed),
        ]


def retention_run(*, now: datetime | None = None, dry_run: bool = False) -> RetentionReport:
    """One pass of the job: warn, then remove what is due. ``dry_run`` only reports."""
    now = now or timezone.now()
    report = RetentionReport(dry_run=dry_run)
    report.kept_signed = (
        Application.objects.filter(
            status__in=Application.EDITABLE,
            updated_at__lte=now - (retention_period() - warning_period()),
        )
        .filter(Exists(SignatureEvent.objects.filter(application=OuterRef("pk"))))
        .exclude(Exists(Submission.objects.filter(application=OuterRef("pk"))))
        .count()
    )
    drafts = idle_drafts(now).only("pk", "public_id", "updated_at")
    notices = {
        (notice.application_id, notice.last_change_at): notice
        for notice in RetentionNotice.objects.filter(application__in=drafts)
    }
    for application in drafts.iterator(chunk_size=200):
        notice = notices.get((application.pk, application.updated_at))
        public_id = str(application.public_id)
        if notice is not None and notice.removal_due_at > now:
            report.waiting += 1
            continue
        step, done = (
            (draft_retention_warn, report.warned)
            if notice is None
            else (draft_retention_remove, report.removed)
        )
        try:
            if dry_run or step(application=application, now=now):
                done.append(public_id)
        except Exception:  # one draft's failure (rolled back) must not stop the others
            logger.exception("retention: %s failed for application %s", step.__name__, public_id)
            report.failed.append(public_id)
    logger.info(
        "retention run: warned=%d removed=%d waiting=%d kept_signed=%d failed=%d dry_run=%s",
        len(report.warned), len(report.removed), report.waiting, report.kept_signed,
        len(report.failed), dry_run,
    )  # fmt: skip
    return report
