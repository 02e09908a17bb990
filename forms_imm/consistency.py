"""Cross-form consistency checks (forms.md §7): rules that compare answers across forms, people
and profiles, such as the PA's and the spouse's IMM 5406 agreeing on the people they share.

Each check is a function ``check(answers: Answers) -> list[Inconsistency]`` registered with
``@register``; a form module registers its own checks where it is declared (the module only has
to be imported, which ``sections.FORMS`` already does). ``find_inconsistencies`` reads every
stored answer of the application in one query and runs them all; the task list shows each
inconsistency as an item with a link to the section to fix.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.functional import Promise


@dataclass(frozen=True)
class Inconsistency:
    code: str  # stable, e.g. "imm5406.shared_person_differs"; unique with ``key`` in one list
    message: str | Promise  # translated; may name people of the application, never other data
    person: object | None = None  # the person whose form (or profile) should be fixed
    form: str | None = None  # form key of the section to fix; None means the profile
    section: str | None = None  # section slug to link to
    key: str = ""  # distinguishes several findings of one check (e.g. a row id)
    blocking: bool = False  # True: the submit gate refuses; False: a warning to review


@dataclass
class Answers:
    """Every stored answer of one application, by (person id, form, section)."""

    application: object
    people: list
    today: date
    data: dict = field(default_factory=dict)  # {(person_id, form, section): dict}

    @property
    def principal(self):
        return next((p for p in self.people if p.is_principal), None)

    def section(self, person, form: str, section: str) -> dict:
        """The stored answers of one section, ``{}`` when never saved."""
        if person is None:
            return {}
        return self.data.get((person.pk, form, section)) or {}

    def has_form(self, person, form: str) -> bool:
        return any(key[0] == person.pk and key[1] == form for key in self.data)


Check = Callable[[Answers], list[Inconsistency]]
CHECKS: list[Check] = []


def register(check: Check) -> Check:
    if check not in CHECKS:
        CHECKS.append(check)
    return check


def answers_for(application, *, people=None, today=None) -> Answers:
    """One query for the answers (and one for the people unless given)."""
    from .models import FormSection

    if people is None:
        people = list(application.people.order_by("created_at", "id"))
    rows = FormSection.objects.filter(application=application).values_list(
        "person_id", "form", "section", "data"
    )
    return Answers(
        application=application,
        people=list(people),
        today=today or timezone.localdate(),
        data={(person_id, form, section): data for person_id, form, section, data in rows},
    )


def find_inconsistencies(application, *, people=None, today=None, answers=None) -> list:
    """Every inconsistency of ``application``, in check order."""
    from . import sections  # noqa: F401  (the form modules register their checks on import)

    answers = answers or answers_for(application, people=people, today=today)
    found: list[Inconsistency] = []
    for check in CHECKS:
        found.extend(check(answers))
    return found


def answers_from_rows(application, *, people, rows, today=None) -> Answers:
    """``Answers`` from section rows already read with their data (no query): the task list
    reads every section once and uses the rows for both the states and these checks."""
    return Answers(
        application=application,
        people=list(people),
        today=today or timezone.localdate(),
        data={(row.person_id, row.form, row.section): row.data for row in rows},
    )


# Where a form asks a person's own marital status, as ``(form, section, field)``: the check
# ``marital_status_agrees`` (forms_imm/imm0008.py) compares each stored answer with the
# person's profile. A form module that asks it appends its own entry.
MARITAL_STATUS_ANSWERS: list[tuple[str, str, str]] = []
