"""PR confirmation (issue 8, workflow.md §10): every write, as a service.

When staff approve an application, one ``PRConfirmation`` opens per person becoming a
permanent resident (the PA and each accompanying dependant). For each person the client
declares presence in Canada, gives the Canadian mailing address and uploads the photo through
the upload pipeline; staff accept or reject the photo (a rejection is emailed and the client
sends a new one), then confirm PR status; the eCOPR is then rendered on the pdf queue
(applications.ecopr) and the client is emailed. The client can report an error in an eCOPR;
the representative is emailed.

``PRConfirmation.TRANSITIONS`` alone says which moves are allowed; ``_move`` enforces it under
the row lock and writes one history row per move (codes only; the rejection reason, which the
client reads, is kept on the confirmation).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.errors import DomainError, WrongState
from accounts.services import audit_record, email_send
from clients import services as client_services

from .models import Application, ApplicationEvent, EcoprErrorReport, Person, PRConfirmation
from .services import _event

State = PRConfirmation.State
PERMISSION = "applications.confirm_pr"
PHOTO_PURPOSE = "pr-photos"
# The photo rules (uploads.md §1): at least 420 × 540 pixels, a digital or scanned photo.
PHOTO_KINDS = frozenset({"jpeg", "png"})
PHOTO_MIN_WIDTH = 420
PHOTO_MIN_HEIGHT = 540
ADDRESS_FIELDS = ("address_line", "address_unit", "city", "province", "postal_code")


class NotInCanada(DomainError):
    default_message = _(
        "Permanent residence can be confirmed only while the person is in Canada. Come back "
        "once they are in Canada."
    )


class ReasonMissing(DomainError):
    default_message = _("Say why the photo is rejected: the client reads this reason.")


def people_becoming_pr(people: list[Person]) -> list[Person]:
    """The PA and every dependant who comes to Canada (a non-accompanying family member is
    examined but does not become a permanent resident)."""
    return [person for person in people if person.is_principal or person.accompanying is not False]


def pr_confirmations_open(*, application: Application, actor) -> list[PRConfirmation]:
    """Open the confirmations of an approved application (its row locked by the caller).
    Idempotent: a person who already has one keeps it."""
    if application.status != Application.Status.APPROVED:
        raise WrongState()
    people = list(application.people.order_by("created_at", "id"))
    existing = set(
        PRConfirmation.objects.filter(application=application).values_list("person_id", flat=True)
    )
    now = timezone.now()
    opened = []
    for person in people_becoming_pr(people):
        if person.pk in existing:
            continue
        opened.append(
            PRConfirmation.objects.create(application=application, person=person, created_at=now)
        )
        _event(application, ApplicationEvent.Action.PR_OPENED, actor=actor, at=now, person=person)
    return opened


def _lock(confirmation: PRConfirmation) -> PRConfirmation:
    return (
        PRConfirmation.objects.select_for_update(of=("self",))
        .select_related("application__client__user", "application__representative__user", "person")
        .get(pk=confirmation.pk)
    )


# The history row each move writes.
ACTION_OF = {
    State.SUBMITTED: ApplicationEvent.Action.PR_SENT,
    State.PHOTO_REJECTED: ApplicationEvent.Action.PR_PHOTO_REJECTED,
    State.PHOTO_ACCEPTED: ApplicationEvent.Action.PR_PHOTO_ACCEPTED,
    State.CONFIRMED: ApplicationEvent.Action.PR_CONFIRMED,
}


def _move(confirmation: PRConfirmation, *, to: str, actor, at) -> None:
    """Move ``confirmation`` (locked) to ``to`` if TRANSITIONS allows it, with its history row."""
    if to not in PRConfirmation.TRANSITIONS[confirmation.state]:
        raise WrongState()
    confirmation.state = to
    confirmation.save()
    application = confirmation.application
    _event(application, ACTION_OF[to], actor=actor, at=at, person=confirmation.person)


def _ensure_client(confirmation: PRConfirmation, actor) -> None:
    """Only the application's client confirms (the representative reads, staff review)."""
    if not actor.is_active or confirmation.application.client.user_id != actor.pk:
        raise PermissionDenied
    if confirmation.application.status != Application.Status.APPROVED:
        raise WrongState()


def _ensure_staff(actor) -> None:
    if not (actor.is_active and actor.is_staff and actor.has_perm(PERMISSION)):
        raise PermissionDenied


def _email(confirmation: PRConfirmation, *, kind: str, key: str, representative=False) -> None:
    """Email the client (or whoever prepares the application: the representative, or the
    individual themself) about one person's confirmation: no details, they are read in the
    portal."""
    from .preparer import preparer_email_send

    application = confirmation.application
    context = {
        "person": confirmation.person.full_name,
        "kind": kind,
        "application_number": application.application_number or "",
    }
    if representative:
        preparer_email_send(application, template="pr_update", context=context, key=key)
        return
    email_send(
        to=application.client.user.email,
        template="pr_update",
        context={**context, "name": application.client_name},
        key=key,
        language=client_services.client_language(application.client),
    )


@transaction.atomic
def pr_confirmation_send(
    *,
    confirmation: PRConfirmation,
    actor,
    in_canada: bool,
    entered_canada_on: date | None,
    address: dict,
    photo,
    ip: str | None = None,
) -> PRConfirmation:
    """The client declares the person is in Canada and sends the address and the photo
    (``photo``: a CheckedUpload from the upload pipeline). Also the answer to a rejection."""
    from .uploads import upload_store

    confirmation = _lock(confirmation)
    _ensure_client(confirmation, actor)
    if confirmation.state not in PRConfirmation.CLIENT_EDITABLE:
        raise WrongState()
    if not in_canada:
        raise NotInCanada()
    if (
        photo.kind not in PHOTO_KINDS
        or (photo.width or 0) < PHOTO_MIN_WIDTH
        or (photo.height or 0) < PHOTO_MIN_HEIGHT
    ):
        raise ValueError("the photo must come from the photo upload field")
    now = timezone.now()
    confirmation.photo = upload_store(photo, uploaded_by=actor, purpose=PHOTO_PURPOSE)
    confirmation.in_canada = True
    confirmation.entered_canada_on = entered_canada_on
    for name in ADDRESS_FIELDS:
        setattr(confirmation, name, address.get(name, ""))
    confirmation.submitted_at = now
    confirmation.rejection_reason = ""
    _move(confirmation, to=State.SUBMITTED, actor=actor, at=now)
    audit_record(actor=actor, action="pr_confirmation.sent", obj=confirmation, ip=ip)
    return confirmation


@transaction.atomic
def pr_photo_review(
    *, confirmation: PRConfirmation, actor, accept: bool, reason: str = "", ip: str | None = None
) -> PRConfirmation:
    """Staff accept the photo, or reject it with a reason (the client is emailed and sends a
    new one)."""
    _ensure_staff(actor)
    reason = reason.strip()
    if not accept and not reason:
        raise ReasonMissing()
    confirmation = _lock(confirmation)
    now = timezone.now()
    confirmation.reviewed_by = actor
    confirmation.reviewed_at = now
    if accept:
        _move(confirmation, to=State.PHOTO_ACCEPTED, actor=actor, at=now)
    else:
        confirmation.rejection_reason = reason
        _move(confirmation, to=State.PHOTO_REJECTED, actor=actor, at=now)
        _email(
            confirmation,
            kind="photo_rejected",
            key=f"pr-photo-rejected:{confirmation.public_id}:{now.isoformat()}",
        )
    verb = "accepted" if accept else "rejected"
    audit_record(actor=actor, action=f"pr_confirmation.photo_{verb}", obj=confirmation, ip=ip)
    return confirmation


@transaction.atomic
def pr_confirm(*, confirmation: PRConfirmation, actor, ip: str | None = None) -> PRConfirmation:
    """Staff confirm PR status (the photo accepted): the date of landing is today, and the
    eCOPR is rendered after commit on the pdf queue."""
    from .tasks import ecopr_render_pdf_task

    _ensure_staff(actor)
    confirmation = _lock(confirmation)
    now = timezone.now()
    confirmation.confirmed_by = actor
    confirmation.confirmed_at = now
    confirmation.landed_on = timezone.localdate(now)
    _move(confirmation, to=State.CONFIRMED, actor=actor, at=now)
    audit_record(actor=actor, action="pr_confirmation.confirmed", obj=confirmation, ip=ip)
    confirmation_id = confirmation.pk
    transaction.on_commit(
        lambda: ecopr_render_pdf_task.apply_async(args=(confirmation_id,), retry=False)
    )
    return confirmation


@transaction.atomic
def ecopr_issued(confirmation: PRConfirmation, stored_file) -> bool:
    """Attach the rendered eCOPR (called by applications.ecopr once the file is written), write
    the history row and email the client. False when another attempt got there first."""
    now = timezone.now()
    # One conditional update: only a confirmed person without an eCOPR gets this one.
    attached = PRConfirmation.objects.filter(
        pk=confirmation.pk, state=State.CONFIRMED, ecopr__isnull=True
    ).update(ecopr=stored_file, ecopr_issued_at=now)
    if not attached:
        return False
    confirmation.ecopr, confirmation.ecopr_issued_at = stored_file, now
    action = ApplicationEvent.Action.ECOPR_ISSUED
    person = confirmation.person
    _event(confirmation.application, action, actor=None, at=now, person=person)
    _email(confirmation, kind="ecopr_issued", key=f"ecopr:{confirmation.public_id}")
    return True


@transaction.atomic
def ecopr_error_report(
    *, confirmation: PRConfirmation, actor, field: str, correct_value: str, ip: str | None = None
) -> EcoprErrorReport:
    """The client reports an error in an issued eCOPR; the representative is emailed and staff
    see the report on the application in the admin."""
    confirmation = _lock(confirmation)
    _ensure_client(confirmation, actor)
    if confirmation.ecopr_id is None:
        raise WrongState()
    if field not in EcoprErrorReport.Field.values:
        raise ValueError("unknown eCOPR field")
    now = timezone.now()
    report = EcoprErrorReport.objects.create(
        confirmation=confirmation,
        field=field,
        correct_value=correct_value.strip()[: EcoprErrorReport.VALUE_MAX_LENGTH],
        reported_by=actor,
        reported_at=now,
    )
    action = ApplicationEvent.Action.ECOPR_ERROR_REPORTED
    person = confirmation.person
    _event(confirmation.application, action, actor=actor, at=now, person=person, reason=field)
    _email(
        confirmation, kind="ecopr_error", key=f"ecopr-error:{report.public_id}", representative=True
    )
    audit_record(actor=actor, action="ecopr.error_reported", obj=confirmation, ip=ip)
    return report


def confirmations_for(application: Application) -> list[PRConfirmation]:
    """The application's confirmations, the PA first, with the person, in one query (the
    client's and the representative's application pages). None before approval, without a
    query."""
    if application.status != Application.Status.APPROVED:
        return []
    confirmations = list(
        PRConfirmation.objects.filter(application_id=application.pk)
        .select_related("person")
        .order_by("person__created_at", "person__id")
    )
    for confirmation in confirmations:
        confirmation.application = application
    confirmations.sort(key=lambda c: not c.person.is_principal)
    return confirmations
