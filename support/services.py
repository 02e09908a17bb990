"""Technical-issue requests: the only code that writes a request's status and history.

Services are keyword-only and atomic; they take an ``actor`` (and ``ip``/``request_id``), never
a request. Every status change goes through ``_transition``, which checks
``SupportRequest.TRANSITIONS`` on a row its caller locked and writes one ``SupportEvent``.
"""

import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.errors import WrongState
from accounts.services import audit_record, email_send

from .models import (
    REFERENCE_ALPHABET,
    REFERENCE_LENGTH,
    REFERENCE_PREFIX,
    SupportEvent,
    SupportRequest,
    SupportScreenshot,
)

SCREENSHOT_PURPOSE = "support"
MAX_SCREENSHOTS = 5

CLOSED_MESSAGE = _("This request is closed. To report a new problem, use the web form again.")
NOT_ALLOWED_MESSAGE = _("This request cannot move to that status from its current status.")


@dataclass(frozen=True)
class SubmittedRequest:
    """What the web form collected, already validated and normalised by the form."""

    category: str
    name: str
    email: str
    uci: str
    application_number: str
    program_id: int | None
    description: str


def reference_generate() -> str:
    """A human-friendly reference: "TI-" and 8 characters nobody misreads (no 0/O, 1/I/L)."""
    body = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
    return f"{REFERENCE_PREFIX}{body}"


def _create_with_unique_reference(fields: dict) -> SupportRequest:
    # 31^8 ≈ 8.5e11 references: a clash is rare, and then another draw is made.
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return SupportRequest.objects.create(reference=reference_generate(), **fields)
        except IntegrityError:
            continue
    raise RuntimeError("could not draw an unused support reference")


@transaction.atomic
def support_request_submit(
    *,
    data: SubmittedRequest,
    screenshots: list,
    actor,
    user_agent: str = "",
    language: str = "en",
    ip: str | None = None,
    request_id: str = "",
) -> SupportRequest:
    """Record a request with its screenshots and queue the acknowledgement email.

    ``screenshots`` are ``CheckedUpload``s (at most five) from the upload pipeline. ``actor`` is
    the signed-in sender, or None / AnonymousUser. The acknowledgement holds the reference and,
    for a signed-in sender, their name; a signed-out sender is greeted without the typed name,
    so the public form cannot be used to send arbitrary text to any address.
    """
    from applications.uploads import upload_store

    if len(screenshots) > MAX_SCREENSHOTS:
        raise ValueError("too many screenshots")
    sender = actor if actor is not None and actor.is_authenticated else None
    now = timezone.now()
    support_request = _create_with_unique_reference(
        {
            "category": data.category,
            "name": data.name,
            "email": data.email,
            "uci": data.uci,
            "application_number": data.application_number,
            "program_id": data.program_id,
            "description": data.description,
            "submitted_by": sender,
            "user_agent": user_agent[:400],
            "language": language if language in ("en", "fr") else "en",
            "created_at": now,
            "updated_at": now,
            "status_changed_at": now,
        }
    )
    for order, checked in enumerate(screenshots, start=1):
        stored = upload_store(checked, uploaded_by=sender, purpose=SCREENSHOT_PURPOSE)
        SupportScreenshot.objects.create(support_request=support_request, file=stored, order=order)
    SupportEvent.objects.create(
        support_request=support_request,
        kind=SupportEvent.Kind.SUBMITTED,
        actor=sender,
        new_status=support_request.status,
        at=now,
    )
    audit_record(
        actor=sender,
        action="support_request.submitted",
        obj=support_request,
        reason=data.category,
        ip=ip,
        request_id=request_id,
    )
    email_send(
        to=support_request.email,
        template="support_acknowledgement",
        context={
            "name": support_request.name if sender is not None else "",
            "reference": support_request.reference,
            "signed_in": sender is not None,
        },
        key=f"support:ack:{support_request.public_id}",
        language=support_request.language,
    )
    return support_request


def _lock(support_request: SupportRequest) -> SupportRequest:
    return SupportRequest.objects.select_for_update().get(pk=support_request.pk)


def _transition(
    support_request: SupportRequest, *, to: str, actor, message: str = ""
) -> SupportEvent:
    """The only writer of ``status``. The caller holds the row lock."""
    current = support_request.status
    if to not in SupportRequest.TRANSITIONS[current]:
        raise WrongState(NOT_ALLOWED_MESSAGE)
    now = timezone.now()
    support_request.status = to
    support_request.status_changed_at = now
    support_request.updated_at = now
    support_request.save(update_fields=["status", "status_changed_at", "updated_at"])
    return SupportEvent.objects.create(
        support_request=support_request,
        kind=SupportEvent.Kind.STATUS_CHANGED,
        actor=actor,
        old_status=current,
        new_status=to,
        message=message,
        at=now,
    )


@transaction.atomic
def support_request_set_status(
    *, support_request: SupportRequest, to: str, actor
) -> SupportRequest:
    """Staff move a request to another status allowed by ``TRANSITIONS``."""
    locked = _lock(support_request)
    _transition(locked, to=to, actor=actor)
    audit_record(actor=actor, action="support_request.status_changed", obj=locked, reason=to)
    return locked


@transaction.atomic
def support_requests_set_status(*, ids: list[int], to: str, actor) -> tuple[int, int]:
    """The admin list action: the rows are locked in one query; each allowed move is made
    and recorded, the others are skipped. Returns (changed, skipped)."""
    changed = skipped = 0
    for locked in SupportRequest.objects.select_for_update().filter(pk__in=ids).order_by("pk"):
        if to not in SupportRequest.TRANSITIONS[locked.status]:
            skipped += 1
            continue
        _transition(locked, to=to, actor=actor)
        audit_record(actor=actor, action="support_request.status_changed", obj=locked, reason=to)
        changed += 1
    return changed, skipped


@transaction.atomic
def support_request_assign(*, support_request: SupportRequest, assignee, actor) -> SupportRequest:
    """Give the request to a staff member (or to nobody). A new request moves to "in progress"."""
    locked = _lock(support_request)
    _assign(locked, assignee=assignee, actor=actor)
    return locked


@transaction.atomic
def support_requests_assign(*, ids: list[int], assignee, actor) -> int:
    """The admin list action "assign to me": the rows are locked in one query."""
    rows = list(SupportRequest.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    for locked in rows:
        _assign(locked, assignee=assignee, actor=actor)
    return len(rows)


def _assign(locked: SupportRequest, *, assignee, actor) -> None:
    if assignee is not None and not assignee.is_staff:
        raise ValueError("requests are assigned to staff only")
    if locked.assignee_id == (assignee.pk if assignee else None):
        return
    now = timezone.now()
    locked.assignee = assignee
    locked.updated_at = now
    locked.save(update_fields=["assignee", "updated_at"])
    SupportEvent.objects.create(
        support_request=locked,
        kind=SupportEvent.Kind.ASSIGNED,
        actor=actor,
        assignee=assignee,
        at=now,
    )
    if assignee is not None and locked.status == SupportRequest.Status.NEW:
        _transition(locked, to=SupportRequest.Status.IN_PROGRESS, actor=actor)
    audit_record(actor=actor, action="support_request.assigned", obj=locked)


@transaction.atomic
def support_request_reply(
    *, support_request: SupportRequest, message: str, actor, then_status: str | None = None
) -> SupportEvent:
    """Email staff's reply to the requester, record it in the history, optionally move on.

    A closed request gets no reply (``WrongState``). ``then_status`` must be allowed from the
    current status, or be the current status (no change).
    """
    locked = _lock(support_request)
    if locked.status == SupportRequest.Status.CLOSED:
        raise WrongState(CLOSED_MESSAGE)
    if (
        then_status
        and then_status != locked.status
        and then_status not in SupportRequest.TRANSITIONS[locked.status]
    ):
        raise WrongState(NOT_ALLOWED_MESSAGE)
    now = timezone.now()
    event = SupportEvent.objects.create(
        support_request=locked,
        kind=SupportEvent.Kind.REPLIED,
        actor=actor,
        message=message,
        at=now,
    )
    locked.updated_at = now
    locked.save(update_fields=["updated_at"])
    email_send(
        to=locked.email,
        template="support_reply",
        context={
            "name": locked.name if locked.submitted_by_id else "",
            "reference": locked.reference,
            "message": message,
            "signed_in": locked.submitted_by_id is not None,
        },
        key=f"support:reply:{event.pk}",
        language=locked.language,
    )
    if then_status and then_status != locked.status:
        _transition(locked, to=then_status, actor=actor)
    audit_record(actor=actor, action="support_request.replied", obj=locked)
    return event


@transaction.atomic
def support_request_note(*, support_request: SupportRequest, message: str, actor) -> SupportEvent:
    """An internal note for staff; the requester never sees it."""
    locked = _lock(support_request)
    return SupportEvent.objects.create(
        support_request=locked, kind=SupportEvent.Kind.NOTE, actor=actor, message=message
    )


@transaction.atomic
def support_request_follow_up(
    *, support_request: SupportRequest, message: str, actor
) -> SupportEvent:
    """The signed-in requester adds information. A request waiting for them, or resolved,
    goes back to "in progress"; a closed one takes nothing more (``WrongState``)."""
    locked = _lock(support_request)
    if not locked.is_open:
        raise WrongState(CLOSED_MESSAGE)
    now = timezone.now()
    event = SupportEvent.objects.create(
        support_request=locked,
        kind=SupportEvent.Kind.FOLLOW_UP,
        actor=actor,
        message=message,
        at=now,
    )
    locked.updated_at = now
    locked.save(update_fields=["updated_at"])
    if locked.status in (SupportRequest.Status.WAITING_FOR_REPLY, SupportRequest.Status.RESOLVED):
        _transition(locked, to=SupportRequest.Status.IN_PROGRESS, actor=actor)
    audit_record(actor=actor, action="support_request.followed_up", obj=locked)
    return event


@transaction.atomic
def support_requests_erase_sender(*, user, pseudonym: str) -> int:
    """Erase what a deleted account sent while signed in: contact details, descriptions, added
    information and screenshots. The requests and their history stay, under the pseudonym."""
    from django.core.files.storage import default_storage

    from accounts.models import StoredFile

    requests = SupportRequest.objects.filter(submitted_by=user)
    ids = list(requests.values_list("pk", flat=True))
    if not ids:
        return 0
    requests.update(
        name=pseudonym,
        email=f"{pseudonym}@invalid",
        description="",
        user_agent="",
        uci="1111111111",
        application_number="0000000",
    )
    SupportEvent.objects.filter(support_request_id__in=ids, actor=user).update(message="")
    screenshots = SupportScreenshot.objects.filter(support_request_id__in=ids)
    files = list(StoredFile.objects.filter(pk__in=screenshots.values("file_id")))
    screenshots.delete()
    for stored in files:
        default_storage.delete(stored.file.name)
    StoredFile.objects.filter(pk__in=[f.pk for f in files]).delete()
    return len(ids)
