"""What an application still needs, computed from its data (never stored twice).

``application_task_list(application)`` returns every task in display order. Later issues add
their items (uploads, signatures) as one more ``_<kind>_tasks(...)`` helper called from
``application_task_list``. The digital forms answer from ``forms_imm.sections``: a form is done
when every required section of it is complete, and sections that need attention (gaps in a
history, say) or hold text continuing in the annex get their own items. Only the counts are
denormalised (``tasks_done`` and ``tasks_total``), refreshed by the services through
``applications.services.application_progress_refresh``.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Application, Person, Program
from .program_checks import ProgramFacts, run_checks


@dataclass(frozen=True)
class Task:
    code: str  # stable, unique within the list, e.g. "form:imm5669:<person public_id>"
    label: str | Promise
    done: bool
    required: bool = True  # counted in the progress; optional items and warnings are not
    # profile | form | details | check | warning | attention | annex | document | document_check
    kind: str = "form"
    person: Person | None = None
    url: str | None = None
    problems: tuple = field(default_factory=tuple)


FORM_NAMES = {
    "imm0008": _("IMM 0008 Generic Application Form for Canada"),
    "imm5669": _("IMM 5669 Schedule A: Background/Declaration"),
    "imm5406": _("IMM 5406 Additional Family Information"),
    "imm5562": _("IMM 5562 Supplementary Information: Your Travels"),
    "imm5444": _("IMM 5444 Application for a Permanent Resident Card"),
}

# What a profile needs before its basic information can flow into the forms.
PA_REQUIRED_FIELDS = (
    "family_name", "sex", "date_of_birth", "birth_city", "birth_country", "citizenship_1",
    "email", "marital_status", "correspondence_language",
)  # fmt: skip
DEPENDANT_REQUIRED_FIELDS = (
    "family_name", "relationship", "sex", "date_of_birth", "birth_country", "citizenship_1",
    "marital_status",
)  # fmt: skip


def person_needs_own_forms(person: Person, on: date) -> bool:
    """The PA always has forms; spouses, partners and dependants from 18 (workflow.md §4)."""
    if person.is_principal or person.role == Person.Role.SPOUSE_PARTNER:
        return True
    age = person.age_on(on)
    return age is not None and age >= Person.ADULT_AGE


# Protected persons: only the family members who are with them in Canada fill IMM 5669
# (forms.md §4, workflow.md §4).
IMM5669_IN_CANADA_ONLY = frozenset({"protected_persons"})


def forms_for_person(person: Person, program: Program, on: date) -> list[tuple[str, bool]]:
    """The digital forms ``person`` needs, as (form code, required) pairs."""
    if program.digital_forms == Program.DigitalForms.IMM5444:
        return [("imm5444", True)] if person.is_principal else []
    # IMM 0008 is the PA's form; every other person of the application has its dependant
    # pages (forms.md §3.9), accompanying or not.
    forms: list[tuple[str, bool]] = [("imm0008", True)]
    if person_needs_own_forms(person, on):
        if (
            person.is_principal
            or program.code not in IMM5669_IN_CANADA_ONLY
            or person.in_canada is True
        ):
            forms.append(("imm5669", True))
        forms.append(("imm5406", True))
    # IMM 5562 is one form kept with the principal applicant: its Sections B and C cover the
    # spouse or partner and the dependent children 18 or older (forms.md §6).
    if person.is_principal and program.imm5562_required is True:
        forms.append(("imm5562", True))
    elif person.is_principal and program.imm5562_required is None:
        forms.append(("imm5562", False))
    return forms


def missing_profile_fields(person: Person, on: date) -> list[str]:
    required = PA_REQUIRED_FIELDS if person.is_principal else DEPENDANT_REQUIRED_FIELDS
    missing = [name for name in required if not getattr(person, name)]
    if not person.is_principal:
        if person.accompanying is None:
            missing.append("accompanying")
        elif person.accompanying is False and not person.not_accompanying_reason:
            missing.append("not_accompanying_reason")
    age = person.age_on(on)
    if person.is_principal and age is not None and age < Person.ADULT_AGE:
        missing += [
            name for name in ("guardian_name", "guardian_relationship") if not getattr(person, name)
        ]
    return missing


def _form_done(person_form) -> bool:
    """A digital form is complete when every required section of it is (forms_imm.sections);
    a form not built yet is never complete."""
    return person_form is not None and person_form.is_complete


def _section_url(application: Application, person: Person, form: str, slug: str) -> str:
    return reverse(
        "forms_imm:section_edit",
        kwargs={
            "public_id": application.public_id,
            "person_id": person.public_id,
            "form": form,
            "section": slug,
        },
    )


def _person_url(application: Application, person: Person) -> str:
    return reverse(
        "applications:person_edit",
        kwargs={"public_id": application.public_id, "person_id": person.public_id},
    )


def _profile_tasks(application, people, today) -> list[Task]:
    tasks = []
    for person in people:
        missing = missing_profile_fields(person, today)
        if person.is_principal:
            label = _("Complete the principal applicant's profile: %(name)s")
        else:
            label = _("Complete the profile of %(name)s")
        tasks.append(
            Task(
                code=f"profile:{person.public_id}",
                label=label % {"name": person.full_name},
                done=not missing,
                kind="profile",
                person=person,
                url=_person_url(application, person),
                problems=tuple(missing),
            )
        )
        age = person.age_on(today)
        if person.is_principal and age is not None and age < Person.ADULT_AGE:
            tasks.append(
                Task(
                    code=f"guardian:{person.public_id}",
                    label=_(
                        "The principal applicant is under 18: a parent or legal guardian signs "
                        "for them. Record that person on the profile."
                    ),
                    done=bool(person.guardian_name and person.guardian_relationship),
                    kind="profile",
                    person=person,
                    url=_person_url(application, person),
                )
            )
    return tasks


def _form_tasks(application, people, today, person_forms) -> list[Task]:
    by_key = {(pf.person.pk, pf.form.key): pf for pf in person_forms}
    tasks = []
    for person in people:
        for form_code, required in forms_for_person(person, application.program, today):
            person_form = by_key.get((person.pk, form_code))
            url = None
            if person_form is not None and person_form.sections:
                url = _section_url(
                    application, person, form_code, person_form.first_open_section().section.slug
                )
            name = FORM_NAMES[form_code]
            if form_code == "imm0008" and not person.is_principal:
                label = _("%(form)s, dependant pages for %(name)s") % {
                    "form": name,
                    "name": person.full_name,
                }
            elif required:
                label = _("%(form)s for %(name)s") % {"form": name, "name": person.full_name}
            else:
                label = _("%(form)s for %(name)s (optional for this program)") % {
                    "form": name,
                    "name": person.full_name,
                }
            tasks.append(
                Task(
                    code=f"form:{form_code}:{person.public_id}",
                    label=label,
                    done=_form_done(person_form),
                    required=required,
                    kind="form",
                    person=person,
                    url=url,
                )
            )
    return tasks


def _section_name(person_form, state) -> str:
    section = state.section
    return _("%(form)s for %(name)s, Section %(letter)s %(section)s") % {
        "form": person_form.form.number,
        "name": person_form.person.full_name,
        "letter": section.letter,
        "section": section.title,
    }


def _attention_tasks(application, person_forms) -> list[Task]:
    """A section marked complete whose strict check failed: each gap or overlap in a history
    with its months, then a count of the other answers to correct."""
    from forms_imm.services import problem_from_json

    tasks = []
    for person_form in person_forms:
        for state in person_form.sections:
            if state.state != "needs_attention":
                continue
            person, section = person_form.person, state.section
            name = _section_name(person_form, state)
            url = _section_url(application, person, section.form, section.slug)
            base = f"attention:{section.form}:{section.slug}:{person.public_id}"
            problems = state.row.problems or {}
            for index, data in enumerate(problems.get("periods", [])):
                problem = problem_from_json(data)
                tasks.append(
                    Task(
                        code=f"{base}:{index}",
                        label=f"{name}: {problem.message}",
                        done=False,
                        required=False,
                        kind="attention",
                        person=person,
                        url=url,
                    )
                )
            count = problems.get("count", 0)
            if count or not problems.get("periods"):
                tasks.append(
                    Task(
                        code=f"{base}:other",
                        label=ngettext(
                            "%(section)s: %(count)s answer needs correcting.",
                            "%(section)s: %(count)s answers need correcting.",
                            count,
                        )
                        % {"section": name, "count": count}
                        if count
                        else _("%(section)s needs attention.") % {"section": name},
                        done=False,
                        required=False,
                        kind="attention",
                        person=person,
                        url=url,
                    )
                )
    return tasks


def _annex_tasks(application, person_forms) -> list[Task]:
    """Answers longer than their box: they continue in the annex; the rep may shorten them."""
    tasks = []
    for person_form in person_forms:
        for state in person_form.sections:
            if state.row is None or not state.row.overflow:
                continue
            person, section = person_form.person, state.section
            name = _section_name(person_form, state)
            for path in state.row.overflow:
                parts = path.split(".")
                if len(parts) == 3:
                    label = _(
                        "%(section)s, row %(row)s: “%(field)s” continues in the annex. "
                        "Shorten it to keep it on the form."
                    ) % {"section": name, "row": parts[1], "field": section.field_label(path)}
                else:
                    label = _(
                        "%(section)s: “%(field)s” continues in the annex. "
                        "Shorten it to keep it on the form."
                    ) % {"section": name, "field": section.field_label(path)}
                tasks.append(
                    Task(
                        code=f"annex:{section.form}:{section.slug}:{person.public_id}:{path}",
                        label=label,
                        done=False,
                        required=False,
                        kind="annex",
                        person=person,
                        url=_section_url(application, person, section.form, section.slug),
                    )
                )
    return tasks


def _age_warnings(application, people, today) -> list[Task]:
    """Flag anyone who turns 18 before a likely submission: they will need their own forms."""
    horizon = today + timedelta(days=settings.APPLICATION_TURNS_ADULT_WARNING_DAYS)
    tasks = []
    for person in people:
        if person.is_principal or person.role == Person.Role.SPOUSE_PARTNER:
            continue
        birthday = person.turns_adult_on()
        if birthday and today < birthday <= horizon:
            tasks.append(
                Task(
                    code=f"turns18:{person.public_id}",
                    label=_(
                        "%(name)s turns 18 on %(date)s. If the application is submitted on or "
                        "after that day, they need their own IMM 5669 and IMM 5406."
                    )
                    % {"name": person.full_name, "date": birthday.isoformat()},
                    done=False,
                    required=False,
                    kind="warning",
                    person=person,
                )
            )
        age = person.age_on(today)
        if person.role == Person.Role.DEPENDENT_CHILD and age is not None and age >= 22:
            tasks.append(
                Task(
                    code=f"over22:{person.public_id}",
                    label=_(
                        "%(name)s is 22 or older: a dependent child of that age needs proof "
                        "of dependency."
                    )
                    % {"name": person.full_name},
                    done=False,
                    required=False,
                    kind="warning",
                    person=person,
                )
            )
    return tasks


def _consistency_tasks(application, people) -> list[Task]:
    tasks = []
    pa = next((p for p in people if p.is_principal), None)
    has_partner = any(p.role == Person.Role.SPOUSE_PARTNER for p in people)
    partnered = pa is not None and pa.marital_status in (
        Person.MaritalStatus.MARRIED,
        Person.MaritalStatus.COMMON_LAW,
    )
    if pa is not None and pa.marital_status and partnered != has_partner:
        tasks.append(
            Task(
                code="check:marital_status",
                label=(
                    _(
                        "The principal applicant is married or common-law: "
                        "add the spouse or partner."
                    )
                    if partnered
                    else _(
                        "There is a spouse or partner profile, but the principal applicant's "
                        "marital status is neither married nor common-law."
                    )
                ),
                done=False,
                kind="check",
                url=_person_url(application, pa),
            )
        )
    dependants = [p for p in people if not p.is_principal]
    if dependants and not application.program.allows_dependants:
        tasks.append(
            Task(
                code="check:no_dependants",
                label=_("This program does not take family members: remove them."),
                done=False,
                kind="check",
            )
        )
    return tasks


def _details_fields_missing(application: Application) -> list[str]:
    values = application.program_details or {}
    return [
        spec["key"]
        for spec in application.program.details_fields
        if spec.get("required") and values.get(spec["key"]) in (None, "")
    ]


def intended_province(people, rows) -> str | None:
    """The PA's IMM 0008 intended province (a code such as "QC"), from the section rows: their
    stored answers when read, else the ``intended_province`` every row carries
    (``forms_imm.sections.section_rows``)."""
    pa = next((p for p in people if p.is_principal), None)
    for row in rows if pa is not None else ():
        if (row.person_id, row.form, row.section) != (pa.pk, "imm0008", "application"):
            continue
        if "data" in row.get_deferred_fields():
            return getattr(row, "intended_province", None) or None
        return (row.data or {}).get("intended_province") or None
    return None


def _program_tasks(application, people, today, province=None) -> list[Task]:
    program = application.program
    pa = next((p for p in people if p.is_principal), None)
    facts = ProgramFacts(
        today=today,
        intended_province=province,
        details=dict(application.program_details or {}),
        forbidden_provinces=tuple(program.forbidden_provinces or ()),
        required_provinces=tuple(program.required_provinces or ()),
        dependant_count=sum(1 for p in people if not p.is_principal),
    )
    problems = run_checks(list(program.checks or []), facts)
    tasks = []
    details_url = reverse(
        "applications:program_details", kwargs={"public_id": application.public_id}
    )
    if program.details_fields:
        missing = _details_fields_missing(application)
        own = tuple(p for p in problems if p.section == "program_details")
        tasks.append(
            Task(
                code="details",
                label=_("Program details: %(program)s") % {"program": program.name},
                done=not missing and not own,
                kind="details",
                url=details_url,
                problems=tuple(p.message for p in own),
            )
        )
        problems = [p for p in problems if p.section != "program_details"]
    for problem in problems:
        url = None
        if problem.section == "program_details":
            url = details_url
        elif problem.section == "imm0008" and pa is not None:
            url = _section_url(application, pa, "imm0008", "application")
        tasks.append(
            Task(
                code=f"check:{problem.check}:{problem.code}",
                label=problem.message,
                done=False,
                kind="check",
                url=url,
            )
        )
    return tasks


def _form_consistency_tasks(application, people, rows, today) -> list[Task]:
    """One item per cross-form inconsistency (forms_imm.consistency, forms.md §7), linking to
    the section or profile to fix. Warnings are not counted; blocking ones are. ``rows`` are
    the section rows read with their answers (no further query)."""
    from forms_imm.consistency import answers_from_rows, find_inconsistencies

    answers = answers_from_rows(application, people=people, rows=rows, today=today)
    tasks = []
    for found in find_inconsistencies(application, answers=answers):
        person = found.person
        url = None
        if person is not None and found.form and found.section:
            url = _section_url(application, person, found.form, found.section)
        elif person is not None:
            url = _person_url(application, person)
        tasks.append(
            Task(
                code=f"consistency:{found.code}:{found.key}",
                label=found.message,
                done=False,
                required=found.blocking,
                kind="check",
                person=person,
                url=url,
            )
        )
    return tasks


def _money(amount) -> str:
    """An amount with cents and grouping in the reader's language: 1,290.00 or 1 290,00."""
    return formats.number_format(amount, 2, force_grouping=True)


def _document_tasks(application, people, today) -> list[Task]:
    """Required documents to upload, conditional ones to check, and fee receipt problems."""
    from .documents import FeeOutcome, document_slots, fee_summary, slot_title

    slots = document_slots(application, people=people, today=today)
    base = reverse("applications:documents", kwargs={"public_id": application.public_id})
    tasks = []
    for slot in slots:
        title = slot_title(slot)
        url = f"{base}#{slot.anchor}"
        blocking = tuple(str(p.message) for p in slot.problems if p.blocking)
        warnings = tuple(str(p.message) for p in slot.problems if not p.blocking)
        code = f"document:{slot.key}"
        if slot.is_required or (slot.current is not None and blocking):
            label = _("Upload: %(document)s") % {"document": title}
            if slot.current is not None and blocking:
                label = _("Fix: %(document)s") % {"document": title}
            tasks.append(
                Task(
                    code=code,
                    label=label,
                    done=slot.done,
                    kind="document",
                    person=slot.person,
                    url=url,
                    problems=blocking,
                )
            )
        elif slot.is_conditional and slot.current is None:
            tasks.append(
                Task(
                    code=code,
                    label=_("Check whether needed: %(document)s") % {"document": title},
                    done=False,
                    required=False,
                    kind="document_check",
                    person=slot.person,
                    url=url,
                    problems=(slot.condition,) if slot.condition else (),
                )
            )
        if warnings:
            tasks.append(
                Task(
                    code=f"document_warning:{slot.key}",
                    label=_("Check: %(document)s") % {"document": title},
                    done=False,
                    required=False,
                    kind="warning",
                    person=slot.person,
                    url=url,
                    problems=warnings,
                )
            )
    fees = fee_summary(application, people=people, slots=slots, today=today)
    if fees is not None and fees.outcome == FeeOutcome.UNDERPAID:
        tasks.append(
            Task(
                code="fee_underpaid",
                label=_(
                    "Fees underpaid: $%(difference)s is still due. IRCC returns underpaid "
                    "applications: pay the difference and add the receipt."
                )
                % {"difference": _money(fees.difference)},
                done=False,
                kind="check",
                url=f"{base}#fees",
            )
        )
    elif fees is not None and fees.outcome == FeeOutcome.OVERPAID:
        tasks.append(
            Task(
                code="fee_overpaid",
                label=_(
                    "The fee receipts are $%(difference)s more than the fees due. IRCC refunds "
                    "an overpayment; check the amounts entered."
                )
                % {"difference": _money(fees.difference)},
                done=False,
                required=False,
                kind="warning",
                url=f"{base}#fees",
            )
        )
    return tasks


def _signature_tasks(application, people, section_rows) -> list[Task]:
    """While signatures are collected: one item per required signature, then the declaration.
    In a draft nothing is asked yet, and no query is made."""
    from .signatures import DECLARATION_KEY, SIGNING_STATES, latest_signatures, required_signatures

    if application.status not in SIGNING_STATES:
        return []
    latest = latest_signatures(application)
    detail = reverse("applications:detail", kwargs={"public_id": application.public_id})
    tasks = []
    for entry in required_signatures(application, people=people, rows=section_rows, latest=latest):
        label = _("Signature: %(item)s, %(name)s") % {
            "item": entry.item.label,
            "name": entry.subject.full_name,
        }
        if entry.state == "invalidated":
            label = _("Signature needed again: %(item)s, %(name)s") % {
                "item": entry.item.label,
                "name": entry.subject.full_name,
            }
        tasks.append(
            Task(
                code=f"signature:{entry.key}",
                label=label,
                done=entry.is_valid,
                kind="signature",
                person=entry.subject,
                url=f"{detail}#signatures",
            )
        )
    declaration = latest.get(DECLARATION_KEY)
    tasks.append(
        Task(
            code="declaration",
            label=_("Representative declaration"),
            done=application.status == Application.Status.REP_DECLARED and declaration is not None,
            kind="signature",
            url=reverse("applications:submit", kwargs={"public_id": application.public_id}),
        )
    )
    return tasks


def application_task_list(
    application: Application,
    *,
    people=None,
    today=None,
    section_rows=None,
    with_consistency=True,
) -> list[Task]:
    """Everything ``application`` still needs, in display order. Pass ``people`` when they are
    already fetched (PA first); the list then reads one query: the form sections, with their
    answers for the cross-form checks (``section_rows`` when those are already read: then the
    checks are left out, as with ``with_consistency=False``, since they would need every
    answer; they are not counted in the progress)."""
    # forms_imm builds on this app; importing it here, not at the top, avoids an import cycle.
    from forms_imm import sections

    today = today or timezone.localdate()
    if people is None:
        people = list(application.people.order_by("created_at", "id"))
    people = sorted(people, key=lambda p: (not p.is_principal, p.created_at, p.pk or 0))
    with_consistency = with_consistency and section_rows is None
    if section_rows is None:
        section_rows = sections.section_rows(application, with_data=with_consistency)
    person_forms = sections.sections_for(application, people=people, rows=section_rows, today=today)
    province = intended_province(people, section_rows)
    return [
        *_profile_tasks(application, people, today),
        *_form_tasks(application, people, today, person_forms),
        *_attention_tasks(application, person_forms),
        *_annex_tasks(application, person_forms),
        *_program_tasks(application, people, today, province),
        *_document_tasks(application, people, today),
        *_consistency_tasks(application, people),
        *(
            _form_consistency_tasks(application, people, section_rows, today)
            if with_consistency
            else ()
        ),
        *_age_warnings(application, people, today),
        *_signature_tasks(application, people, section_rows),
    ]


def progress(tasks: list[Task]) -> tuple[int, int]:
    counted = [task for task in tasks if task.required]
    return sum(1 for task in counted if task.done), len(counted)
