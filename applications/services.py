"""Every write to an application, its profiles and its history. The only writer of ``status``.

Services are keyword-only and atomic. They lock the application row, check the state again
under the lock (the view's guard may be stale), write one history row per change, queue emails
through the outbox in the same transaction, and refresh the denormalised progress counters.
"""

from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.errors import DomainError, VersionConflict, WrongState
from accounts.services import audit_record, email_send
from clients import services as client_services
from clients.models import Client

from .models import Application, ApplicationEvent, Person, Program
from .tasks_list import application_task_list, progress

FINAL_STATUSES = frozenset(
    status for status, targets in Application.TRANSITIONS.items() if not targets
)


class ProgramNotOpen(WrongState):
    default_message = _("This program does not accept new applications now.")


class DuplicateApplication(DomainError):
    status = 409
    template = "errors/409_wrong_state.html"
    default_message = _("You already have an open application for this client in this program.")


# --- helpers ----------------------------------------------------------------------------------


def _event(
    application: Application,
    action: str,
    *,
    actor,
    at: datetime,
    reason: str = "",
    person: Person | None = None,
    fields: list[str] | None = None,
    old_status: str = "",
    new_status: str = "",
) -> ApplicationEvent:
    return ApplicationEvent.objects.create(
        application=application,
        action=action,
        actor=actor,
        at=at,
        reason=reason,
        person_public_id=person.public_id if person else None,
        fields=fields or [],
        old_status=old_status,
        new_status=new_status,
    )


def _lock(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("program__intake", "client__user", "principal_applicant", "representative")
        .get(pk=application.pk)
    )


def _ensure_editable(application: Application) -> None:
    if not application.is_editable:
        raise WrongState()


def _transition(application: Application, *, to: str, actor, reason: str = "") -> None:
    """Move ``application`` (locked by the caller) to ``to`` if TRANSITIONS allows it."""
    current = application.status
    if to not in Application.TRANSITIONS[current]:
        raise WrongState()
    now = timezone.now()
    application.status = to
    application.status_changed_at = now
    application.updated_at = now
    application.save(update_fields=["status", "status_changed_at", "updated_at"])
    _event(
        application,
        ApplicationEvent.Action.STATUS_CHANGED,
        actor=actor,
        at=now,
        reason=reason,
        old_status=current,
        new_status=to,
    )


def application_progress_refresh(application: Application, *, at: datetime | None = None) -> None:
    """Recompute the task list and store its counts (and the change time) on the row."""
    done, total = progress(application_task_list(application))
    at = at or timezone.now()
    Application.objects.filter(pk=application.pk).update(
        tasks_done=done, tasks_total=total, updated_at=at
    )
    application.tasks_done, application.tasks_total, application.updated_at = done, total, at


def open_application_exists(*, representative, client: Client, program: Program) -> bool:
    return (
        Application.objects.filter(representative=representative, client=client, program=program)
        .exclude(status__in=FINAL_STATUSES)
        .exists()
    )


def _notify_started(application: Application, *, name: str) -> None:
    program = application.program
    email_send(
        to=application.client.user.email,
        template="application_started",
        context={
            "name": name,
            "representative_name": application.representative.full_name,
            "program_name_en": program.name_en,
            "program_name_fr": program.name_fr,
        },
        key=f"application-started:{application.public_id}",
        language=client_services.client_language(application.client),
    )


def _ensure_program_open(program: Program, today: date) -> None:
    intake = getattr(program, "intake", None)
    if not program.is_active or intake is None or not intake.accepts_new_applications(today):
        raise ProgramNotOpen()


def _start(*, representative, client, program, actor, now, copied_from=None) -> Application:
    if representative.status != "verified":
        raise WrongState()
    _ensure_program_open(program, timezone.localdate(now))
    if open_application_exists(representative=representative, client=client, program=program):
        raise DuplicateApplication()
    return Application.objects.create(
        program=program,
        representative=representative,
        client=client,
        copied_from=copied_from,
        status=Application.Status.DRAFT,
        status_changed_at=now,
        created_at=now,
        updated_at=now,
    )


# --- creating applications --------------------------------------------------------------------


@transaction.atomic
def application_create(
    *,
    representative,
    family_name: str,
    given_names: str,
    email: str,
    program: Program,
    actor,
    ip: str | None = None,
) -> Application:
    """Create a draft for a client, invite the client if new, and tell them by email."""
    now = timezone.now()
    name = " ".join(part for part in (given_names, family_name) if part)
    invitation = client_services.client_invite(email=email, name=name, actor=actor, now=now)
    application = _start(
        representative=representative,
        client=invitation.client,
        program=program,
        actor=actor,
        now=now,
    )
    pa = Person.objects.create(
        application=application,
        role=Person.Role.PRINCIPAL,
        family_name=family_name,
        given_names=given_names,
        email=invitation.client.user.email,
        created_at=now,
        updated_at=now,
    )
    application.principal_applicant = pa
    application.save(update_fields=["principal_applicant"])
    _event(application, ApplicationEvent.Action.CREATED, actor=actor, at=now)
    if invitation.created:
        _event(application, ApplicationEvent.Action.CLIENT_INVITED, actor=actor, at=now)
    _notify_started(application, name=name)
    _event(application, ApplicationEvent.Action.CLIENT_NOTIFIED, actor=actor, at=now)
    application_progress_refresh(application, at=now)
    audit_record(actor=actor, action="application.created", obj=application, ip=ip)
    return application


_COPIED_FIELDS = (
    "role", "relationship", "family_name", "given_names", "other_family_name",
    "other_given_names", "sex", "date_of_birth", "birth_city", "birth_country", "citizenship_1",
    "citizenship_2", "uci", "email", "phone", "marital_status", "correspondence_language",
    "accompanying", "not_accompanying_reason", "in_canada", "guardian_name",
    "guardian_relationship",
)  # fmt: skip


@transaction.atomic
def application_copy(
    *, source: Application, program: Program, actor, ip: str | None = None
) -> Application:
    """Start a new draft for the same client from ``source``, with copies of its profiles.

    The copies are new rows: profiles are never shared between applications.
    """
    now = timezone.now()
    application = _start(
        representative=source.representative,
        client=source.client,
        program=program,
        actor=actor,
        now=now,
        copied_from=source,
    )
    copies = []
    for person in source.people.order_by("created_at", "id"):
        values = {name: getattr(person, name) for name in _COPIED_FIELDS}
        copies.append(Person(application=application, created_at=now, updated_at=now, **values))
    Person.objects.bulk_create(copies)
    pa = next((p for p in copies if p.role == Person.Role.PRINCIPAL), None)
    application.principal_applicant = pa
    application.save(update_fields=["principal_applicant"])
    _event(application, ApplicationEvent.Action.COPIED, actor=actor, at=now, reason="copied")
    _notify_started(application, name=pa.full_name if pa else "")
    _event(application, ApplicationEvent.Action.CLIENT_NOTIFIED, actor=actor, at=now)
    application_progress_refresh(application, at=now)
    audit_record(actor=actor, action="application.created", obj=application, ip=ip)
    return application


# --- profiles ---------------------------------------------------------------------------------


def _clean_person_values(values: dict) -> dict:
    allowed = set(_COPIED_FIELDS) - {"role"}
    return {name: value for name, value in values.items() if name in allowed}


@transaction.atomic
def person_add(*, application: Application, values: dict, actor) -> Person:
    """Add a dependant profile (spouse or partner, dependent child, child of a dependent child)."""
    application = _lock(application)
    _ensure_editable(application)
    if not application.program.allows_dependants:
        raise WrongState(_("This program does not take family members."))
    values = _clean_person_values(values)
    relationship = values.get("relationship")
    if relationship not in Person.ROLE_OF_RELATIONSHIP:
        raise ValueError("a dependant needs a relationship")
    now = timezone.now()
    try:
        with transaction.atomic():
            person = Person.objects.create(
                application=application,
                role=Person.ROLE_OF_RELATIONSHIP[relationship],
                created_at=now,
                updated_at=now,
                **values,
            )
    except IntegrityError:  # a second spouse raced the form's check
        raise WrongState(_("This application already has a spouse or partner.")) from None
    _event(
        application,
        ApplicationEvent.Action.PERSON_ADDED,
        actor=actor,
        at=now,
        person=person,
        reason=person.role,
    )
    application_progress_refresh(application, at=now)
    return person


@transaction.atomic
def person_update(*, person: Person, changes: dict, expected_version: int, actor) -> Person:
    """Save profile changes if nobody saved the profile since ``expected_version`` was read.

    Everything that shows the profile (task list, forms, dashboard) reads it from this row, so
    one update changes it everywhere.
    """
    application = _lock(person.application)
    _ensure_editable(application)
    current = Person.objects.get(pk=person.pk)
    changes = _clean_person_values(changes)
    if current.is_principal:
        changes.pop("relationship", None)
    changed = [name for name, value in changes.items() if getattr(current, name) != value]
    if current.version != expected_version:
        raise VersionConflict()
    if not changed:
        return current
    now = timezone.now()
    updates = {name: changes[name] for name in changed}
    if "relationship" in updates:
        updates["role"] = Person.ROLE_OF_RELATIONSHIP[updates["relationship"]]
    try:
        with transaction.atomic():
            rows = Person.objects.filter(pk=current.pk, version=expected_version).update(
                **updates, version=F("version") + 1, updated_at=now
            )
    except IntegrityError:
        raise WrongState(_("This application already has a spouse or partner.")) from None
    if rows != 1:
        raise VersionConflict()
    _event(
        application,
        ApplicationEvent.Action.PERSON_CHANGED,
        actor=actor,
        at=now,
        person=current,
        fields=sorted(changed),
    )
    application_progress_refresh(application, at=now)
    current.refresh_from_db()
    return current


@transaction.atomic
def person_remove(*, person: Person, actor) -> None:
    application = _lock(person.application)
    _ensure_editable(application)
    if person.is_principal:
        raise WrongState(_("The principal applicant's profile cannot be removed."))
    now = timezone.now()
    _event(
        application,
        ApplicationEvent.Action.PERSON_REMOVED,
        actor=actor,
        at=now,
        person=person,
        reason=person.role,
    )
    Person.objects.filter(pk=person.pk).delete()
    application_progress_refresh(application, at=now)


# --- program details --------------------------------------------------------------------------


@transaction.atomic
def application_program_details_save(
    *, application: Application, values: dict, expected_version: int, actor
) -> Application:
    """Store the program-specific details (keys of ``program.details_fields`` only)."""
    application = _lock(application)
    _ensure_editable(application)
    if application.version != expected_version:
        raise VersionConflict()
    keys = {spec["key"] for spec in application.program.details_fields}
    details = {key: value for key, value in values.items() if key in keys}
    changed = sorted(
        key for key in keys if (application.program_details or {}).get(key) != details.get(key)
    )
    if not changed:
        return application
    now = timezone.now()
    application.program_details = details
    application.version = F("version") + 1
    application.save(update_fields=["program_details", "version"])
    application.refresh_from_db(fields=["version"])
    _event(
        application,
        ApplicationEvent.Action.PROGRAM_DETAILS_CHANGED,
        actor=actor,
        at=now,
        fields=changed,
    )
    application_progress_refresh(application, at=now)
    return application


# --- the client's invitation ------------------------------------------------------------------


@transaction.atomic
def application_client_password_resend(
    *, application: Application, actor, ip: str | None = None
) -> None:
    """Resend the client's temporary password from this application (recorded in its history)."""
    application = _lock(application)
    now = timezone.now()
    client_services.client_temporary_password_resend(
        client=application.client, actor=actor, name=application.client_name, ip=ip, now=now
    )
    _event(application, ApplicationEvent.Action.CLIENT_PASSWORD_RESENT, actor=actor, at=now)
    Application.objects.filter(pk=application.pk).update(updated_at=now)


@transaction.atomic
def application_client_email_correct(
    *, application: Application, email: str, actor, ip: str | None = None
) -> None:
    """Correct the client's email before activation; the invitation goes to the new address."""
    application = _lock(application)
    if application.client.applications.exclude(representative=application.representative).exists():
        # Another representative works with this client too: only the client or staff may
        # change the address then.
        raise WrongState(
            _("Another representative also works with this client: ask staff to correct it.")
        )
    now = timezone.now()
    application.client = client_services.client_email_correct(
        client=application.client,
        email=email,
        actor=actor,
        name=application.client_name,
        ip=ip,
        now=now,
    )
    pa = application.principal_applicant
    if pa is not None and pa.email.lower() != email.strip().lower():
        Person.objects.filter(pk=pa.pk).update(
            email=email.strip().lower(), version=F("version") + 1, updated_at=now
        )
    # The invitation with the temporary password tells the new address about the application.
    _event(
        application,
        ApplicationEvent.Action.CLIENT_EMAIL_CORRECTED,
        actor=actor,
        at=now,
        fields=["email"],
    )
    Application.objects.filter(pk=application.pk).update(updated_at=now)
