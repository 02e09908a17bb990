"""The registry of digital forms and their sections, and each person's section states.

To add a form: write ``forms_imm/<form>.py`` declaring its Edit and Submit forms and one
``spec.FormSpec`` (see ``imm5669.py``), then list it in ``FORMS`` below, in the order forms are
shown. Everything else (pages, autosave, conflicts, the task list, the printable view's URL,
canonical JSON) follows from the registry. docs/forms.md has the details.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Case, F, JSONField, Q, Value, When
from django.db.models.fields.json import KeyTextTransform
from django.http import Http404
from django.utils import timezone

from . import consistency_family  # noqa: F401  (registers the family checks)
from .imm0008 import IMM0008
from .imm5406 import IMM5406
from .imm5444 import IMM5444
from .imm5562 import IMM5562
from .imm5669 import IMM5669
from .models import FormSection
from .spec import FormSpec, Section, SectionContext

# Every digital form, in display order.
FORMS: dict[str, FormSpec] = {
    spec.key: spec for spec in (IMM0008, IMM5669, IMM5406, IMM5562, IMM5444)
}

State = FormSection.State


def get_form(key: str) -> FormSpec | None:
    return FORMS.get(key)


def get_section_or_404(form_key: str, slug: str) -> tuple[FormSpec, Section]:
    form = FORMS.get(form_key)
    section = form.section(slug) if form else None
    if section is None:
        raise Http404
    return form, section


def form_needed(form: FormSpec, person, application, today: date) -> bool:
    if form.needs is None:
        from applications.tasks_list import forms_for_person

        return form.key in dict(forms_for_person(person, application.program, today))
    return form.needs(person, application, today)


@dataclass
class SectionState:
    section: Section
    row: FormSection | None

    @property
    def state(self) -> str:
        return self.row.state if self.row else State.NOT_STARTED

    @property
    def is_complete(self) -> bool:
        return self.state == State.COMPLETE

    def get_state_display(self) -> str:
        return State(self.state).label

    @property
    def version(self) -> int:
        return self.row.version if self.row else 0


@dataclass
class PersonForm:
    """One form of one person, with the state of each of its sections."""

    person: object
    form: FormSpec
    sections: list[SectionState] = field(default_factory=list)

    @property
    def is_complete(self) -> bool:
        return all(s.is_complete for s in self.sections if s.section.required)

    @property
    def state(self) -> str:
        states = {s.state for s in self.sections if s.section.required}
        if states == {State.COMPLETE}:
            return State.COMPLETE
        if State.NEEDS_ATTENTION in states:
            return State.NEEDS_ATTENTION
        if states <= {State.NOT_STARTED}:
            return State.NOT_STARTED
        return State.IN_PROGRESS

    def get_state_display(self) -> str:
        return State(self.state).label

    def first_open_section(self) -> SectionState:
        return next((s for s in self.sections if not s.is_complete), self.sections[0])


# Single answers the task list needs even when the answers are not read (the program checks
# use the IMM 0008 intended province): each row carries them as an attribute, ``None`` for
# rows that do not hold that answer.
_FACTS = {"intended_province": KeyTextTransform("intended_province", "data")}


def section_rows(application, *, person=None, form: str | None = None, with_data=False):
    """The stored sections of ``application`` (one query). Without ``with_data`` the answers
    are not read (the task list and overview need states only)."""
    rows = FormSection.objects.filter(application=application)
    if person is not None:
        rows = rows.filter(person=person)
    if form is not None:
        rows = rows.filter(form=form)
    if not with_data:
        rows = rows.defer("data").annotate(**_FACTS)
    return list(rows)


def section_rows_with(application, *, person, form: str, section: str):
    """Every stored section of ``application`` without answers, except the answers of one
    section, in one query: ``(rows, that section's row or None)``. The save service uses it to
    read the section it writes and, for the task list, the states of all the others."""
    target = Q(person=person, form=form, section=section)
    rows = list(
        FormSection.objects.filter(application=application)
        .defer("data")
        .annotate(
            **_FACTS,
            target_data=Case(
                When(target, then=F("data")), default=Value(None), output_field=JSONField()
            ),
        )
    )
    found = None
    for row in rows:
        if row.person_id == person.pk and row.form == form and row.section == section:
            row.data = row.target_data
            found = row
    return rows, found


def sections_for(application, *, people=None, rows=None, today=None) -> list[PersonForm]:
    """Every form each person needs, with its sections' states, in display order.

    One query for the section rows (pass ``rows`` to reuse ones already read) and one for the
    people unless ``people`` is given.
    """
    today = today or timezone.localdate()
    if people is None:
        people = list(application.people.order_by("created_at", "id"))
    people = sorted(people, key=lambda p: (not p.is_principal, p.created_at, p.pk or 0))
    if rows is None:
        rows = section_rows(application)
    by_key = {(row.person_id, row.form, row.section): row for row in rows}
    result = []
    for person in people:
        context = SectionContext(application=application, person=person, today=today, people=people)
        for form in FORMS.values():
            if not form_needed(form, person, application, today):
                continue
            result.append(
                PersonForm(
                    person=person,
                    form=form,
                    sections=[
                        SectionState(section, by_key.get((person.pk, form.key, section.slug)))
                        for section in form.sections_for(person, context)
                    ],
                )
            )
    return result
