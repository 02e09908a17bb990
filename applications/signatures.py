"""Electronic signatures: who signs what, signing, invalidation and verification (issue 7).

Which items are signed is program data (``Program.signable_items``); an item whose digital form
is not in the registry (``forms_imm.sections.FORMS``) is simply not asked for. Every signature
is a ``SignatureEvent`` (append-only, the evidence record of QUALITY.md §5) holding the
canonical JSON of exactly what was signed, its SHA-256, a chain hash and an HMAC seal keyed
with ``SIGNATURE_SEAL_KEY``. A signature stays valid until a ``SignatureInvalidation`` row says
otherwise: ``signatures_refresh`` writes one, in the same transaction as the change, for each
signature whose content no longer hashes the same.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.errors import DomainError, WrongState
from accounts.services import email_send
from clients.services import client_language
from forms_imm.canonical import canonical_json
from forms_imm.sections import FORMS, sections_for
from forms_imm.services import canonical_form_json

from .models import Application, ApplicationEvent, Person, Program, SignatureEvent
from .models import SignatureInvalidation as Invalidation
from .preparer import preparer_email_send

Status = Application.Status
Capacity = SignatureEvent.Capacity
DECLARATION_KEY = "rep_declaration"
# The states in which signatures are collected or relied on; edits there are checked.
SIGNING_STATES = frozenset(
    {Status.AWAITING_CLIENT_SIGNATURE, Status.CLIENT_SIGNED, Status.REP_DECLARED}
)


@dataclass(frozen=True)
class Item:
    """A kind of signable item: ``form`` is its registry key; ``per_person`` items are signed
    once for each person who needs the form, the others once, on the PA's form."""

    code: str
    form: str
    per_person: bool
    label: str

    def key(self, person: Person) -> str:
        return f"{self.form}:{person.public_id}" if self.per_person else KEYS[self.code]


ITEMS = {
    "consent": Item("consent", "imm0008", False, _("Consent and declaration (IMM 0008)")),
    "imm5669": Item(
        "imm5669", "imm5669", True, _("Schedule A – Background/Declaration (IMM 5669)")
    ),
    "imm5444_declaration": Item(
        "imm5444_declaration", "imm5444", False, _("Declaration (IMM 5444)")
    ),
}
KEYS = {"consent": "consent_declaration", "imm5444_declaration": "imm5444_declaration"}

# What the signer confirms; the version and SHA-256 of the text shown go into the record.
ATTESTATION_VERSION = "2026-12-1"
ATTESTATION_SELF = _(
    "I am the person named above. I have read this form, the information in it is true, "
    "complete and correct, and typing my name is my signature."
)
ATTESTATION_FOR_OTHER = _(
    "I have read this form with the person it is about, the information in it is true, "
    "complete and correct to the best of my knowledge, and typing my name is my signature."
)


class NameMismatch(DomainError):
    """The typed name is not the signer's name from the profile."""

    status = 400

    def __init__(self, expected: str):
        super().__init__(
            _("Type the name exactly as in the profile: %(name)s.") % {"name": expected}
        )
        self.expected = expected


def normalise_name(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass
class RequiredSignature:
    """One signature the application needs, with the latest one given for it, if any."""

    key: str
    item: Item
    subject: Person
    signer: Person
    capacity: str
    latest: SignatureEvent | None = None

    @property
    def expected_name(self) -> str:
        if self.capacity == Capacity.GUARDIAN:
            return self.signer.guardian_name
        return self.signer.full_name

    @property
    def is_valid(self) -> bool:
        return self.latest is not None and not _invalidated(self.latest)

    @property
    def state(self) -> str:
        if self.latest is None:
            return "pending"
        return "invalidated" if _invalidated(self.latest) else "signed"

    @property
    def attestation(self) -> str:
        return str(ATTESTATION_SELF if self.capacity == Capacity.SELF else ATTESTATION_FOR_OTHER)


def _invalidated(event: SignatureEvent) -> bool:
    try:
        return event.invalidation is not None
    except Invalidation.DoesNotExist:
        return False


def _is_adult(person: Person, today) -> bool:
    age = person.age_on(today)
    return age is None or age >= Person.ADULT_AGE


def latest_signatures(application: Application) -> dict[str, SignatureEvent]:
    """The latest signature of each item (one query), with its invalidation if any."""
    events = (
        SignatureEvent.objects.filter(application=application)
        .select_related("invalidation")
        .defer("content_json")
        .order_by("signed_at", "id")
    )
    return {event.form_key: event for event in events}


def required_signatures(
    application: Application, *, people=None, rows=None, latest=None, today=None
) -> list[RequiredSignature]:
    """Every signature the application needs now, in display order, each with its latest
    signature. Three queries at most (people, section rows, signatures), whatever the size."""
    today = today or timezone.localdate()
    program = application.program
    codes = [code for code in program.signable_items or [] if code in ITEMS]
    items = [ITEMS[code] for code in codes if ITEMS[code].form in FORMS]
    if not items:
        return []
    forms = sections_for(application, people=people, rows=rows, today=today)
    pa = next((pf.person for pf in forms if pf.person.is_principal), None)
    if pa is None:
        return []
    pa_adult = _is_adult(pa, today)
    each_adult = program.signing_mode == Program.SigningMode.EACH_ADULT_SIGNS
    latest = latest_signatures(application) if latest is None else latest
    result = []
    for pf in forms:
        for item in items:
            if item.form != pf.form.key or (not item.per_person and not pf.person.is_principal):
                continue
            subject = pf.person
            if not pa_adult:
                signer, capacity = pa, Capacity.GUARDIAN
            elif subject.is_principal or (each_adult and _is_adult(subject, today)):
                signer, capacity = subject, Capacity.SELF
            else:
                signer, capacity = pa, Capacity.PRINCIPAL_APPLICANT
            key = item.key(subject)
            result.append(RequiredSignature(key, item, subject, signer, capacity, latest.get(key)))
    return result


def all_signed(required: list[RequiredSignature]) -> bool:
    return bool(required) and all(r.is_valid for r in required)


# --- the evidence record ------------------------------------------------------------------------

SEALED_FIELDS = (
    "form_key", "form", "signer_id", "signer_role", "signer_person_public_id",
    "subject_public_id", "capacity", "guardian_relationship", "typed_text", "name_matched",
    "attestation_version", "attestation_sha256", "consent_checked", "schema_version",
    "content_sha256", "review_sha256", "sign_in_method", "authenticated_at", "mfa_used",
    "session_key_sha256", "ip", "user_agent", "signed_at", "prev_sha256",
)  # fmt: skip


def record_bytes(event: SignatureEvent) -> bytes:
    """The canonical bytes of the record (everything but the seal), what the seal covers."""
    values = {name: getattr(event, name) for name in SEALED_FIELDS}
    values["application"] = event.application.public_id
    return canonical_json(values)


def seal_for(event: SignatureEvent) -> str:
    key = settings.SIGNATURE_SEAL_KEY.encode()
    return hmac.new(key, record_bytes(event), hashlib.sha256).hexdigest()


def chain_hash(event: SignatureEvent) -> str:
    return hashlib.sha256(record_bytes(event) + event.seal.encode()).hexdigest()


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def request_evidence(request) -> dict:
    """Where and how the signer is signed in: sign-in method, MFA, session, IP, user agent."""
    from datetime import UTC, datetime

    from accounts.request_meta import client_ip

    methods = request.session.get("account_authentication_methods", []) or []
    last = max((m.get("at", 0) for m in methods), default=0)
    session_key = request.session.session_key or ""
    return {
        "sign_in_method": methods[0].get("method", "") if methods else "",
        "mfa_used": any(m.get("method") == "mfa" for m in methods),
        "authenticated_at": datetime.fromtimestamp(last, tz=UTC) if last else None,
        "session_key_sha256": sha256_text(session_key) if session_key else "",
        "ip": client_ip(request),
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:400],
    }


def _record(application: Application, **fields) -> SignatureEvent:
    """Write one sealed, chained evidence record (the application is locked by the caller)."""
    previous = (
        SignatureEvent.objects.filter(application=application).order_by("-signed_at", "-id").first()
    )
    event = SignatureEvent(application=application, **fields)
    event.signed_at = timezone.now()
    event.prev_sha256 = chain_hash(previous) if previous else ""
    event.seal = seal_for(event)
    event.save()
    return event


def content_of(application: Application, form: str, person: Person | None) -> bytes | None:
    """The canonical bytes a signature on ``form`` of ``person`` covers now (None: the person
    or the form is gone)."""
    if person is None or form not in FORMS:
        return None
    return canonical_form_json(application, person, form)


# --- services -----------------------------------------------------------------------------------


def _lock(application):
    from .services import _lock as lock

    return lock(application)


def application_send_for_signature(*, application: Application, actor) -> Application:
    """The representative sends the application to the client to sign (draft only)."""
    from django.db import transaction

    from .services import _event, _transition

    with transaction.atomic():
        application = _lock(application)
        if application.status != Status.DRAFT or not required_signatures(application):
            raise WrongState()
        _transition(application, to=Status.AWAITING_CLIENT_SIGNATURE, actor=actor)
        event = _event(
            application,
            ApplicationEvent.Action.SENT_FOR_SIGNATURE,
            actor=actor,
            at=application.status_changed_at,
        )
        if not application.is_self_represented:  # an individual asked for it themselves
            _email_client(application, "signature_requested", f"signature-requested:{event.pk}")
    return application


def _email_client(application: Application, template: str, key: str) -> None:
    email_send(
        to=application.client.user.email,
        template=template,
        context={
            "name": application.client_name,
            "representative_name": application.preparer_name,
            "public_id": application.public_id,
        },
        key=key,
        language=client_language(application.client),
    )


def signature_sign(
    *,
    application: Application,
    key: str,
    typed_text: str,
    attested: bool,
    user,
    evidence: dict,
) -> SignatureEvent:
    """The client signs one item by typing the signer's name.

    Raises ``WrongState`` unless the application awaits the client's signature and ``key`` is
    an item still to sign, and ``NameMismatch`` when the typed name is not the signer's name
    (case and extra spaces ignored). When every required signature is valid, the application
    becomes "signed by the client" and the representative is emailed.
    """
    from django.db import transaction

    from .services import _event, _transition

    with transaction.atomic():
        application = _lock(application)
        if application.status != Status.AWAITING_CLIENT_SIGNATURE or not attested:
            raise WrongState()
        if application.client.user_id != user.pk:
            raise WrongState()
        required = required_signatures(application)
        wanted = next((r for r in required if r.key == key), None)
        if wanted is None:
            raise WrongState()
        if normalise_name(typed_text) != normalise_name(wanted.expected_name):
            raise NameMismatch(wanted.expected_name)
        if wanted.is_valid:
            return wanted.latest
        content = content_of(application, wanted.item.form, wanted.subject)
        spec = FORMS[wanted.item.form]
        event = _record(
            application,
            form_key=key,
            form=wanted.item.form,
            signer=user,
            signer_role=user.role,
            signer_person_public_id=wanted.signer.public_id,
            subject_public_id=wanted.subject.public_id,
            capacity=wanted.capacity,
            guardian_relationship=(
                wanted.signer.guardian_relationship if wanted.capacity == Capacity.GUARDIAN else ""
            ),
            typed_text=typed_text,
            name_matched=True,
            attestation_version=ATTESTATION_VERSION,
            attestation_sha256=sha256_text(wanted.attestation),
            consent_checked=True,
            content_json=content.decode(),
            schema_version=str(spec.schema_version),
            content_sha256=hashlib.sha256(content).hexdigest(),
            **evidence,
        )
        _event(
            application,
            ApplicationEvent.Action.SIGNED,
            actor=user,
            at=event.signed_at,
            reason=wanted.item.code,
            person=wanted.subject,
        )
        wanted.latest = event
        from .services import application_progress_refresh

        application_progress_refresh(application)
        if all_signed(required):
            _transition(application, to=Status.CLIENT_SIGNED, actor=user)
            preparer_email_send(
                application,
                template="client_signed",
                context={
                    "client_name": application.client_name,
                    "public_id": application.public_id,
                },
                key=f"client-signed:{event.pk}",
            )
    return event


def _invalidate(application, event, *, actor, at, current: str, by_id: dict) -> None:
    """One signature (or the declaration) must be given again: its invalidation and history."""
    from .services import _event

    event.invalidation = Invalidation.objects.create(
        signature=event, at=at, actor=actor, current_sha256=current
    )
    _event(
        application,
        ApplicationEvent.Action.SIGNATURE_INVALIDATED,
        actor=actor,
        at=at,
        reason=event.form_key.split(":")[0],
        person=by_id.get(event.subject_public_id),
    )


def signatures_invalidate_all(application: Application, *, actor) -> int:
    """Every valid signature and the declaration must be given again (an application reopened
    after a return: what is resubmitted is signed anew). The caller holds the lock."""
    by_id = {person.public_id: person for person in application.people.all()}
    now = timezone.now()
    valid = [e for e in latest_signatures(application).values() if not _invalidated(e)]
    for event in valid:
        _invalidate(application, event, actor=actor, at=now, current="", by_id=by_id)
    return len(valid)


def signatures_refresh(application: Application, *, actor, people=None) -> list[SignatureEvent]:
    """After a change to an application in a signing state (locked by the caller, in the same
    transaction): invalidate each valid signature whose content no longer hashes the same (and
    the representative's declaration, which any edit clears), move the status back where the
    workflow says, and email the client when they must sign again. Returns the invalidated
    signatures; unchanged items keep theirs."""
    from .services import _transition

    if application.status not in SIGNING_STATES:
        return []
    latest = latest_signatures(application)
    valid = [event for event in latest.values() if not _invalidated(event)]
    if people is None:
        people = list(application.people.order_by("created_at", "id"))
    by_id = {person.public_id: person for person in people}
    now = timezone.now()
    invalidated = []
    for event in valid:
        if event.form_key == DECLARATION_KEY:
            current = ""
        else:
            content = content_of(application, event.form, by_id.get(event.subject_public_id))
            current = hashlib.sha256(content).hexdigest() if content is not None else ""
            if current == event.content_sha256:
                continue
        _invalidate(application, event, actor=actor, at=now, current=current, by_id=by_id)
        invalidated.append(event)
    client_items = [event for event in invalidated if event.form_key != DECLARATION_KEY]
    required = required_signatures(application, people=people, latest=latest)
    if application.status != Status.AWAITING_CLIENT_SIGNATURE and not all_signed(required):
        _transition(application, to=Status.AWAITING_CLIENT_SIGNATURE, actor=actor)
    elif application.status == Status.REP_DECLARED and invalidated:
        _transition(application, to=Status.CLIENT_SIGNED, actor=actor)
    if client_items:
        _email_client(application, "signature_needed_again", f"sign-again:{client_items[0].pk}")
    return invalidated


# --- verification -------------------------------------------------------------------------------


@dataclass
class Mismatch:
    application: str
    form_key: str
    signature_id: int
    problem: str


def event_problems(event: SignatureEvent, before: SignatureEvent | None, content) -> list[str]:
    """What fails for one signature: "seal", "chain" (``before`` is the previous record of the
    same application), "snapshot" and, unless it is the declaration or invalidated, "content"
    (``content(event)`` gives the bytes the item hashes to now, None when it is gone)."""
    problems = []
    if not hmac.compare_digest(event.seal, seal_for(event)):
        problems.append("seal")
    if event.prev_sha256 != (chain_hash(before) if before else ""):
        problems.append("chain")
    if hashlib.sha256(event.content_json.encode()).hexdigest() != event.content_sha256:
        problems.append("snapshot")
    if event.form_key == DECLARATION_KEY or _invalidated(event):
        return problems
    current = content(event)
    if current is None or hashlib.sha256(current).hexdigest() != event.content_sha256:
        problems.append("content")
    return problems


def signatures_verify(*, application_id=None) -> list[Mismatch]:
    """Check every signature: the seal, the chain, the stored snapshot's hash and, for those
    not invalidated, the current content's hash (catching changes made behind the services)."""
    problems: list[Mismatch] = []
    events = SignatureEvent.objects.select_related("application", "invalidation").order_by(
        "application_id", "signed_at", "id"
    )
    if application_id is not None:
        events = events.filter(application__public_id=application_id)
    previous: dict[int, SignatureEvent] = {}
    people: dict[int, dict] = {}

    def content(event):
        application = event.application
        if application.pk not in people:
            people[application.pk] = {p.public_id: p for p in application.people.all()}
        return content_of(application, event.form, people[application.pk].get(
            event.subject_public_id
        ))  # fmt: skip

    for event in events.iterator(chunk_size=200):
        application = event.application
        for problem in event_problems(event, previous.get(application.pk), content):
            problems.append(Mismatch(str(application.public_id), event.form_key, event.pk, problem))
        previous[application.pk] = event
    return problems


@dataclass
class CheckedSignature:
    event: SignatureEvent
    subject: Person | None
    problems: list[str]

    @property
    def is_verified(self) -> bool:
        return not self.problems


def application_signatures_checked(application: Application) -> list[CheckedSignature]:
    """Every signature of one application in signing order, each with what ``signatures_verify``
    would report for it: for the staff page. Three queries whatever the number of signatures
    (signatures with signer and invalidation, people, form answers)."""
    from forms_imm.models import FormSection

    events = list(
        SignatureEvent.objects.filter(application=application)
        .select_related("signer", "invalidation", "invalidation__actor")
        .order_by("signed_at", "id")
    )
    people = {person.public_id: person for person in application.people.all()}
    answers: dict[tuple, dict] = {}
    for row in FormSection.objects.filter(application=application).only(
        "person_id", "form", "section", "data"
    ):
        answers.setdefault((row.person_id, row.form), {})[row.section] = row.data

    def content(event):
        person = people.get(event.subject_public_id)
        if person is None or event.form not in FORMS:
            return None
        return canonical_form_json(
            application, person, event.form, answers=answers.get((person.pk, event.form), {})
        )

    checked, before = [], None
    for event in events:
        event.application = application
        checked.append(
            CheckedSignature(
                event, people.get(event.subject_public_id), event_problems(event, before, content)
            )
        )
        before = event
    return checked
