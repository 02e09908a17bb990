"""Client accounts: invitation, temporary password resend and email correction.

A representative never sets or sees a client's password. The portal generates a temporary
one-time password with ``secrets`` from an unambiguous alphabet, stores only its hash, emails it
(through the outbox, in the same transaction) and lets it expire after
``CLIENT_TEMPORARY_PASSWORD_HOURS``. Issuing a new one replaces the hash, so the previous one
stops working at once (QUALITY.md §2).
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.errors import DomainError, WrongState
from accounts.models import User
from accounts.services import audit_record, email_send

from .models import Client, CorrectionRequest, TemporaryPasswordIssue

# No 0/O/o, 1/l/I: the client may have to type it from a printed or read-aloud email.
TEMPORARY_PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"  # noqa: S105
TEMPORARY_PASSWORD_LENGTH = 14


class ClientEmailNotAllowed(DomainError):
    """The address belongs to a representative, staff or self-represented account."""

    status = 409
    template = "errors/409_wrong_state.html"
    default_message = _(
        "This email address belongs to a representative or staff account. "
        "Use the client's own email address."
    )


class EmailAlreadyUsed(DomainError):
    status = 409
    template = "errors/409_wrong_state.html"
    default_message = _("This email address is already used by another account.")


class ResendLimitReached(DomainError):
    status = 429
    template = "errors/429.html"
    default_message = _(
        "The temporary password was already sent the maximum number of times in 24 hours."
    )

    def __init__(self, message=None, *, retry_at: datetime | None = None):
        self.retry_at = retry_at
        super().__init__(message)


@dataclass(frozen=True)
class Invitation:
    client: Client
    created: bool  # a new client account was created and a temporary password emailed


def temporary_password_generate() -> str:
    return "".join(
        secrets.choice(TEMPORARY_PASSWORD_ALPHABET) for _ in range(TEMPORARY_PASSWORD_LENGTH)
    )


def client_email_owner(email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip()).select_related("client").first()


def client_email_refusal(email: str) -> str | None:
    """Why ``email`` cannot be a client's address (a code), or None when it can."""
    owner = client_email_owner(email)
    if owner is None:
        return None
    if owner.role != User.Role.CLIENT or owner.is_staff or owner.is_superuser:
        return "not_a_client_account"
    return None


def client_language(client: Client) -> str | None:
    """The client's language once they have used the portal; unknown (both) before that."""
    return client.user.preferred_language if client.activated_at else None


def _expiry_display(at: datetime) -> str:
    # Numeric and zoned, so it reads the same in the English and the French part.
    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M %Z")


def _issue_temporary_password(
    *, client: Client, reason: str, actor, name: str, now: datetime
) -> None:
    """Replace the client's temporary password and email the new one. Caller holds the lock."""
    password = temporary_password_generate()
    client.temporary_password_hash = make_password(password)
    client.temporary_password_expires_at = now + timedelta(
        hours=settings.CLIENT_TEMPORARY_PASSWORD_HOURS
    )
    client.temporary_password_sent_at = now
    client.temporary_password_used_at = None
    client.save(
        update_fields=[
            "temporary_password_hash",
            "temporary_password_expires_at",
            "temporary_password_sent_at",
            "temporary_password_used_at",
            "updated_at",
        ]
    )
    issue = TemporaryPasswordIssue.objects.create(
        client=client, reason=reason, issued_by=actor, issued_at=now
    )
    email_send(
        to=client.user.email,
        template="client_temporary_password",
        context={
            "name": name,
            "temporary_password": password,
            "expires_at": _expiry_display(client.temporary_password_expires_at),
            "hours": settings.CLIENT_TEMPORARY_PASSWORD_HOURS,
        },
        key=f"client-temporary-password:{client.public_id}:{issue.pk}",
        language=client_language(client),
    )


@transaction.atomic
def client_invite(*, email: str, name: str, actor, now: datetime | None = None) -> Invitation:
    """The client account for ``email``: the existing one, or a new invited one.

    A new account gets a temporary password by email; the user row has no usable password, so
    nobody can sign in with it until the client activates it with the temporary password.
    Raises ``ClientEmailNotAllowed`` for a representative's or staff member's address.
    """
    now = now or timezone.now()
    email = email.strip().lower()
    owner = client_email_owner(email)
    if owner is not None:
        if client_email_refusal(email):
            raise ClientEmailNotAllowed()
        client = getattr(owner, "client", None) or Client.objects.create(user=owner)
        return Invitation(client=client, created=False)
    user = User.objects.create_user(email=email, password=None, role=User.Role.CLIENT)
    client = Client.objects.create(user=user)
    _issue_temporary_password(
        client=client,
        reason=TemporaryPasswordIssue.Reason.INVITATION,
        actor=actor,
        name=name,
        now=now,
    )
    audit_record(actor=actor, action="client.invited", obj=client)
    return Invitation(client=client, created=True)


@transaction.atomic
def client_self_register(*, user: User, now: datetime | None = None) -> Client:
    """An individual created their own client account (they chose their password at sign-up,
    so the account is active at once; no temporary password is ever issued)."""
    client = Client.objects.create(user=user, activated_at=now or timezone.now())
    audit_record(actor=user, action="client.self_registered", obj=client)
    return client


def _lock(client: Client) -> Client:
    return Client.objects.select_related("user").select_for_update(of=("self",)).get(pk=client.pk)


def _ensure_not_activated(client: Client) -> None:
    if client.activated_at is not None:
        raise WrongState(
            _("The client has already activated their account and uses their own password.")
        )


def resend_retry_at(client: Client, now: datetime | None = None) -> datetime | None:
    """When the next resend is allowed, or None if one is allowed now."""
    now = now or timezone.now()
    window_start = now - timedelta(hours=24)
    recent = list(
        TemporaryPasswordIssue.objects.filter(
            client=client,
            issued_at__gt=window_start,
            reason__in=(
                TemporaryPasswordIssue.Reason.RESEND,
                TemporaryPasswordIssue.Reason.EMAIL_CORRECTION,
            ),
        )
        .order_by("issued_at")
        .values_list("issued_at", flat=True)
    )
    if len(recent) < settings.CLIENT_TEMPORARY_PASSWORD_RESENDS_PER_DAY:
        return None
    return recent[0] + timedelta(hours=24)


@transaction.atomic
def client_temporary_password_resend(
    *, client: Client, actor, name: str, ip: str | None = None, now: datetime | None = None
) -> Client:
    """Email a new temporary password; the previous one stops working.

    Only while the client has not activated the account (``WrongState``), and at most
    ``CLIENT_TEMPORARY_PASSWORD_RESENDS_PER_DAY`` times in 24 hours (``ResendLimitReached``).
    """
    now = now or timezone.now()
    client = _lock(client)
    _ensure_not_activated(client)
    retry_at = resend_retry_at(client, now)
    if retry_at is not None:
        audit_record(
            actor=actor,
            action="client.temporary_password_resent",
            obj=client,
            outcome="denied",
            reason="rate_limited",
            ip=ip,
        )
        raise ResendLimitReached(retry_at=retry_at)
    _issue_temporary_password(
        client=client, reason=TemporaryPasswordIssue.Reason.RESEND, actor=actor, name=name, now=now
    )
    audit_record(actor=actor, action="client.temporary_password_resent", obj=client, ip=ip)
    return client


@transaction.atomic
def client_email_correct(
    *,
    client: Client,
    email: str,
    actor,
    name: str,
    ip: str | None = None,
    now: datetime | None = None,
) -> Client:
    """Change a not-yet-activated client's address and re-send the invitation to it.

    The old temporary password stops working; the old address is told of the change (without a
    password). Raises ``EmailAlreadyUsed`` if another account has the new address.
    """
    now = now or timezone.now()
    email = email.strip().lower()
    client = _lock(client)
    _ensure_not_activated(client)
    old_email = client.user.email
    if email == old_email.lower():
        return client
    if User.objects.filter(email__iexact=email).exclude(pk=client.user_id).exists():
        raise EmailAlreadyUsed()
    retry_at = resend_retry_at(client, now)
    if retry_at is not None:
        raise ResendLimitReached(retry_at=retry_at)
    User.objects.filter(pk=client.user_id).update(email=email)
    client.user.email = email
    email_send(
        to=old_email,
        template="client_email_changed",
        context={"name": name},
        key=f"client-email-changed:{client.public_id}:{now.isoformat()}",
        language=client_language(client),
    )
    _issue_temporary_password(
        client=client,
        reason=TemporaryPasswordIssue.Reason.EMAIL_CORRECTION,
        actor=actor,
        name=name,
        now=now,
    )
    audit_record(actor=actor, action="client.email_changed", obj=client, ip=ip)
    return client


def client_temporary_password_check(
    *, client: Client, password: str, now: datetime | None = None
) -> bool:
    """True if ``password`` is the client's current temporary password, unused and unexpired.

    The sign-in calls ``client_temporary_password_use``, which checks it and burns it.
    """
    now = now or timezone.now()
    if (
        client.activated_at is not None
        or client.temporary_password_used_at is not None
        or not client.temporary_password_hash
        or client.temporary_password_expires_at is None
        or client.temporary_password_expires_at <= now
    ):
        return False
    return check_password(password, client.temporary_password_hash)


# --- First sign-in and activation (issue 7 item 1) ------------------------------------------


class TemporaryPasswordUse:
    """Outcomes of ``client_temporary_password_use``."""

    OK = "ok"
    WRONG = "wrong"  # not this client's temporary password: the ordinary sign-in error
    EXPIRED = "expired"  # right password, but past its expiry
    USED = "used"  # right password, already used once


def client_for_first_sign_in(email: str) -> Client | None:
    """The not-yet-activated client whose sign-in address is ``email``, if any.

    Such an account has no usable password: its only way in is the temporary one.
    """
    return (
        Client.objects.select_related("user")
        .filter(
            user__email__iexact=email.strip(),
            user__is_active=True,
            user__role=User.Role.CLIENT,
            activated_at__isnull=True,
        )
        .exclude(temporary_password_hash="")
        .first()
    )


def client_temporary_password_use(
    *, client: Client, password: str, now: datetime | None = None
) -> str:
    """Check a temporary password typed at sign-in and burn it on success (valid once).

    Returns a ``TemporaryPasswordUse`` outcome. Expired and used are told apart only when the
    typed password is the right one, so they reveal nothing to someone who does not know it.
    On success the address counts as verified (the password was emailed to it), so the
    sign-in does not stop for email confirmation; the conditional update makes two
    simultaneous sign-ins with the same password succeed once.
    """
    from allauth.account.models import EmailAddress

    now = now or timezone.now()
    if not client.temporary_password_hash or not check_password(
        password, client.temporary_password_hash
    ):
        return TemporaryPasswordUse.WRONG
    if client.temporary_password_used_at is not None:
        return TemporaryPasswordUse.USED
    if client.temporary_password_expires_at is None or client.temporary_password_expires_at <= now:
        return TemporaryPasswordUse.EXPIRED
    with transaction.atomic():
        burnt = Client.objects.filter(
            pk=client.pk,
            activated_at__isnull=True,
            temporary_password_used_at__isnull=True,
            temporary_password_hash=client.temporary_password_hash,
        ).update(temporary_password_used_at=now, updated_at=now)
        if not burnt:
            return TemporaryPasswordUse.USED
        client.temporary_password_used_at = now
        user = client.user
        EmailAddress.objects.filter(user=user).exclude(email__iexact=user.email).delete()
        EmailAddress.objects.update_or_create(
            user=user,
            email__iexact=user.email,
            defaults={"email": user.email, "verified": True, "primary": True},
        )
        audit_record(actor=user, action="client.temporary_password_used", obj=client)
    return TemporaryPasswordUse.OK


def client_needs_password(user) -> bool:
    """A client signed in with the temporary password has no password of their own yet."""
    return (
        user.is_authenticated
        and getattr(user, "role", None) == User.Role.CLIENT
        and not user.has_usable_password()
    )


@transaction.atomic
def client_password_set(
    *, client: Client, password: str, ip: str | None = None, now: datetime | None = None
) -> Client:
    """The client chose their own password: the account is active from now on.

    The caller has validated ``password`` with the site's password rules. Clears the temporary
    password, writes an audit row and a history row on each of the client's applications, and
    emails a notice. Refused (``WrongState``) once the account is active.
    """
    from applications.models import Application, ApplicationEvent

    now = now or timezone.now()
    client = _lock(client)
    _ensure_not_activated(client)
    user = client.user
    user.set_password(password)
    user.save(update_fields=["password"])
    client.activated_at = now
    client.temporary_password_hash = ""
    client.save(update_fields=["activated_at", "temporary_password_hash", "updated_at"])
    ApplicationEvent.objects.bulk_create(
        ApplicationEvent(
            application_id=application_id,
            action=ApplicationEvent.Action.CLIENT_ACTIVATED,
            actor=user,
            at=now,
        )
        for application_id in Application.objects.filter(client=client).values_list("pk", flat=True)
    )
    audit_record(actor=user, action="client.activated", obj=client, ip=ip)
    email_send(
        to=user.email,
        template="client_account_activated",
        context={},
        key=f"client-activated:{client.public_id}",
        language=user.preferred_language or None,
    )
    return client


# --- Correction requests (issue 7 item 1) --------------------------------------------------


class CorrectionLimitReached(DomainError):
    status = 429
    template = "errors/429.html"
    default_message = _(
        "You have sent the most correction requests allowed for this application in 24 hours. "
        "Your representative has them; you can send another one later."
    )


def correction_retry_at(application, now: datetime | None = None) -> datetime | None:
    """When the client may send the next correction request, or None if they may now."""
    now = now or timezone.now()
    recent = list(
        CorrectionRequest.objects.filter(
            application=application, created_at__gt=now - timedelta(hours=24)
        )
        .order_by("created_at")
        .values_list("created_at", flat=True)
    )
    if len(recent) < settings.CLIENT_CORRECTION_REQUESTS_PER_DAY:
        return None
    return recent[0] + timedelta(hours=24)


@transaction.atomic
def correction_request_send(
    *,
    application,
    actor,
    topic: str,
    message: str,
    form: str = "",
    person=None,
    ip: str | None = None,
    now: datetime | None = None,
):
    """The client asks their representative for a correction.

    Only the application's own client (the caller went through the door). Stored with the
    typed text; the history row, the audit row and the representative's email carry only the
    topic. At most ``CLIENT_CORRECTION_REQUESTS_PER_DAY`` per application in 24 hours
    (``CorrectionLimitReached``).
    """
    from applications.models import Application, ApplicationEvent

    now = now or timezone.now()
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if application.client.user_id != actor.pk:
        raise WrongState()
    if correction_retry_at(locked, now) is not None:
        raise CorrectionLimitReached()
    correction = CorrectionRequest.objects.create(
        application=locked,
        topic=topic,
        form=form if topic == CorrectionRequest.Topic.FORM else "",
        person=person,
        message=message,
        created_by=actor,
        created_at=now,
    )
    ApplicationEvent.objects.create(
        application=locked,
        action=ApplicationEvent.Action.CORRECTION_REQUESTED,
        actor=actor,
        at=now,
        reason=topic,
        person_public_id=person.public_id if person else None,
    )
    audit_record(actor=actor, action="correction.requested", obj=correction, ip=ip)
    from applications.preparer import preparer_email_send

    preparer_email_send(
        application,
        template="correction_requested",
        context={
            "application_number": application.application_number or "",
            "public_id": application.public_id,
        },
        key=f"correction-requested:{correction.public_id}",
    )
    return correction


@transaction.atomic
def correction_request_resolve(*, correction, actor, ip: str | None = None, now=None):
    """The representative marks a correction request as dealt with (open → resolved)."""
    from applications.models import ApplicationEvent

    now = now or timezone.now()
    correction = CorrectionRequest.objects.select_for_update().get(pk=correction.pk)
    if not correction.is_open:
        raise WrongState(_("This correction request was already marked as dealt with."))
    correction.status = CorrectionRequest.Status.RESOLVED
    correction.resolved_by = actor
    correction.resolved_at = now
    correction.save(update_fields=["status", "resolved_by", "resolved_at"])
    ApplicationEvent.objects.create(
        application_id=correction.application_id,
        action=ApplicationEvent.Action.CORRECTION_RESOLVED,
        actor=actor,
        at=now,
        reason=correction.topic,
    )
    audit_record(actor=actor, action="correction.resolved", obj=correction, ip=ip)
    return correction


# --- Deleting a client account created by mistake (workflow.md §12, issue 9 item 2) --------

# Once an application has been submitted it is a record of what IRCC received: its client
# account is not deleted through this path.
DELETABLE_APPLICATION_STATUSES = frozenset(
    {
        "draft",
        "awaiting_client_signature",
        "client_signed",
        "rep_declared",
        "expired",
    }
)
# Person fields that are not personal data and stay as they were.
PERSON_FIELDS_KEPT = frozenset(
    {
        "id",
        "public_id",
        "application",
        "role",
        "relationship",
        "version",
        "created_at",
        "updated_at",
    }
)


class ClientNotDeletable(WrongState):
    default_message = _(
        "This client account has a submitted application, so it cannot be deleted this way."
    )


def client_pseudonym() -> str:
    """What replaces the person's name in everything that is kept: "deleted-" and 12 hex."""
    return f"deleted-{secrets.token_hex(6)}"


def _person_erased_values(pseudonym: str) -> dict:
    from applications.models import Person

    values = {}
    for field in Person._meta.concrete_fields:
        if field.name in PERSON_FIELDS_KEPT or field.primary_key:
            continue
        if field.name == "family_name":
            values[field.name] = pseudonym
        elif field.null:
            values[field.name] = None
        elif field.get_internal_type() in ("CharField", "TextField", "EmailField"):
            values[field.name] = ""
        elif field.has_default():
            values[field.name] = field.get_default()
    return values


@transaction.atomic
def client_account_delete(*, client: Client, actor, ip: str | None = None) -> str:
    """Delete a client-portal account created by mistake; returns the pseudonym used.

    - The account can no longer sign in (inactive, no usable password, no authenticators) and
      its sessions end.
    - Its email is freed: the user row keeps only "<pseudonym>@invalid", and allauth's address
      rows go, so the address can register as a representative.
    - The personal data in its applications is erased: every profile of every application has
      its names replaced by the pseudonym and everything else personal cleared; program
      details are cleared. Applications are NOT transferred to any other account.
    - Emails queued or kept for this person are erased from the outbox; technical issues the
      person sent while signed in are erased too; so are the applications' uploaded documents
      (rows, stored files and their bytes).
    - Audit and history rows are kept untouched: they hold IDs, never names.

    Refused (``ClientNotDeletable``) once any of its applications has been submitted.
    """
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    from accounts.services import outbox_erase, sessions_end
    from applications.models import Application, Person
    from applications.services import application_documents_erase
    from support.services import support_requests_erase_sender

    client = _lock(client)
    applications = list(
        Application.objects.select_for_update()
        .filter(client=client)
        .only("pk", "status", "public_id")
    )
    if any(a.status not in DELETABLE_APPLICATION_STATUSES for a in applications):
        raise ClientNotDeletable()
    now = timezone.now()
    pseudonym = client_pseudonym()
    user = client.user
    old_email = user.email

    sessions_end(user=user, reason="account_deleted", actor=actor)
    User.objects.filter(pk=user.pk).update(
        email=f"{pseudonym}@invalid",
        is_active=False,
        password=make_password(None),
    )
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    Client.objects.filter(pk=client.pk).update(
        temporary_password_hash="",
        temporary_password_expires_at=None,
        updated_at=now,
    )

    application_ids = [a.pk for a in applications]
    Person.objects.filter(application_id__in=application_ids).update(
        **_person_erased_values(pseudonym), updated_at=now
    )
    Application.objects.filter(pk__in=application_ids).update(program_details={}, updated_at=now)
    application_documents_erase(application_ids=application_ids)
    CorrectionRequest.objects.filter(application_id__in=application_ids).update(message="")

    outbox_erase(
        to=old_email,
        key_markers=[str(client.public_id), *(str(a.public_id) for a in applications)],
        replacement=f"{pseudonym}@invalid",
    )
    support_requests_erase_sender(user=user, pseudonym=pseudonym)
    audit_record(
        actor=actor, action="client.deleted", obj=client, reason="created_by_mistake", ip=ip
    )
    return pseudonym
