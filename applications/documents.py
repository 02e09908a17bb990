"""Document slots: what an application must upload, for whom, and where each slot stands.

``document_slots(application)`` builds the slots from the program's checklist and the people
on the application (uploads.md §2.1): one slot per checklist item, or one per person where the
item is per person, plus the additional-documents slot. It reads three things: the checklist
items, the documents and (unless given) the people, one query each. Every slot carries its
current document, the files waiting to be combined with it, the earlier versions, and the
problems that need the representative's attention.

``fee_summary`` compares the amount on the uploaded receipts with the fee calculator
(programs.md §6): an underpayment blocks submission (IRCC returns the application), an
overpayment is only a warning (IRCC refunds it).
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .fees import FeeEstimate, FeePerson, FeeRateMissing, fee_estimate
from .models import (
    Application,
    ChecklistItem,
    CircumstanceChange,
    Document,
    DocumentRequest,
    Person,
    Program,
)
from .uploads import KINDS, REMOVED_CHARACTERS, name_normalise

ADDITIONAL_CODE = "additional_documents"
SLOT_SEPARATOR = "--"
# Checklist roles answered by the application as a whole: one slot, whoever signs it.
APPLICATION_ROLES = frozenset({"application", "sponsor", "cosigner"})
# accepted_types in the catalogue use file extensions; the pipeline uses kinds.
TYPE_TO_KIND = {
    "pdf": "pdf", "jpg": "jpeg", "jpeg": "jpeg", "png": "png", "doc": "doc", "docx": "docx",
}  # fmt: skip
# Kinds that can be combined into one PDF (Word documents cannot be converted here).
COMBINABLE_KINDS = frozenset({"pdf", "jpeg", "png"})
# Files in one combination (the first plus those added); the result must fit the upload limit
# anyway, and the task holds every file in memory. Settings: UPLOAD_COMBINE_MAX_FILES.
COMBINE_MAX_FILES = 20
IMM5476 = "IMM 5476"
IMM5476_MAX_AGE_DAYS = 90
PHOTO_MIN_WIDTH, PHOTO_MIN_HEIGHT = 420, 540


class SlotState:
    MISSING = "missing"
    UPLOADED = "uploaded"
    NEEDS_ATTENTION = "needs_attention"


STATE_LABELS = {
    SlotState.MISSING: _("Missing"),
    SlotState.UPLOADED: _("Uploaded"),
    SlotState.NEEDS_ATTENTION: _("Needs attention"),
}

COMBINE_MESSAGES = {
    "combine_too_large": _(
        "The combined PDF would be larger than %(size)s MB, even with the images reduced. "
        "Make the files smaller (for example, scan at 150 DPI or less) and try again, or "
        "leave out a file."
    ),
    "combine_unreadable": _(
        "One of the files could not be read while combining. Remove it, save it again with a "
        "PDF tool and add it again."
    ),
    "combine_not_editable": _(
        "The application could no longer be changed when the files were combined."
    ),
    "combine_error": _(
        "The files could not be combined. Try again; if it fails again, ask for help."
    ),
}


@dataclass(frozen=True)
class SlotProblem:
    code: str
    message: str | Promise
    blocking: bool  # True: the slot is not done until it is fixed; False: a warning


@dataclass
class Slot:
    key: str
    item: ChecklistItem | None
    person: Person | None  # None: the application as a whole
    name: str
    kind: str  # ChecklistItem.Kind
    requirement: str  # ChecklistItem.Requirement
    condition: str = ""
    note: str = ""
    wet_signature: bool = False
    signers: str = ""
    guide: str = ""
    form_number: str = ""
    allowed_kinds: frozenset[str] = frozenset()
    current: Document | None = None
    parts: list[Document] = field(default_factory=list)
    history: list[Document] = field(default_factory=list)
    problems: list[SlotProblem] = field(default_factory=list)
    no_longer_applies: bool = False

    @property
    def state(self) -> str:
        if self.current is None:
            return SlotState.MISSING
        if self.problems:
            return SlotState.NEEDS_ATTENTION
        return SlotState.UPLOADED

    @property
    def state_label(self):
        return STATE_LABELS[self.state]

    @property
    def done(self) -> bool:
        return self.current is not None and not any(p.blocking for p in self.problems)

    @property
    def is_required(self) -> bool:
        return self.requirement == ChecklistItem.Requirement.REQUIRED

    @property
    def is_conditional(self) -> bool:
        return self.requirement == ChecklistItem.Requirement.CONDITIONAL

    @property
    def is_ircc_form(self) -> bool:
        return self.kind == ChecklistItem.Kind.IRCC_FORM

    @property
    def is_fee_receipt(self) -> bool:
        return self.kind == ChecklistItem.Kind.FEE_RECEIPT

    @property
    def is_photo(self) -> bool:
        return self.kind == ChecklistItem.Kind.PHOTO

    @property
    def is_imm5476(self) -> bool:
        return self.form_number == IMM5476

    @property
    def can_combine(self) -> bool:
        """Further files can be added: the slot takes PDFs (the result is one) and its current
        file is a PDF or an image. Photo slots take one image, never a PDF."""
        return (
            self.current is not None
            and "pdf" in self.allowed_kinds
            and self.current.file.kind in COMBINABLE_KINDS
        )

    @property
    def combine_full(self) -> bool:
        limit = getattr(settings, "UPLOAD_COMBINE_MAX_FILES", COMBINE_MAX_FILES)
        return 1 + len(self.parts) >= limit

    @property
    def combine_kinds(self) -> frozenset[str]:
        return self.allowed_kinds & COMBINABLE_KINDS

    @property
    def anchor(self) -> str:
        return f"slot-{self.key}"

    @property
    def receipt_total(self) -> Decimal | None:
        """The amounts on the current receipt and the receipts waiting to be combined."""
        documents = [d for d in [self.current, *self.parts] if d is not None]
        amounts = [d.receipt_amount for d in documents if d.receipt_amount is not None]
        return sum(amounts, Decimal("0.00")) if amounts else None


def slot_key(item_code: str, person: Person | None) -> str:
    return f"{item_code}{SLOT_SEPARATOR}{person.public_id}" if person else item_code


def allowed_kinds_for(accepted_types) -> frozenset[str]:
    site = set(getattr(settings, "UPLOAD_ALLOWED_KINDS", KINDS))
    kinds = {TYPE_TO_KIND[t] for t in accepted_types or () if t in TYPE_TO_KIND}
    return frozenset(kinds & site) if kinds else frozenset(site & set(KINDS))


def people_for_roles(roles, people: list[Person], on: date) -> list[Person | None]:
    """Who gets a slot for an item asked of these roles; [None] means one application slot."""
    if not roles or APPLICATION_ROLES & set(roles):
        return [None]
    chosen: list[Person] = []
    for person in people:
        age = person.age_on(on)
        is_spouse = person.role == Person.Role.SPOUSE_PARTNER
        is_child = not person.is_principal and not is_spouse
        wanted = (
            ("pa" in roles and person.is_principal)
            or ("spouse" in roles and is_spouse)
            or ("dependant" in roles and not person.is_principal)
            or ("d18" in roles and is_child and age is not None and age >= Person.ADULT_AGE)
            or ("child" in roles and is_child and age is not None and age < Person.ADULT_AGE)
        )
        if wanted:
            chosen.append(person)
    return chosen


def _slot_for(item: ChecklistItem, person: Person | None, program: Program) -> Slot:
    return Slot(
        key=slot_key(item.code, person),
        item=item,
        person=person,
        name=item.name,
        kind=item.kind,
        requirement=item.requirement,
        condition=item.condition,
        note=item.note,
        wet_signature=item.wet_signature,
        signers=item.signers,
        guide=program.guide_number,
        form_number=item.form_number or "",
        allowed_kinds=allowed_kinds_for(item.accepted_types),
    )


def _additional_slot(program: Program) -> Slot:
    return Slot(
        key=ADDITIONAL_CODE,
        item=None,
        person=None,
        name=str(_("Additional supporting documents")),
        kind=ChecklistItem.Kind.DOCUMENT,
        requirement=ChecklistItem.Requirement.OPTIONAL,
        guide=program.guide_number,
        allowed_kinds=allowed_kinds_for(None),
    )


def _orphan_slot(document: Document, items: dict, people: dict, program: Program) -> Slot:
    item = items.get(document.checklist_item_id)
    person = people.get(document.person_id)
    if item is not None:
        slot = _slot_for(item, person, program)
    else:
        slot = _additional_slot(program)
        slot.person = person
    slot.key = document.slot_key
    slot.requirement = ChecklistItem.Requirement.OPTIONAL
    slot.no_longer_applies = True
    return slot


def _people_in_order(application: Application, people) -> list[Person]:
    if people is None:
        people = list(application.people.order_by("created_at", "id"))
    return sorted(people, key=lambda p: (not p.is_principal, p.created_at, p.pk or 0))


def document_slots(
    application: Application, *, people=None, today: date | None = None
) -> list[Slot]:
    """Every slot of ``application`` in display order: application-level first, then each
    person in order (PA first), then uploads that no longer apply. Pass ``people`` when they
    are already fetched."""
    today = today or timezone.localdate()
    program = application.program
    people = _people_in_order(application, people)
    items = list(ChecklistItem.objects.filter(program_id=program.pk).order_by("order", "id"))
    documents = list(
        Document.objects.filter(application_id=application.pk)
        # Uploads made after submission (applications.after_submission) have their own slots
        # on the application page, not on the checklist.
        .exclude(slot_key__startswith=DocumentRequest.SLOT_PREFIX)
        .exclude(slot_key__startswith=CircumstanceChange.SLOT_PREFIX)
        .select_related("file", "translation_file")
        .order_by("uploaded_at", "id")
    )

    slots: list[Slot] = []
    for item in items:
        # IMM 5476 only once a representative prepares the application (issue 10).
        if item.is_active and not (
            item.only_with_representative and application.is_self_represented
        ):
            slots += [
                _slot_for(item, p, program) for p in people_for_roles(item.roles, people, today)
            ]
    if not any(item.code == ADDITIONAL_CODE and item.is_active for item in items):
        slots.append(_additional_slot(program))
    order = {None: 0} | {person.pk: index + 1 for index, person in enumerate(people)}
    slots.sort(key=lambda slot: order[slot.person.pk if slot.person else None])

    by_key = {slot.key: slot for slot in slots}
    items_by_id = {item.pk: item for item in items}
    people_by_id = {person.pk: person for person in people}
    orphans: dict[str, Slot] = {}
    for document in documents:
        slot = by_key.get(document.slot_key) or orphans.get(document.slot_key)
        if slot is None:
            if document.state not in (Document.State.CURRENT, Document.State.PART):
                continue
            slot = orphans[document.slot_key] = _orphan_slot(
                document, items_by_id, people_by_id, program
            )
        if document.state == Document.State.CURRENT:
            slot.current = document
        elif document.state == Document.State.PART:
            slot.parts.append(document)
        else:
            slot.history.insert(0, document)
    slots += [slot for slot in orphans.values() if slot.current is not None]
    _find_problems(slots, today)
    return slots


# --- problems ---------------------------------------------------------------------------------


def imm5476_date_problem(signature_date: date | None, today: date) -> str | None:
    """IMM 5476 is returned when signed more than 90 days before submission or post-dated."""
    if signature_date is None:
        return None
    if signature_date > today:
        return "signature_future"
    if signature_date < today - timedelta(days=IMM5476_MAX_AGE_DAYS):
        return "signature_stale"
    return None


SLOT_MESSAGES = {
    "no_longer_applies": _(
        "This document no longer applies to the application (the checklist or the family "
        "changed). It is kept; delete it if it is not needed."
    ),
    "pdf_active_content": _(
        "This PDF contains scripts or automatic actions, as IRCC’s fillable forms do. It is "
        "shown here only as images and served only as a download: open it in Adobe Reader to "
        "check it before submitting."
    ),
    "combine_pending": _(
        "The files are being combined into one PDF. Refresh the page to see the result."
    ),
    "parts_waiting": _(
        "Files were added to this slot but not combined yet: combine them into one PDF, or "
        "remove them."
    ),
    "signature_future": _(
        "The signature date of IMM 5476 is in the future. IRCC returns post-dated forms: "
        "upload a form signed and dated on or before today."
    ),
    "signature_stale": _(
        "IMM 5476 was signed more than 90 days ago. IRCC returns it: have it signed again and "
        "upload the new copy."
    ),
    "form_version_old": _(
        "This form is an older version (%(uploaded)s) than the current one (%(current)s). "
        "IRCC may return applications that use outdated forms: download the current form."
    ),
    "duplicate": _("The same file is also uploaded for: %(other)s."),
    "pdf_no_text": _(
        "This form has no text: it looks printed and scanned. IRCC asks that its PDF forms be "
        "filled in on a computer and uploaded, not printed and scanned (only forms signed by "
        "hand are scanned)."
    ),
}


def _find_problems(slots: list[Slot], today: date) -> None:
    by_hash: dict[str, list[Slot]] = {}
    for slot in slots:
        if slot.current is not None:
            by_hash.setdefault(slot.current.file.sha256, []).append(slot)
    for slot in slots:
        document = slot.current
        if document is None:
            continue
        add = slot.problems.append
        if slot.no_longer_applies:
            add(SlotProblem("no_longer_applies", SLOT_MESSAGES["no_longer_applies"], False))
        if "pdf_active_content" in (document.file.flags or []):
            add(SlotProblem("pdf_active_content", SLOT_MESSAGES["pdf_active_content"], False))
        if document.combine_status == Document.CombineStatus.FAILED:
            message = combine_problem_message(document.combine_error)
            add(SlotProblem("combine_failed", message, True))
        elif document.combine_in_progress:
            add(SlotProblem("combine_pending", SLOT_MESSAGES["combine_pending"], True))
        elif slot.parts:
            add(SlotProblem("parts_waiting", SLOT_MESSAGES["parts_waiting"], True))
        if slot.is_imm5476:
            code = imm5476_date_problem(document.signature_date, today)
            if code:
                add(SlotProblem(code, SLOT_MESSAGES[code], True))
        if document.has_text_layer is False:
            add(SlotProblem("pdf_no_text", SLOT_MESSAGES["pdf_no_text"], False))
        current_version = slot.item.current_version_date if slot.item else None
        if (
            current_version
            and document.form_version_date
            and (document.form_version_date < current_version)
        ):
            message = SLOT_MESSAGES["form_version_old"] % {
                "uploaded": document.form_version_date.isoformat(),
                "current": current_version.isoformat(),
            }
            add(SlotProblem("form_version_old", message, False))
        others = [s for s in by_hash[document.file.sha256] if s is not slot]
        if others:
            names = ", ".join(slot_title(other) for other in others)
            add(SlotProblem("duplicate", SLOT_MESSAGES["duplicate"] % {"other": names}, False))


def combine_problem_message(code: str) -> str:
    """Why combining failed: our own reasons, or the pipeline's refusal of the result."""
    from .uploads import MESSAGES, _megabytes

    size = _megabytes(getattr(settings, "UPLOAD_MAX_BYTES", 4_000_000))
    if code == "combine_too_large":
        return COMBINE_MESSAGES[code] % {"size": size}
    if code in COMBINE_MESSAGES:
        return str(COMBINE_MESSAGES[code])
    if code in MESSAGES:
        params = {
            "size": size,
            "limit": getattr(settings, "UPLOAD_PDF_MAX_PAGES", 500),
            "types": "PDF",
            "type": "PDF",
            "megapixels": "",
            "width": PHOTO_MIN_WIDTH,
            "height": PHOTO_MIN_HEIGHT,
        }
        return _("The combined PDF was refused: %(reason)s") % {"reason": MESSAGES[code] % params}
    return str(COMBINE_MESSAGES["combine_error"])


def slot_title(slot: Slot) -> str:
    """The slot's name with the person it is for, for messages and task lists."""
    if slot.person is None:
        return str(slot.name)
    return str(
        _("%(document)s for %(name)s") % {"document": slot.name, "name": slot.person.full_name}
    )


def find_slot(slots: list[Slot], key: str) -> Slot | None:
    return next((slot for slot in slots if slot.key == key), None)


# --- file names (uploads.md §1 and §2.4) --------------------------------------------------------

NAME_SEPARATOR = " – "


def _clean_part(text: str) -> str:
    text = unicodedata.normalize("NFC", text or "")
    text = "".join(
        c for c in text if c not in REMOVED_CHARACTERS and unicodedata.category(c)[0] != "C"
    )
    return re.sub(r"\s+", " ", text).strip(" .")


def convention_name(
    *, family_name: str, given_names: str, document_type: str, number: int, extension: str
) -> str:
    """ "Family name – Given name – Document type – #.ext", shortened to the configured length
    by trimming the document type (the names and the number always stay)."""
    max_chars = getattr(settings, "UPLOAD_NAME_MAX_CHARS", 100)
    names = [part for part in (_clean_part(family_name), _clean_part(given_names)) if part]
    head = NAME_SEPARATOR.join(names or ["—"])
    tail = f"{NAME_SEPARATOR}{number}.{extension}"
    doc_type = _clean_part(document_type) or "Document"
    room = max_chars - len(head) - len(NAME_SEPARATOR) - len(tail)
    if room < 10:  # very long names: keep a little of the document type, cut the names
        head = head[: max(10, max_chars - len(tail) - len(NAME_SEPARATOR) - 10)].rstrip()
        room = max_chars - len(head) - len(NAME_SEPARATOR) - len(tail)
    doc_type = doc_type[: max(room, 1)].rstrip(" .-–")
    return name_normalise(f"{head}{NAME_SEPARATOR}{doc_type}{tail}", max_chars=max_chars + 20)


def document_name_for(
    slot: Slot, *, application: Application, number: int, extension: str, translation=False
) -> str:
    """The convention name for a file in ``slot``: the linked person's name, or the principal
    applicant's for application-level slots; the document type in the PA's language."""
    person = slot.person or application.principal_applicant
    pa = application.principal_applicant
    french = pa is not None and pa.correspondence_language == Person.Language.FRENCH
    if slot.item is not None:
        doc_type = slot.item.name_fr if french and slot.item.name_fr else slot.item.name_en
    elif slot.key == ADDITIONAL_CODE:
        doc_type = "Autres documents à l’appui" if french else "Additional supporting documents"
    else:  # a slot opened after submission (applications.after_submission) names itself
        doc_type = slot.name
    if translation:
        doc_type = f"{'Traduction' if french else 'Translation'} – {doc_type}"
    return convention_name(
        family_name=person.family_name if person else "",
        given_names=person.given_names if person else "",
        document_type=doc_type,
        number=number,
        extension=extension,
    )


# --- fees (programs.md §6.2 and §6.3) -----------------------------------------------------------

FEE_ROLE = {
    Person.Role.PRINCIPAL: "pa",
    Person.Role.SPOUSE_PARTNER: "spouse",
    Person.Role.DEPENDENT_CHILD: "child",
    Person.Role.CHILD_OF_DEPENDENT_CHILD: "child",
}


class FeeOutcome:
    NO_RECEIPT = "no_receipt"
    UNDERPAID = "underpaid"
    OVERPAID = "overpaid"
    PAID = "paid"


@dataclass
class FeeSummary:
    estimate: FeeEstimate
    problem: str = ""
    paid: Decimal | None = None

    @property
    def required(self) -> Decimal:
        return self.estimate.required_total

    @property
    def maximum(self) -> Decimal:
        return self.estimate.total

    @property
    def optional(self) -> Decimal:
        return self.maximum - self.required

    @property
    def outcome(self) -> str:
        if self.problem or self.paid is None:
            return FeeOutcome.NO_RECEIPT
        if self.paid < self.required:
            return FeeOutcome.UNDERPAID
        if self.paid > self.maximum:
            return FeeOutcome.OVERPAID
        return FeeOutcome.PAID

    @property
    def difference(self) -> Decimal:
        if self.outcome == FeeOutcome.UNDERPAID:
            return self.required - self.paid
        if self.outcome == FeeOutcome.OVERPAID:
            return self.paid - self.maximum
        return Decimal("0.00")


def fee_people(people: list[Person], on: date) -> list[FeePerson]:
    """The fee calculator's view of the people: role, age on ``on``, accompanying or not.
    A dependant whose answer is not given yet is counted as accompanying (the larger fee)."""
    return [
        FeePerson(
            role=FEE_ROLE[person.role],
            age=person.age_on(on),
            accompanying=person.is_principal or person.accompanying is not False,
        )
        for person in people
    ]


def fee_summary(
    application: Application, *, people: list[Person], slots: list[Slot], today: date
) -> FeeSummary | None:
    """The amount due and the amount on the receipts, or None when the program has no fee
    receipt slot. Rates are today's for a draft (the application is received when submitted)."""
    receipt_slots = [s for s in slots if s.is_fee_receipt and not s.no_longer_applies]
    if not receipt_slots:
        return None
    program = application.program
    pa_is_child = program.fee_category == "family" and (
        (application.program_details or {}).get("sponsorship_category") == "dependent_child"
    )
    try:
        estimate = fee_estimate(
            program=program,
            people=fee_people(_people_in_order(application, people), today),
            on=today,
            pa_is_sponsored_child=pa_is_child,
        )
        problem = estimate.problem
    except FeeRateMissing:
        estimate = FeeEstimate()
        problem = str(
            _(
                "A fee rate is missing for this program: staff must add it before the amount "
                "due can be shown."
            )
        )
    totals = [s.receipt_total for s in receipt_slots if s.receipt_total is not None]
    paid = sum(totals, Decimal("0.00")) if totals else None
    return FeeSummary(estimate=estimate, problem=problem, paid=paid)
