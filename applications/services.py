"""Every write to an application, its profiles and its history. The only writer of ``status``.

Services are keyword-only and atomic. They lock the application row, check the state again
under the lock (the view's guard may be stale), write one history row per change, queue emails
through the outbox in the same transaction, and refresh the denormalised progress counters.
"""

import logging
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

logger = logging.getLogger(__name__)

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


def _signatures_refresh(application: Application, *, actor) -> None:
    """Invalidate the signatures a profile change touched (applications.signatures)."""
    from .signatures import signatures_refresh

    signatures_refresh(application, actor=actor)


def application_progress_refresh(
    application: Application, *, at: datetime | None = None, people=None, section_rows=None
) -> None:
    """Recompute the task list and store its counts (and the change time) on the row.

    ``people`` (every profile of the application) and ``section_rows`` (its form sections),
    when the caller has already read them, save the queries for them."""
    done, total = progress(
        application_task_list(
            application, people=people, section_rows=section_rows, with_consistency=False
        )
    )
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
            "representative_name": application.preparer_name,
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
    """A new draft; ``representative=None`` starts a self-represented one (issue 10)."""
    if representative is not None and representative.status != "verified":
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
    _principal_add(application, family_name=family_name, given_names=given_names, now=now)
    _event(application, ApplicationEvent.Action.CREATED, actor=actor, at=now)
    if invitation.created:
        _event(application, ApplicationEvent.Action.CLIENT_INVITED, actor=actor, at=now)
    _notify_started(application, name=name)
    _event(application, ApplicationEvent.Action.CLIENT_NOTIFIED, actor=actor, at=now)
    application_progress_refresh(application, at=now)
    audit_record(actor=actor, action="application.created", obj=application, ip=ip)
    return application


def _principal_add(application: Application, *, family_name: str, given_names: str, now) -> None:
    """The PA's profile, pre-filled with the name given and the client's email address."""
    pa = Person.objects.create(
        application=application,
        role=Person.Role.PRINCIPAL,
        family_name=family_name,
        given_names=given_names,
        email=application.client.user.email,
        created_at=now,
        updated_at=now,
    )
    application.principal_applicant = pa
    application.save(update_fields=["principal_applicant"])


@transaction.atomic
def application_self_start(
    *,
    client: Client,
    family_name: str,
    given_names: str,
    program: Program,
    ip: str | None = None,
) -> Application:
    """An individual starts their own application, without a representative (issue 10): they
    are its principal applicant and prepare it themselves."""
    now = timezone.now()
    actor = client.user
    application = _start(representative=None, client=client, program=program, actor=actor, now=now)
    _principal_add(application, family_name=family_name, given_names=given_names, now=now)
    _event(application, ApplicationEvent.Action.CREATED, actor=actor, at=now)
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
    _signatures_refresh(application, actor=actor)
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
    _signatures_refresh(application, actor=actor)
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
    _signatures_refresh(application, actor=actor)
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


# --- documents (issue 6) ----------------------------------------------------------------------


class CombineInProgress(WrongState):
    default_message = _(
        "The files of this slot are being combined. Wait until it is done, then try again."
    )


class CombineFull(WrongState):
    default_message = _(
        "This slot already has the most files that can be combined at once. Combine them "
        "first, then add more."
    )


def _document_slot(application: Application, slot_key: str):
    from .documents import document_slots, find_slot

    slot = find_slot(document_slots(application), slot_key)
    if slot is None:
        raise WrongState(_("This document is no longer on the checklist of the application."))
    return slot


def _document_details(slot, details: dict) -> dict:
    """The extra fields that apply to this slot, nothing else."""
    values = {}
    if slot.wet_signature:
        if not (details.get("signed_by_hand_confirmed") and details.get("signature_date")):
            raise ValueError("a hand-signed form needs the confirmation and the signature date")
        values["signed_by_hand_confirmed"] = True
        values["signature_date"] = details["signature_date"]
    if slot.is_ircc_form:
        values["form_version_date"] = details.get("form_version_date")
    if slot.is_fee_receipt:
        amount = details.get("receipt_amount")
        if amount is None or amount < 0:
            raise ValueError("a fee receipt needs the amount paid")
        values["receipt_amount"] = amount
    if details.get("not_in_english_or_french") and slot.kind == "document":
        values["not_in_english_or_french"] = True
    return values


def _text_layer(slot, checked) -> bool | None:
    """For IRCC forms that are not signed by hand: does the PDF carry text (not a scan)?"""
    from .document_files import pdf_has_text

    if not slot.is_ircc_form or slot.wet_signature or checked.kind != "pdf":
        return None
    try:
        return pdf_has_text(checked.content)
    except Exception:  # the pipeline rendered it already; a failure here only skips the hint
        return None


def _slot_reason(slot) -> str:
    return (slot.item.code if slot.item else slot.key.split("--")[0])[:50]


@transaction.atomic
def document_upload(
    *,
    application: Application,
    slot_key: str,
    checked,
    details: dict,
    actor,
    translation=None,
    ip: str | None = None,
):
    """Store ``checked`` (a CheckedUpload) as the slot's file. A file already in the slot is
    replaced and kept in the history, and files waiting to be combined with it are removed."""
    application = _lock(application)
    _ensure_editable(application)
    slot = _document_slot(application, slot_key)
    document = document_store(
        application=application,
        slot=slot,
        checked=checked,
        details=details,
        actor=actor,
        translation=translation,
        ip=ip,
    )
    _signatures_refresh(application, actor=actor)  # an upload clears the declaration
    application_progress_refresh(application, at=document.uploaded_at)
    return document


def document_store(
    *,
    application: Application,
    slot,
    checked,
    details: dict,
    actor,
    translation=None,
    ip: str | None = None,
    action: str | None = None,
):
    """The storing half of an upload, for a slot the caller chose and an application it
    locked and checked: the file (and translation) stored, the slot's previous file replaced,
    one history row (``action``, else uploaded or replaced) and one audit row. Shared by
    ``document_upload`` and the uploads allowed after submission (applications.after_submission)."""
    from .documents import document_name_for
    from .models import Document
    from .uploads import upload_store

    previous = slot.current
    if previous is not None and previous.combine_in_progress:
        raise CombineInProgress()
    values = _document_details(slot, details)
    if values.get("not_in_english_or_french") and translation is None:
        raise ValueError("a document not in English or French needs its translation")
    now = timezone.now()
    stored = upload_store(checked, uploaded_by=actor, purpose="documents")
    if values.get("not_in_english_or_french"):
        values["translation_file"] = upload_store(
            translation, uploaded_by=actor, purpose="documents"
        )
        values["translation_display_name"] = document_name_for(
            slot,
            application=application,
            number=2,
            extension=translation.extension,
            translation=True,
        )
    if previous is not None:
        Document.objects.filter(pk=previous.pk).update(
            state=Document.State.REPLACED, ended_at=now, combine_status=""
        )
        Document.objects.filter(part_of=previous, state=Document.State.PART).update(
            state=Document.State.DELETED, ended_at=now
        )
    document = Document.objects.create(
        application=application,
        person=slot.person,
        checklist_item=slot.item,
        slot_key=slot.key,
        file=stored,
        display_name=document_name_for(
            slot, application=application, number=1, extension=checked.extension
        ),
        uploaded_by=actor,
        uploaded_at=now,
        has_text_layer=_text_layer(slot, checked),
        **values,
    )
    if previous is not None:
        Document.objects.filter(pk=previous.pk).update(replaced_by=document)
    if action is None:
        action = (
            ApplicationEvent.Action.DOCUMENT_REPLACED
            if previous
            else ApplicationEvent.Action.DOCUMENT_UPLOADED
        )
    _event(application, action, actor=actor, at=now, person=slot.person, reason=_slot_reason(slot))
    audit_record(actor=actor, action=str(action), obj=document, ip=ip)
    return document


@transaction.atomic
def document_part_add(
    *,
    application: Application,
    slot_key: str,
    checked,
    actor,
    receipt_amount=None,
    ip: str | None = None,
):
    """Add a further file to a slot that already has one; it waits to be combined with it."""
    from .documents import COMBINABLE_KINDS, document_name_for
    from .models import Document
    from .uploads import upload_store

    application = _lock(application)
    _ensure_editable(application)
    slot = _document_slot(application, slot_key)
    main = slot.current
    if main is None or not slot.can_combine or checked.kind not in COMBINABLE_KINDS:
        raise WrongState(_("Only PDF files and images can be combined with this slot’s file."))
    if main.combine_in_progress:
        raise CombineInProgress()
    if slot.combine_full:
        raise CombineFull()
    if slot.is_fee_receipt and (receipt_amount is None or receipt_amount < 0):
        raise ValueError("a fee receipt needs the amount paid")
    now = timezone.now()
    stored = upload_store(checked, uploaded_by=actor, purpose="documents")
    part = Document.objects.create(
        application=application,
        person=slot.person,
        checklist_item=slot.item,
        slot_key=slot.key,
        file=stored,
        display_name=document_name_for(
            slot,
            application=application,
            number=len(slot.parts) + 2,
            extension=checked.extension,
        ),
        state=Document.State.PART,
        part_of=main,
        uploaded_by=actor,
        uploaded_at=now,
        receipt_amount=receipt_amount if slot.is_fee_receipt else None,
    )
    if main.combine_status == Document.CombineStatus.FAILED:
        Document.objects.filter(pk=main.pk).update(combine_status="", combine_error="")
    _event(
        application,
        ApplicationEvent.Action.DOCUMENT_PART_ADDED,
        actor=actor,
        at=now,
        person=slot.person,
        reason=_slot_reason(slot),
    )
    audit_record(actor=actor, action="document.part_added", obj=part, ip=ip)
    application_progress_refresh(application, at=now)
    return part


@transaction.atomic
def document_parts_remove(
    *, application: Application, slot_key: str, actor, ip: str | None = None
) -> int:
    """Remove the files waiting to be combined in a slot (they stay in the history)."""
    from .models import Document

    application = _lock(application)
    _ensure_editable(application)
    slot = _document_slot(application, slot_key)
    if slot.current is None or not slot.parts:
        raise WrongState(_("No files are waiting to be combined in this slot."))
    if slot.current.combine_in_progress:
        raise CombineInProgress()
    now = timezone.now()
    removed = Document.objects.filter(
        pk__in=[part.pk for part in slot.parts], state=Document.State.PART
    ).update(state=Document.State.DELETED, ended_at=now)
    Document.objects.filter(pk=slot.current.pk).update(combine_status="", combine_error="")
    _event(
        application,
        ApplicationEvent.Action.DOCUMENT_PARTS_REMOVED,
        actor=actor,
        at=now,
        person=slot.person,
        reason=_slot_reason(slot),
    )
    audit_record(actor=actor, action="document.parts_removed", obj=slot.current, ip=ip)
    application_progress_refresh(application, at=now)
    return removed


@transaction.atomic
def document_combine_request(
    *, application: Application, slot_key: str, actor, ip: str | None = None
):
    """Ask for the slot's file and the files added to it to be combined into one PDF.

    The request is recorded on the current document (``combine_status`` pending), so the
    sweeper finds it again if the task is lost; the task is published after commit.
    """
    from accounts.queue import publish_after_commit

    from .models import Document
    from .tasks import document_combine_task

    application = _lock(application)
    _ensure_editable(application)
    slot = _document_slot(application, slot_key)
    main = slot.current
    if main is None or not slot.parts:
        raise WrongState(_("Add at least one more file before combining."))
    if main.combine_in_progress:
        raise CombineInProgress()
    now = timezone.now()
    Document.objects.filter(pk=main.pk).update(
        combine_status=Document.CombineStatus.PENDING,
        combine_error="",
        combine_requested_at=now,
        combine_started_at=None,
        combine_requested_by=actor,
    )
    _event(
        application,
        ApplicationEvent.Action.DOCUMENT_COMBINE_REQUESTED,
        actor=actor,
        at=now,
        person=slot.person,
        reason=_slot_reason(slot),
    )
    audit_record(actor=actor, action="document.combine_requested", obj=main, ip=ip)
    application_progress_refresh(application, at=now)
    publish_after_commit(document_combine_task, main.pk)
    return main


def document_combine(*, document_id: int) -> str:
    """Combine a slot's file and the files added to it into one PDF (the task's service).

    Claims the work with a conditional update (pending → running), so a duplicate task does
    nothing. The combined PDF goes through the whole upload pipeline again before it is stored
    as the slot's new file; any failure is recorded on the slot with its reason. Returns
    "combined", "failed" or "skipped".
    """
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .document_files import CombineFailed, combine_into_pdf, stored_bytes, upload_limit
    from .models import ChecklistItem, Document
    from .uploads import UploadRejected, upload_check

    now = timezone.now()
    claimed = Document.objects.filter(
        pk=document_id,
        state=Document.State.CURRENT,
        combine_status=Document.CombineStatus.PENDING,
    ).update(combine_status=Document.CombineStatus.RUNNING, combine_started_at=now)
    if not claimed:
        return "skipped"
    main = Document.objects.select_related("file", "checklist_item").get(pk=document_id)
    parts = list(
        Document.objects.filter(part_of=main, state=Document.State.PART)
        .select_related("file")
        .order_by("uploaded_at", "id")
    )
    is_form = main.checklist_item is not None and (
        main.checklist_item.kind == ChecklistItem.Kind.IRCC_FORM
    )
    try:
        if not parts:
            raise CombineFailed("combine_error")
        files = [(doc.file.kind, stored_bytes(doc.file)) for doc in [main, *parts]]
        content = combine_into_pdf(files, max_bytes=upload_limit())
        checked = upload_check(
            SimpleUploadedFile("combined.pdf", content),
            allowed_kinds={"pdf"},
            allow_active_pdf=is_form,
        )
    except (CombineFailed, UploadRejected) as failure:
        return _document_combine_failed(main, failure.code)
    except Exception:
        logger.exception("combining failed", extra={"document": main.pk})
        return _document_combine_failed(main, "combine_error")
    return _document_combine_store(main, parts, checked)


def _lock_for_combining(application_id: int) -> Application:
    """The task's own lock on the application. Without a broker the task runs inside the
    request that asked for it, after its commit; a lock taken from a separate place keeps the
    request's query profile readable (django-zeal reports repeated get() calls per place)."""
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("program", "principal_applicant")
        .get(pk=application_id)
    )


@transaction.atomic
def _document_combine_failed(main, code: str, *, application=None) -> str:
    from .models import Document

    application = application or _lock_for_combining(main.application_id)
    updated = Document.objects.filter(
        pk=main.pk, state=Document.State.CURRENT, combine_status=Document.CombineStatus.RUNNING
    ).update(combine_status=Document.CombineStatus.FAILED, combine_error=code[:40])
    if not updated:
        return "skipped"
    now = timezone.now()
    _event(
        application,
        ApplicationEvent.Action.DOCUMENT_COMBINE_FAILED,
        actor=main.combine_requested_by,
        at=now,
        person=main.person,
        reason=code[:50],
    )
    audit_record(
        actor=main.combine_requested_by,
        action="document.combine_failed",
        obj=main,
        outcome="failure",
        reason=code,
    )
    application_progress_refresh(application, at=now)
    return "failed"


@transaction.atomic
def _document_combine_store(main, parts, checked) -> str:
    from .documents import document_name_for, document_slots, find_slot
    from .models import Document
    from .uploads import upload_store

    application = _lock_for_combining(main.application_id)
    current = Document.objects.select_for_update().get(pk=main.pk)
    if current.state != Document.State.CURRENT or (
        current.combine_status != Document.CombineStatus.RUNNING
    ):
        return "skipped"  # replaced or deleted while combining
    live_parts = list(
        Document.objects.filter(part_of=current, state=Document.State.PART)
        .order_by("uploaded_at", "id")
        .values_list("pk", flat=True)
    )
    if not application.is_editable or live_parts != [part.pk for part in parts]:
        code = "combine_not_editable" if not application.is_editable else "combine_error"
        return _document_combine_failed(current, code, application=application)
    slot = find_slot(document_slots(application), current.slot_key)
    actor = current.combine_requested_by
    now = timezone.now()
    stored = upload_store(checked, uploaded_by=actor, purpose="documents")
    amounts = [d.receipt_amount for d in [current, *parts] if d.receipt_amount is not None]
    Document.objects.filter(pk=current.pk).update(
        state=Document.State.REPLACED, ended_at=now, combine_status=""
    )
    Document.objects.filter(pk__in=live_parts).update(state=Document.State.COMBINED, ended_at=now)
    combined = Document.objects.create(
        application=application,
        person=current.person,
        checklist_item=current.checklist_item,
        slot_key=current.slot_key,
        file=stored,
        display_name=(
            document_name_for(slot, application=application, number=1, extension="pdf")
            if slot is not None
            else current.display_name.rpartition(".")[0] + ".pdf"
        ),
        uploaded_by=actor,
        uploaded_at=now,
        signed_by_hand_confirmed=current.signed_by_hand_confirmed,
        signature_date=current.signature_date,
        form_version_date=current.form_version_date,
        has_text_layer=_text_layer(slot, checked) if slot is not None else None,
        not_in_english_or_french=current.not_in_english_or_french,
        translation_file=current.translation_file,
        translation_display_name=current.translation_display_name,
        receipt_amount=sum(amounts) if amounts else None,
    )
    Document.objects.filter(pk__in=[current.pk, *live_parts]).update(replaced_by=combined)
    _event(
        application,
        ApplicationEvent.Action.DOCUMENT_COMBINED,
        actor=actor,
        at=now,
        person=current.person,
        reason=(current.checklist_item.code if current.checklist_item else "")[:50],
    )
    audit_record(actor=actor, action="document.combined", obj=combined)
    application_progress_refresh(application, at=now)
    return "combined"


@transaction.atomic
def document_delete(*, document, actor, ip: str | None = None) -> None:
    """Take a document (or a file waiting to be combined) out of its slot; it stays in the
    history. Deleting the slot's file also removes the files waiting to be combined with it."""
    from .models import Document

    application = _lock(document.application)
    _ensure_editable(application)
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.state not in (Document.State.CURRENT, Document.State.PART):
        raise WrongState(_("This file was already replaced or deleted."))
    main = document if document.state == Document.State.CURRENT else document.part_of
    if main is not None and main.combine_in_progress:
        raise CombineInProgress()
    now = timezone.now()
    Document.objects.filter(pk=document.pk).update(state=Document.State.DELETED, ended_at=now)
    if document.state == Document.State.CURRENT:
        Document.objects.filter(part_of=document, state=Document.State.PART).update(
            state=Document.State.DELETED, ended_at=now
        )
    elif main is not None and main.combine_status == Document.CombineStatus.FAILED:
        Document.objects.filter(pk=main.pk).update(combine_status="", combine_error="")
    _event(
        application,
        ApplicationEvent.Action.DOCUMENT_DELETED,
        actor=actor,
        at=now,
        person=document.person,
        reason=(document.checklist_item.code if document.checklist_item else "")[:50],
    )
    audit_record(actor=actor, action="document.deleted", obj=document, ip=ip)
    _signatures_refresh(application, actor=actor)  # a deletion clears the declaration
    application_progress_refresh(application, at=now)


COMBINE_REPUBLISH_AFTER = 60  # seconds a pending combination waits before it is published again
COMBINE_STUCK_AFTER = (
    15 * 60
)  # seconds after which a running one is presumed lost (hard limit 3 min)
COMBINE_GIVE_UP_AFTER = 60 * 60  # seconds after the request: recorded as failed


def document_combine_sweep(*, now: datetime | None = None) -> int:
    """Publish again the combinations whose task was lost; give up on very old ones.

    Returns how many were published again.
    """
    from datetime import timedelta

    from accounts.queue import publish_after_commit

    from .models import Document
    from .tasks import document_combine_task

    now = now or timezone.now()
    queue = Document.objects.filter(state=Document.State.CURRENT)
    for main in queue.filter(
        combine_status__in=[Document.CombineStatus.PENDING, Document.CombineStatus.RUNNING],
        combine_requested_at__lt=now - timedelta(seconds=COMBINE_GIVE_UP_AFTER),
    ).select_related("application", "person", "combine_requested_by"):
        Document.objects.filter(pk=main.pk).update(combine_status=Document.CombineStatus.RUNNING)
        _document_combine_failed(main, "combine_error")
    queue.filter(
        combine_status=Document.CombineStatus.RUNNING,
        combine_started_at__lt=now - timedelta(seconds=COMBINE_STUCK_AFTER),
    ).update(combine_status=Document.CombineStatus.PENDING)
    due = list(
        queue.filter(
            combine_status=Document.CombineStatus.PENDING,
            combine_requested_at__lt=now - timedelta(seconds=COMBINE_REPUBLISH_AFTER),
        ).values_list("pk", flat=True)[:100]
    )
    with transaction.atomic():
        for pk in due:
            publish_after_commit(document_combine_task, pk)
    return len(due)


def application_file_ids(*, application_ids: list[int]) -> set[int]:
    """The stored files of these applications: uploads, translations and the "Download
    draft as PDF" files (they hold the forms' answers too)."""
    from .models import Document, DraftExport

    documents = Document.objects.filter(application_id__in=application_ids)
    exports = DraftExport.objects.filter(application_id__in=application_ids)
    return (
        set(documents.values_list("file_id", flat=True))
        | set(
            documents.exclude(translation_file=None).values_list("translation_file_id", flat=True)
        )
        | set(exports.exclude(file=None).values_list("file_id", flat=True))
    )


def application_documents_erase(*, application_ids: list[int]) -> int:
    """Erase every upload and draft PDF of these applications: document and draft export rows,
    stored-file rows, and, after commit, the bytes and their cached previews (client account
    deletion, personal data).
    Returns the number of documents erased. The caller holds the applications' row locks."""
    from django.core.files.storage import default_storage

    from accounts.models import StoredFile

    from .models import Document, DraftExport

    documents = Document.objects.filter(application_id__in=application_ids)
    exports = DraftExport.objects.filter(application_id__in=application_ids)
    file_ids = application_file_ids(application_ids=application_ids)
    stored = list(StoredFile.objects.filter(pk__in=file_ids).only("pk", "public_id", "file"))
    documents.update(part_of=None, replaced_by=None)
    erased, _ = documents.delete()
    exports.delete()
    StoredFile.objects.filter(pk__in=file_ids).delete()
    names = [row.file.name for row in stored]

    def delete_bytes():
        for name in names:
            default_storage.delete(name)
        for row in stored:
            folder = f"previews/{row.public_id}"
            try:
                _dirs, files = default_storage.listdir(folder)
            except (FileNotFoundError, OSError):
                continue
            for file_name in files:
                default_storage.delete(f"{folder}/{file_name}")

    transaction.on_commit(delete_bytes)
    return erased
