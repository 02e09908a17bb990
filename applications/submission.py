"""The declaration, the submit gate and submission (issue 7, workflow.md §6-§8).

The declaration is the representative's, or for a self-represented application (issue 10) the
applicant's own: no paid representative helped, or who did. Both are the same signature record
(``DECLARATION_KEY``) and the same gate; only the text and the capacity differ.

``submission_gate`` lists every unmet condition with a link to fix it; Submit is enabled only
when the list is empty. ``application_submit`` is atomic and idempotent: it locks the
application, returns the existing submission for a token (or an application) already
submitted, re-runs the gate, then locks the program's intake row (always after the
application) to count the cap, assigns the application number, writes the manifest, moves the
status and queues the emails and the package render, all in one transaction.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.errors import WrongState
from accounts.files import file_sha256
from accounts.queue import publish_after_commit
from accounts.services import email_send
from clients.services import client_language
from forms_imm.canonical import canonical_json
from forms_imm.sections import section_rows, sections_for
from forms_imm.services import canonical_form_json, section_check
from forms_imm.spec import SectionContext

from .models import Application, ApplicationEvent, ProgramIntake, Submission
from .preparer import preparer_email_send
from .signatures import (
    DECLARATION_KEY,
    _invalidated,
    _record,
    all_signed,
    latest_signatures,
    required_signatures,
    sha256_text,
)
from .tasks_list import FORM_NAMES, _section_url, application_task_list

Status = Application.Status
CAP_REACHED = "cap_reached"  # the reason code of the history row (workflow.md §9)

DECLARATION_VERSION = "2026-12-1"
DECLARATION_TEXT = _(
    "I declare that I prepared this application for my client, that to the best of my "
    "knowledge the information in it is true, complete and correct, and that my client "
    "reviewed and signed it."
)
INDIVIDUAL_DECLARATION_TEXT = _(
    "I declare that I prepared this application myself, without a representative, that to "
    "the best of my knowledge the information in it is true, complete and correct, and that "
    "the answer I give below about who helped me is true."
)


def declaration_text(application: Application):
    """The declaration this application needs: the representative's or the applicant's."""
    if application.is_self_represented:
        return INDIVIDUAL_DECLARATION_TEXT
    return DECLARATION_TEXT


@dataclass(frozen=True)
class Missing:
    """One unmet condition of the submit gate, with where to fix it."""

    code: str
    label: str
    url: str | None = None


PROGRAM_NOT_OPEN = Missing("program", _("The program does not accept applications now."))


def _detail_url(application: Application, suffix: str = "") -> str:
    return reverse("applications:detail", kwargs={"public_id": application.public_id}) + suffix


def _form_problems(application, people, rows, today) -> list[Missing]:
    """Re-run the strict Submit check on every required section's stored answers."""
    missing = []
    for person_form in sections_for(application, people=people, rows=rows, today=today):
        context = SectionContext(application=application, person=person_form.person, today=today)
        for state in person_form.sections:
            if not state.section.required:
                continue
            data = state.row.data if state.row is not None else None
            if data is None or section_check(state.section, data, context):
                missing.append(
                    Missing(
                        f"section:{person_form.form.key}:{person_form.person.public_id}:"
                        f"{state.section.slug}",
                        _("Complete %(form)s, %(section)s, for %(name)s")
                        % {
                            "form": FORM_NAMES.get(person_form.form.key, person_form.form.key),
                            "section": state.section.title,
                            "name": person_form.person.full_name,
                        },
                        _section_url(
                            application,
                            person_form.person,
                            person_form.form.key,
                            state.section.slug,
                        ),
                    )
                )
    return missing


def submission_gate(application: Application, *, people=None, latest=None) -> list[Missing]:
    """Every condition still blocking submission (empty: Submit is enabled)."""
    today = timezone.localdate()
    if people is None:
        people = list(application.people.order_by("created_at", "id"))
    rows = section_rows(application, with_data=True)
    latest = latest_signatures(application) if latest is None else latest
    missing: list[Missing] = []
    if application.representative_id and application.representative.status != "verified":
        missing.append(Missing("representative", _("Your representative account is not verified.")))
    intake = getattr(application.program, "intake", None)
    if (
        not application.program.is_active
        or intake is None
        or (not intake.accepts_new_applications(today))
    ):
        missing.append(PROGRAM_NOT_OPEN)
    for task in application_task_list(application, people=people, section_rows=rows, today=today):
        own = task.code.startswith(("form:", "signature:")) or task.code == "declaration"
        if task.required and not task.done and not own:
            missing.append(Missing(task.code, str(task.label), task.url))
    missing += _form_problems(application, people, rows, today)
    required = required_signatures(application, people=people, rows=rows, latest=latest)
    sign_url = _detail_url(application, "#signatures")
    for entry in required:
        if not entry.is_valid:
            missing.append(
                Missing(
                    f"signature:{entry.key}",
                    _("Signature of %(item)s for %(name)s")
                    % {"item": entry.item.label, "name": entry.subject.full_name},
                    sign_url,
                )
            )
    declaration = latest.get(DECLARATION_KEY)
    if declaration is None or _invalidated(declaration):
        missing.append(
            Missing(
                "declaration",
                _("Your declaration")
                if application.is_self_represented
                else _("The representative declaration"),
                reverse("applications:submit", kwargs={"public_id": application.public_id})
                + "#declaration",
            )
        )
    return missing


# --- the representative declaration -------------------------------------------------------------


def _snapshot(application: Application, people, latest) -> dict:
    """What the declaration covers: each required form's hash and each valid signature's."""
    forms = {}
    for person_form in sections_for(application, people=people):
        content = canonical_form_json(application, person_form.person, person_form.form.key)
        forms[f"{person_form.form.key}:{person_form.person.public_id}"] = hashlib.sha256(
            content
        ).hexdigest()
    signed = {
        key: event.content_sha256
        for key, event in latest.items()
        if key != DECLARATION_KEY and not _invalidated(event)
    }
    return {"application": application.public_id, "forms": forms, "signatures": signed}


def representative_declare(
    *, application: Application, actor, evidence: dict, assistance: dict | None = None
):
    """The preparer checks the declaration once every client signature is valid.

    For a self-represented application ``assistance`` is required: ``{"helped": False}``, or
    ``{"helped": True, "name", "relationship", "paid"}`` naming who helped; it is part of the
    signed content (never of a history row)."""
    from .services import _event, _lock, _transition

    with transaction.atomic():
        application = _lock(application)
        if application.status != Status.CLIENT_SIGNED:
            raise WrongState()
        if application.preparer_user_id != actor.pk:
            raise WrongState()
        people = list(application.people.order_by("created_at", "id"))
        latest = latest_signatures(application)
        if not all_signed(required_signatures(application, people=people, latest=latest)):
            raise WrongState()
        snapshot = _snapshot(application, people, latest)
        if application.is_self_represented:
            if assistance is None:
                raise WrongState()
            snapshot["assistance"] = assistance
        content = canonical_json(snapshot)
        event = _record(
            application,
            form_key=DECLARATION_KEY,
            form="",
            signer=actor,
            signer_role=actor.role,
            capacity="self" if application.is_self_represented else "representative",
            typed_text="",
            name_matched=False,
            attestation_version=DECLARATION_VERSION,
            attestation_sha256=sha256_text(str(declaration_text(application))),
            consent_checked=True,
            content_json=content.decode(),
            schema_version="1",
            content_sha256=hashlib.sha256(content).hexdigest(),
            **evidence,
        )
        _event(application, ApplicationEvent.Action.DECLARED, actor=actor, at=event.signed_at)
        _transition(application, to=Status.REP_DECLARED, actor=actor)
    return event


def application_reopen(*, application: Application, actor) -> Application:
    """After a return as incomplete, the preparer reopens the application to complete it and
    resubmit it as the same application: back to draft, with every signature and the
    declaration to be given again."""
    from .services import _lock, _transition
    from .signatures import signatures_invalidate_all

    with transaction.atomic():
        application = _lock(application)
        if application.status != Status.RETURNED_INCOMPLETE:
            raise WrongState()
        if application.preparer_user_id != actor.pk:
            raise WrongState()
        _transition(application, to=Status.DRAFT, actor=actor, reason="reopened")
        signatures_invalidate_all(application, actor=actor)
    return application


# --- submission ---------------------------------------------------------------------------------


class GateClosed(WrongState):
    default_message = _("The application cannot be submitted yet: see what is missing.")

    def __init__(self, missing: list[Missing]):
        super().__init__()
        self.missing = missing


@dataclass
class SubmitResult:
    submission: Submission | None  # None when the application was returned over the cap
    created: bool
    over_cap: bool = False


def _application_number(application: Application) -> str:
    return f"{application.program.application_number_prefix}{secrets.randbelow(10**9):09d}"


def _manifest(application: Application, people, latest, number: str, count: int) -> dict:
    from .documents import document_slots

    snapshot = _snapshot(application, people, latest)
    files = {}
    for slot in document_slots(application, people=people):
        document = slot.current
        if document is not None and document.file_id:
            files[str(document.public_id)] = {
                "slot": slot.key,
                "sha256": document.file.sha256,
                "size": document.file.size,
            }
    declaration = latest.get(DECLARATION_KEY)
    return {
        **snapshot,
        "application_number": number,
        "submission": count,
        "files": files,
        "declaration": declaration.content_sha256 if declaration else "",
    }


def application_submit(*, application: Application, actor, token) -> SubmitResult:
    """Submit ``application`` once, whatever the number of clicks or parallel requests."""
    from .services import _event, _lock, _transition

    with transaction.atomic():
        application = _lock(application)
        if application.preparer_user_id != actor.pk:
            raise WrongState()
        existing = Submission.objects.filter(token=token).first()
        if existing is not None:
            if existing.application_id != application.pk:
                raise WrongState()
            return SubmitResult(existing, created=False)
        if application.status == Status.SUBMITTED or application.status in (
            Status.COMPLETENESS_CHECK, Status.ACCEPTED, Status.IN_PROCESS,
        ):  # fmt: skip
            return SubmitResult(application.submissions.order_by("-number").first(), False)
        if application.status == Status.RETURNED_OTHER:
            return SubmitResult(None, created=False, over_cap=True)
        if application.status != Status.REP_DECLARED:
            raise WrongState()
        people = list(application.people.order_by("created_at", "id"))
        latest = latest_signatures(application)
        missing = submission_gate(application, people=people, latest=latest)
        if missing:
            raise GateClosed(missing)
        intake = ProgramIntake.objects.select_for_update().get(program_id=application.program_id)
        # Staff may have paused or closed the program since the gate read it
        # (applications.intake locks the same row): checked again under the lock.
        if not intake.accepts_new_applications(timezone.localdate()):
            raise GateClosed([PROGRAM_NOT_OPEN])
        if intake.cap is not None and intake.used >= intake.cap:
            _transition(application, to=Status.RETURNED_OTHER, actor=actor, reason=CAP_REACHED)
            return SubmitResult(None, created=False, over_cap=True)
        ProgramIntake.objects.filter(pk=intake.pk).update(used=intake.used + 1)
        number = application.application_number
        while number is None:
            candidate = _application_number(application)
            try:
                with transaction.atomic():
                    Application.objects.filter(pk=application.pk).update(
                        application_number=candidate
                    )
                number = candidate
            except IntegrityError:  # taken by another application: draw again
                continue
        application.application_number = number
        count = application.submissions.count() + 1
        manifest_bytes = canonical_json(_manifest(application, people, latest, number, count))
        manifest = json.loads(manifest_bytes)
        submission = Submission.objects.create(
            application=application,
            number=count,
            token=token,
            application_number=number,
            submitted_by=actor,
            manifest=manifest,
            manifest_sha256=hashlib.sha256(manifest_bytes).hexdigest(),
        )
        _transition(application, to=Status.SUBMITTED, actor=actor)
        _event(
            application,
            ApplicationEvent.Action.SUBMITTED,
            actor=actor,
            at=submission.submitted_at,
            reason=f"submission_{count}",
        )
        _confirmation_emails(application, submission)
        from .tasks import submission_package_render_task

        publish_after_commit(submission_package_render_task, submission.pk)
    return SubmitResult(submission, created=True)


def _confirmation_emails(application: Application, submission: Submission) -> None:
    context = {
        "application_number": submission.application_number,
        "public_id": application.public_id,
    }
    preparer_email_send(
        application,
        template="application_submitted",
        context=context,
        key=f"submitted-rep:{submission.public_id}",
        client_has_copy=True,
    )
    email_send(
        to=application.client.user.email,
        template="application_submitted",
        context={**context, "name": application.client_name},
        key=f"submitted-client:{submission.public_id}",
        language=client_language(application.client),
    )


# --- verification -------------------------------------------------------------------------------


def submissions_verify(*, application_id=None) -> list:
    """Check every submission's manifest against its stored hash and every file it lists
    against the bytes in storage (QUALITY.md §5, Verification): a manifest edited in the
    database, or a file changed or lost in storage, is a mismatch. Returns
    ``signatures.Mismatch`` rows (``signature_id`` holds the submission's id)."""
    from .models import Document
    from .signatures import Mismatch

    problems = []
    submissions = Submission.objects.select_related("application").order_by("application_id", "id")
    if application_id is not None:
        submissions = submissions.filter(application__public_id=application_id)
    for submission in submissions.iterator(chunk_size=100):
        application = str(submission.application.public_id)
        item = f"submission:{submission.number}"
        if hashlib.sha256(canonical_json(submission.manifest)).hexdigest() != (
            submission.manifest_sha256
        ):
            problems.append(Mismatch(application, item, submission.pk, "manifest"))
        files = submission.manifest.get("files") or {}
        documents = Document.objects.filter(public_id__in=list(files)).select_related("file")
        by_id = {str(document.public_id): document for document in documents}
        for public_id, entry in files.items():
            document = by_id.get(public_id)
            digest = file_sha256(document.file.file) if document is not None else None
            if digest is None:  # no document row, or the file is gone
                problems.append(Mismatch(application, f"file:{public_id}", submission.pk, "lost"))
                continue
            if digest != entry.get("sha256"):
                problems.append(Mismatch(application, f"file:{public_id}", submission.pk, "file"))
    return problems
