"""The only uploads allowed after submission (workflow.md §8): answering a document request
staff opened, and a change-of-circumstances document.

Both go through the same upload pipeline as before submission (``DocumentUploadForm`` checks
the file, ``services.document_store`` stores it); nothing else in the application becomes
editable. Each writes one history row, flags the application to staff in the admin queue
(``ApplicationAdmin``: "documents received", "change of circumstances") and emails the
representative and the client that it was received.
"""

import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.errors import WrongState

from .documents import Slot, allowed_kinds_for
from .models import (
    Application,
    ApplicationEvent,
    ChecklistItem,
    CircumstanceChange,
    Document,
    DocumentRequest,
)
from .services import _lock, document_store
from .staff import DOCUMENT_REQUEST_STATUSES, STAFF_STATUSES, _notify

# From submission until a decision: a change of circumstances may be reported.
CIRCUMSTANCE_STATUSES = STAFF_STATUSES


class RequestClosed(WrongState):
    default_message = _(
        "This request is no longer open: the document was already sent, or the application "
        "has moved on."
    )


class CircumstancesClosed(WrongState):
    default_message = _(
        "A change of circumstances can be reported only after submission and before a decision."
    )


def _slot(key: str, name, program, current: Document | None = None) -> Slot:
    """A one-off slot with the additional-documents rules: any allowed file type, optional."""
    return Slot(
        key=key,
        item=None,
        person=None,
        name=str(name),
        kind=ChecklistItem.Kind.DOCUMENT,
        requirement=ChecklistItem.Requirement.OPTIONAL,
        guide=program.guide_number,
        allowed_kinds=allowed_kinds_for(None),
        current=current,
    )


def request_slot(request: DocumentRequest, program) -> Slot:
    return _slot(request.slot_key, request.name, program)


def circumstance_slot(key: str, program) -> Slot:
    return _slot(key, _("Change of circumstances"), program)


def request_is_open(request: DocumentRequest, application: Application) -> bool:
    """Open while it is unanswered and the application is still in a state staff may ask in."""
    return request.fulfilled_at is None and application.status in DOCUMENT_REQUEST_STATUSES


def circumstances_open(application: Application) -> bool:
    return application.status in CIRCUMSTANCE_STATUSES


@transaction.atomic
def document_request_fulfil(
    *,
    application: Application,
    request: DocumentRequest,
    checked,
    details: dict,
    actor,
    translation=None,
    ip: str | None = None,
) -> Document:
    """The representative uploads the document ``request`` asks for; the request is answered."""
    application = _lock(application)
    if application.representative.user_id != actor.pk:
        raise WrongState()
    request = DocumentRequest.objects.select_for_update().get(
        pk=request.pk, application_id=application.pk
    )
    if not request_is_open(request, application):
        raise RequestClosed()
    document = document_store(
        application=application,
        slot=request_slot(request, application.program),
        checked=checked,
        details=details,
        actor=actor,
        translation=translation,
        ip=ip,
        action=ApplicationEvent.Action.REQUESTED_DOCUMENT_UPLOADED,
    )
    request.fulfilled_at = document.uploaded_at
    request.fulfilled_by = actor
    request.document = document
    request.save(update_fields=["fulfilled_at", "fulfilled_by", "document"])
    Application.objects.filter(pk=application.pk).update(updated_at=document.uploaded_at)
    _notify(application, kind="documents_received", key=f"request-fulfilled:{request.public_id}")
    return document


@transaction.atomic
def circumstance_change_report(
    *,
    application: Application,
    kind: str,
    note: str,
    checked,
    details: dict,
    actor,
    translation=None,
    ip: str | None = None,
) -> CircumstanceChange:
    """The representative adds a change-of-circumstances document with its kind and a note."""
    if kind not in CircumstanceChange.Kind.values:
        raise ValueError("unknown change of circumstances")
    application = _lock(application)
    if application.representative.user_id != actor.pk:
        raise WrongState()
    if not circumstances_open(application):
        raise CircumstancesClosed()
    change_id = uuid.uuid4()
    document = document_store(
        application=application,
        slot=circumstance_slot(f"{CircumstanceChange.SLOT_PREFIX}{change_id}", application.program),
        checked=checked,
        details=details,
        actor=actor,
        translation=translation,
        ip=ip,
        action=ApplicationEvent.Action.CIRCUMSTANCES_REPORTED,
    )
    change = CircumstanceChange.objects.create(
        public_id=change_id,
        application=application,
        kind=kind,
        note=note.strip()[:300],
        document=document,
        reported_by=actor,
        reported_at=document.uploaded_at,
    )
    Application.objects.filter(pk=application.pk).update(updated_at=document.uploaded_at)
    _notify(application, kind="circumstances_reported", key=f"circumstances:{change.public_id}")
    return change


def is_after_submission_slot(slot_key: str) -> bool:
    """Slots that exist only after submission (the checklist page leaves them out)."""
    return slot_key.startswith((DocumentRequest.SLOT_PREFIX, CircumstanceChange.SLOT_PREFIX))


def after_submission_context(application: Application) -> dict:
    """What the representative's application page shows of the uploads after submission: each
    request (open, overdue, answered), the changes of circumstances, whether one can be
    reported, and the processing timeline."""
    from .history import processing_timeline

    today = timezone.localdate()
    requests = list(application.document_requests.all())
    for request in requests:
        request.is_open = request_is_open(request, application)
        request.overdue = request.is_overdue(today)
    return {
        "document_requests": requests,
        "circumstance_changes": list(application.circumstance_changes.all()),
        "can_report_circumstances": circumstances_open(application),
        "timeline": processing_timeline(application, for_client=False),
    }
