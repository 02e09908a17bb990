"""Representative profile and verification: the only code that writes Representative.status."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts.errors import GateNotMet, WrongState
from accounts.services import audit_record, email_send
from applications.uploads import upload_store

from .models import Representative, RepresentativeEvent

# What representative_submit_profile may copy from the form: never status, user or verification.
PROFILE_FIELDS = (
    "full_name",
    "rep_type",
    "membership_body",
    "membership_id",
    "firm_name",
    "address_street",
    "address_unit",
    "address_city",
    "address_province",
    "address_region",
    "address_postal_code",
    "address_country",
    "phone",
    "phone_extension",
    "id_document_type",
)
VERIFY_PERMISSION = "representatives.verify_representative"
ID_DOCUMENT_PURPOSE = "representative_id_document"


def _transition(
    representative: Representative,
    *,
    to: str,
    actor,
    reason: str = "",
    changes: dict[str, Any] | None = None,
) -> RepresentativeEvent:
    """Move a row its caller has locked to `to`, or raise WrongState; write one history row.

    `changes` are saved in the same UPDATE as the status, so the table's constraints (a verified
    row has verified_at, a rejected one a reason) hold at every write.
    """
    current = representative.status
    if to not in Representative.TRANSITIONS.get(current, frozenset()):
        raise WrongState()
    now = timezone.now()
    changes = changes or {}
    for field, value in changes.items():
        setattr(representative, field, value)
    representative.status = to
    representative.status_changed_at = now
    representative.save(update_fields=["status", "status_changed_at", *changes])
    return RepresentativeEvent.objects.create(
        representative=representative,
        old_status=current,
        new_status=to,
        actor=actor,
        reason=reason,
        at=now,
    )


def _lock(representative: Representative) -> Representative:
    return Representative.objects.select_for_update().get(pk=representative.pk)


def _lock_or_create(representative: Representative) -> Representative:
    """Lock the representative's row, creating it on their first submission."""
    if representative.pk is None:
        Representative.objects.get_or_create(user=representative.user)
        return Representative.objects.select_for_update().get(user=representative.user)
    return _lock(representative)


def _require_verifier(actor) -> None:
    if not actor.has_perm(VERIFY_PERMISSION):
        raise PermissionDenied


def _email(representative: Representative, *, template: str, event: RepresentativeEvent, **extra):
    user = representative.user
    email_send(
        to=user.email,
        template=template,
        context={"name": representative.full_name, **extra},
        key=f"{template}:{event.pk}",
        language=user.preferred_language,
    )


@transaction.atomic
def representative_submit_profile(
    *,
    representative: Representative,
    data: dict[str, Any],
    id_upload=None,
    actor,
    ip: str | None = None,
) -> Representative:
    """Save the profile and (re)submit it for verification.

    Allowed while the profile is incomplete, pending or rejected; the status becomes pending.
    Without a new `id_upload` the identity document already on file is kept; with none on
    file, GateNotMet. `representative` may be unsaved (first submission): its row is created.
    """
    locked = _lock_or_create(representative)
    if locked.status not in Representative.EDITABLE_STATUSES:
        raise WrongState()
    changes = {field: data[field] for field in PROFILE_FIELDS if field in data}
    if id_upload is not None:
        changes["id_document"] = upload_store(
            id_upload, uploaded_by=actor, purpose=ID_DOCUMENT_PURPOSE
        )
    elif locked.id_document_id is None:
        raise GateNotMet()
    changes.update(submitted_at=timezone.now(), rejection_reason="")
    _transition(locked, to=Representative.Status.PENDING, actor=actor, changes=changes)
    audit_record(actor=actor, action="representative.profile_submitted", obj=locked, ip=ip)
    return locked


@transaction.atomic
def representative_verify(
    *, representative: Representative, actor, ip: str | None = None
) -> Representative:
    """Staff confirm identity and membership: pending → verified; the representative is told."""
    _require_verifier(actor)
    locked = _lock(representative)
    if locked.status != Representative.Status.PENDING:
        raise WrongState()  # a suspended one is reinstated, not verified again
    event = _transition(
        locked,
        to=Representative.Status.VERIFIED,
        actor=actor,
        changes={"verified_at": timezone.now(), "verified_by": actor, "rejection_reason": ""},
    )
    audit_record(actor=actor, action="representative.verified", obj=locked, ip=ip)
    _email(locked, template="representative_verified", event=event)
    return locked


@transaction.atomic
def representative_reject(
    *, representative: Representative, actor, reason: str, ip: str | None = None
) -> Representative:
    """Staff refuse the profile with a reason, which is emailed: pending → rejected.

    The representative may correct the profile and submit it again.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("A reason is required to reject a representative.")
    _require_verifier(actor)
    locked = _lock(representative)
    event = _transition(
        locked,
        to=Representative.Status.REJECTED,
        actor=actor,
        reason=reason,
        changes={"rejection_reason": reason},
    )
    audit_record(actor=actor, action="representative.rejected", obj=locked, ip=ip)
    _email(locked, template="representative_rejected", event=event, reason=reason)
    return locked


@transaction.atomic
def representative_suspend(
    *, representative: Representative, actor, reason: str, ip: str | None = None
) -> Representative:
    """Membership lapsed or revoked: verified → suspended (no client work); reason emailed."""
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("A reason is required to suspend a representative.")
    _require_verifier(actor)
    locked = _lock(representative)
    event = _transition(locked, to=Representative.Status.SUSPENDED, actor=actor, reason=reason)
    audit_record(actor=actor, action="representative.suspended", obj=locked, ip=ip)
    _email(locked, template="representative_suspended", event=event, reason=reason)
    return locked


@transaction.atomic
def representative_reinstate(
    *, representative: Representative, actor, ip: str | None = None
) -> Representative:
    """Good standing confirmed again: suspended → verified; the representative is told."""
    _require_verifier(actor)
    locked = _lock(representative)
    if locked.status != Representative.Status.SUSPENDED:
        raise WrongState()  # a pending one is verified, after the checks
    event = _transition(
        locked,
        to=Representative.Status.VERIFIED,
        actor=actor,
        changes={"verified_at": timezone.now(), "verified_by": actor},
    )
    audit_record(actor=actor, action="representative.reinstated", obj=locked, ip=ip)
    _email(locked, template="representative_verified", event=event)
    return locked
