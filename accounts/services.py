"""Platform services: the email outbox and the audit trail (QUALITY.md §6 and §8).

Services are keyword-only and atomic; they take an ``actor`` (and ``ip``/``request_id``),
never a request.
"""

import hashlib
import ipaddress
import logging
import secrets
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from .emails import email_compose, email_languages, message_id_for, render_part
from .errors import WrongState
from .models import AuditEvent, OutboxEmail
from .queue import publish_after_commit

logger = logging.getLogger(__name__)

OUTBOX_MAX_ATTEMPTS = 10
OUTBOX_BACKOFF_FIRST = timedelta(minutes=1)
OUTBOX_BACKOFF_MAX = timedelta(hours=1)
# A fresh row is left to the publish its request made for this long before the sweeper
# publishes it again; a row stuck in "sending" this long belonged to a worker that died.
OUTBOX_REPUBLISH_AFTER = timedelta(seconds=60)
OUTBOX_STUCK_AFTER = timedelta(minutes=10)
OUTBOX_SWEEP_BATCH = 500


# --- Outbox ---------------------------------------------------------------------------------


def email_send(
    *, to: str, template: str, context: dict, key: str, language: str | None = None
) -> OutboxEmail:
    """Queue one bilingual email in the current transaction.

    ``template`` names templates/emails/<template>_subject.txt, <template>.txt and
    <template>.html, rendered with ``context`` once per language (the recipient's language
    first: ``language`` or "en") and combined into one message with both subjects. ``key`` is
    a unique idempotency key: calling again with the same key returns the existing row and
    sends nothing new. After commit, one publish attempt of ``outbox_send_task(email_id)``.
    Templates hold no personal data beyond the recipient's name and the application number;
    ``site_url`` is added to the context for the link back to the portal.
    """
    context = {"site_url": settings.SITE_URL, **context}
    parts = [render_part(template, context, lang) for lang in email_languages(language)]
    subject, text, html = email_compose(parts)
    return outbox_add(to=to, subject=subject, body_text=text, body_html=html, key=key)


@transaction.atomic
def outbox_add(*, to: str, subject: str, body_text: str, body_html: str, key: str) -> OutboxEmail:
    """Store an already rendered email (``email_send`` and the allauth adapter use this)."""
    from .tasks import outbox_send_task

    if len(key) > 200:  # the column's size; a long key stays unique through its hash
        key = f"{key[:135]}:{hashlib.sha256(key.encode()).hexdigest()}"
    email, created = OutboxEmail.objects.get_or_create(
        key=key,
        defaults={
            "to": to,
            "subject": subject,
            "body_text": body_text,
            "body_html": body_html,
            "message_id": message_id_for(key),
        },
    )
    if created:
        publish_after_commit(outbox_send_task, email.pk)
    return email


def outbox_backoff(attempts: int) -> timedelta:
    """Exponential backoff from 1 minute to 1 hour, with up to 20 % jitter taken off."""
    base = min(OUTBOX_BACKOFF_FIRST * 2 ** max(attempts - 1, 0), OUTBOX_BACKOFF_MAX)
    return base * (1 - secrets.SystemRandom().uniform(0, 0.2))


def _error_code(exc: Exception) -> str:
    """Enough to diagnose, nothing personal: SMTP replies can quote addresses."""
    code = getattr(exc, "smtp_code", None)
    return f"{type(exc).__name__}{f' {code}' if code else ''}"[:200]


def outbox_deliver(*, email_id: int) -> bool:
    """Send one due outbox email; True when it was sent by this call.

    The row is claimed with a conditional UPDATE (pending and due → sending), so a duplicate
    task message, or one arriving before a backoff ends, does nothing. No transaction is held
    while talking to the SMTP server.
    """
    now = timezone.now()
    claimed = OutboxEmail.objects.filter(
        pk=email_id, status=OutboxEmail.Status.PENDING, next_attempt_at__lte=now
    ).update(status=OutboxEmail.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return False
    email = OutboxEmail.objects.get(pk=email_id)
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        headers={"Message-ID": email.message_id},
    )
    message.attach_alternative(email.body_html, "text/html")
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as exc:
        _outbox_failed(email_id=email.pk, error=_error_code(exc), permanent=_is_permanent(exc))
        logger.warning("outbox email failed", extra={"object_id": email.pk})
        return False
    OutboxEmail.objects.filter(pk=email.pk, status=OutboxEmail.Status.SENDING).update(
        status=OutboxEmail.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


def _is_permanent(exc: Exception) -> bool:
    """Every recipient refused with a 5xx code: retrying cannot help (4xx greylisting can)."""
    refused = getattr(exc, "recipients", None)
    if isinstance(exc, smtplib.SMTPRecipientsRefused) and refused:
        return all(code >= 500 for code, _message in refused.values())
    return False


def _outbox_failed(*, email_id: int, error: str, permanent: bool = False) -> None:
    """Back to pending after a backoff; dead once the attempts are used up, or at once when the
    failure is permanent."""
    with transaction.atomic():
        email = OutboxEmail.objects.select_for_update().get(pk=email_id)
        if email.status != OutboxEmail.Status.SENDING:
            return  # finished meanwhile (a slow worker the sweeper thought lost)
        email.last_error = error
        if permanent or email.attempts >= OUTBOX_MAX_ATTEMPTS:
            email.status = OutboxEmail.Status.DEAD
            audit_record(
                actor=None,
                action="outbox.dead",
                obj=email,
                outcome="failure",
                reason="recipient_refused" if permanent else "max_attempts",
            )
        else:
            email.status = OutboxEmail.Status.PENDING
            email.next_attempt_at = timezone.now() + outbox_backoff(email.attempts)
        email.save(update_fields=["status", "last_error", "next_attempt_at"])


def outbox_sweep() -> list[int]:
    """Publish every due pending email again; recover rows whose worker died mid-send.

    Returns the IDs published. Stops at the first broker error (the next sweep tries again).
    """
    from kombu.exceptions import OperationalError

    from .tasks import outbox_send_task

    now = timezone.now()
    stuck = OutboxEmail.objects.filter(
        status=OutboxEmail.Status.SENDING, claimed_at__lt=now - OUTBOX_STUCK_AFTER
    ).values_list("pk", flat=True)
    for email_id in list(stuck[:OUTBOX_SWEEP_BATCH]):
        _outbox_failed(email_id=email_id, error="WorkerLost")

    due = list(
        OutboxEmail.objects.filter(
            status=OutboxEmail.Status.PENDING,
            next_attempt_at__lte=now,
            published_at__lte=now - OUTBOX_REPUBLISH_AFTER,
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:OUTBOX_SWEEP_BATCH]
    )
    published = []
    for email_id in due:
        try:
            outbox_send_task.apply_async(args=[email_id], retry=False)
        except (OperationalError, ConnectionError, TimeoutError, OSError):
            logger.warning("outbox sweep: broker unreachable", extra={"object_id": email_id})
            break
        published.append(email_id)
    if published:
        OutboxEmail.objects.filter(pk__in=published).update(published_at=now)
    return published


@transaction.atomic
def outbox_retry(*, email_id: int, actor) -> OutboxEmail:
    """Staff action: give a dead email a fresh set of attempts."""
    from .tasks import outbox_send_task

    email = OutboxEmail.objects.select_for_update().get(pk=email_id)
    if email.status != OutboxEmail.Status.DEAD:
        raise WrongState()
    now = timezone.now()
    email.status = OutboxEmail.Status.PENDING
    email.attempts = 0
    email.next_attempt_at = now
    email.published_at = now
    email.last_error = ""
    email.save(
        update_fields=["status", "attempts", "next_attempt_at", "published_at", "last_error"]
    )
    audit_record(actor=actor, action="outbox.retried", obj=email)
    publish_after_commit(outbox_send_task, email.pk)
    return email


# --- Audit ----------------------------------------------------------------------------------


def _clean_ip(ip: str | None) -> str:
    if not ip:
        return ""
    try:
        return str(ipaddress.ip_address(ip.strip()))
    except ValueError:
        return ""


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@transaction.atomic
def audit_record(
    *,
    actor,
    action: str,
    obj=None,
    outcome: str = "success",
    reason: str = "",
    ip: str | None = None,
    request_id: str = "",
) -> AuditEvent:
    """Append one audit row. ``actor`` may be None or anonymous.

    ``action`` is "<entity>.<past participle>" (``application.submitted``). ``obj`` is any
    model with a ``public_id``; its type label and public_id are stored, nothing else.
    ``reason`` is a code, never free text typed by a user.
    """
    if outcome not in AuditEvent.Outcome.values:
        raise ValueError(f"unknown audit outcome {outcome!r}")
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    event = AuditEvent(
        created_at=timezone.now(),
        actor=user,
        actor_role=getattr(user, "role", "") if user else "anonymous",
        action=action[:64],
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=getattr(obj, "public_id", None) if obj is not None else None,
        outcome=outcome,
        reason=reason[:64],
        ip=_clean_ip(ip),
        request_id=(request_id or "")[:64],
    )
    event.content_hash = hashlib.sha256(event.canonical_content()).hexdigest()
    if connection.vendor != "postgresql":
        # PostgreSQL chains rows in a deferred trigger at commit (migration 0003); SQLite
        # (make run only) serialises writers, so the chain is computed here.
        last = AuditEvent.objects.exclude(seq=None).order_by("-seq").first()
        event.seq = (last.seq if last else 0) + 1
        event.prev_hash = last.row_hash if last else ""
        event.row_hash = _sha256(event.prev_hash + event.content_hash)
    event.save(force_insert=True)
    return event


def audit_verify() -> list[str]:
    """Check the whole chain; returns the problems found (an empty list when intact).

    Detects a changed row (content hash), a removed or reordered row (sequence gap, broken
    link) and a forged link (row hash).
    """
    problems = []
    previous_hash, expected_seq = "", 1
    events = AuditEvent.objects.exclude(seq=None).order_by("seq").iterator(chunk_size=2000)
    for event in events:
        if event.seq != expected_seq:
            problems.append(f"seq {expected_seq}: missing (next is {event.seq})")
            expected_seq = event.seq
        if hashlib.sha256(event.canonical_content()).hexdigest() != event.content_hash:
            problems.append(f"seq {event.seq}: content changed")
        if event.prev_hash != previous_hash:
            problems.append(f"seq {event.seq}: link to the previous row broken")
        if event.row_hash != _sha256(event.prev_hash + event.content_hash):
            problems.append(f"seq {event.seq}: row hash wrong")
        previous_hash, expected_seq = event.row_hash, expected_seq + 1
    unsealed = AuditEvent.objects.filter(seq=None).count()
    if unsealed:
        problems.append(f"{unsealed} rows not chained")
    return problems


# --- Sessions -------------------------------------------------------------------------------


def sessions_end(*, user, reason: str, actor=None, keep_session_key: str | None = None) -> int:
    """End the account's sessions on the server, except ``keep_session_key``; returns how many.

    Sessions are found through allauth's session list (every signed-in request records its
    session there). Each ended session writes one audit row "session.ended" with ``reason``
    (a code: "ended_by_user", "password_changed", "mfa_reset", "account_deleted").
    """
    from allauth.usersessions.models import UserSession

    ended = 0
    for session in UserSession.objects.filter(user_id=user.pk).exclude(
        session_key=keep_session_key or ""
    ):
        if not session.exists():  # already gone (a key cycled at sign-in or password change)
            session.delete()
            continue
        session.end()
        ended += 1
        audit_record(
            actor=actor if actor is not None else user,
            action="session.ended",
            obj=user,
            reason=reason,
        )
    return ended


# --- Two-step verification reset (issue 9 item 5) -------------------------------------------


@transaction.atomic
def mfa_reset_request_create(*, user, ip: str | None = None, request_id: str = ""):
    """Record that ``user`` (past the password step, without any second factor) asks for a
    reset; idempotent while one is pending. Staff are not emailed: they work from the admin
    list. The person gets an acknowledgement saying what happens next."""
    from .models import MfaResetRequest

    existing = (
        MfaResetRequest.objects.select_for_update()
        .filter(user=user, status=MfaResetRequest.Status.PENDING)
        .first()
    )
    if existing is not None:
        return existing
    reset = MfaResetRequest.objects.create(user=user)
    audit_record(actor=None, action="mfa.reset_requested", obj=user, ip=ip, request_id=request_id)
    email_send(
        to=user.email,
        template="mfa_reset_requested",
        context={},
        key=f"mfa-reset:requested:{reset.public_id}",
        language=user.preferred_language,
    )
    return reset


def _mfa_reset_decide(reset, *, to: str, actor, identity_check: str = "") -> None:
    """The only writer of ``MfaResetRequest.status``; the caller holds the row lock."""
    from .models import MfaResetRequest

    if to not in MfaResetRequest.TRANSITIONS[reset.status]:
        raise WrongState()
    reset.status = to
    reset.decided_by = actor
    reset.decided_at = timezone.now()
    reset.identity_check = identity_check
    reset.save(update_fields=["status", "decided_by", "decided_at", "identity_check"])


@transaction.atomic
def mfa_reset_grant(*, reset, actor, identity_check: str):
    """Staff, after checking identity outside the portal, remove every authenticator of the
    account (TOTP, recovery codes, security keys) and end its sessions. The person signs in
    with their password and must enrol a new authenticator app at once (the MFA middleware
    sends them there). Recorded in the audit trail and emailed to the person."""
    from allauth.mfa.models import Authenticator

    from .models import MfaResetRequest

    if identity_check not in MfaResetRequest.IdentityCheck.values:
        raise ValueError("an identity check is required")
    reset = MfaResetRequest.objects.select_for_update().select_related("user").get(pk=reset.pk)
    if reset.user_id == actor.pk:
        raise PermissionDenied("staff cannot grant their own reset")
    _mfa_reset_decide(
        reset, to=MfaResetRequest.Status.GRANTED, actor=actor, identity_check=identity_check
    )
    user = reset.user
    removed = list(Authenticator.objects.filter(user=user).values_list("type", flat=True))
    Authenticator.objects.filter(user=user).delete()
    for kind in removed:
        audit_record(actor=actor, action="mfa.removed", obj=user, reason=kind)
    audit_record(actor=actor, action="mfa.reset_granted", obj=user, reason=identity_check)
    sessions_end(user=user, reason="mfa_reset", actor=actor)
    email_send(
        to=user.email,
        template="mfa_reset_granted",
        context={},
        key=f"mfa-reset:granted:{reset.public_id}",
        language=user.preferred_language,
    )
    return reset


@transaction.atomic
def mfa_reset_refuse(*, reset, actor):
    """Staff could not confirm the person's identity: nothing changes on the account."""
    from .models import MfaResetRequest

    reset = MfaResetRequest.objects.select_for_update().select_related("user").get(pk=reset.pk)
    _mfa_reset_decide(reset, to=MfaResetRequest.Status.REFUSED, actor=actor)
    audit_record(actor=actor, action="mfa.reset_refused", obj=reset.user)
    email_send(
        to=reset.user.email,
        template="mfa_reset_refused",
        context={},
        key=f"mfa-reset:refused:{reset.public_id}",
        language=reset.user.preferred_language,
    )
    return reset


@transaction.atomic
def outbox_erase(*, to: str | None, key_markers: list[str], replacement: str) -> int:
    """Erase the outbox rows sent or queued to ``to`` (None: no address), or whose key names
    one of ``key_markers`` (a deleted person's or application's IDs): address replaced,
    subject and bodies emptied, and anything not sent yet is never sent. Returns how many rows
    were erased."""
    from django.db.models import Q

    match = Q(to__iexact=to) if to else Q(pk__in=[])
    for marker in key_markers:
        match |= Q(key__contains=marker)
    rows = OutboxEmail.objects.filter(match)
    rows.filter(status=OutboxEmail.Status.PENDING).update(
        status=OutboxEmail.Status.DEAD, last_error="erased"
    )
    return rows.update(to=replacement, subject="(erased)", body_text="", body_html="")
