"""Cross-form consistency of the family forms (forms.md §5 cross-checks, §6, §7).

Registered with ``consistency.register``; ``sections.py`` imports this module. Each check reads
the stored answers from ``Answers`` (one query for the whole application) and the profiles.
Messages name people of the application only; a relative typed in a form is named by its row.

- ``imm5406.marital_status_profile`` (blocking): the marital status in a person's IMM 5406
  agrees with their profile, and for the principal applicant "married or common-law" agrees
  with a spouse or partner profile existing (§7.2).
- ``imm5406.dependant_missing``: every dependant profile appears in the principal applicant's
  IMM 5406 (the spouse block or Section B), and every dependent child in the spouse's (§7.3).
- ``imm5406.profile_differs``: a block or row linked to a profile holds another name or date
  of birth than the profile now has (the profile changed after the section was saved).
- ``imm5406.shared_person_differs`` / ``imm5406.shared_child_missing``: the principal
  applicant's and the spouse's IMM 5406 agree on each other and on the children they list.
- ``imm5562.refused_without_trip``: a yes to IMM 5669 (e) refused admission or ordered to
  leave, while the person's IMM 5562 table says "did not travel" (§7.7).
- ``imm5562.trip_overlap``: overlapping trips (a warning, also shown on the page, §6).
- ``imm5444.residency_not_met``: the calculator finds under 730 days and no humanitarian and
  compassionate reasons are given (§8).
"""

from __future__ import annotations

import re
from datetime import date

from django.utils.translation import gettext_lazy as _

from applications.models import Person

from . import imm5406, imm5444, imm5562
from .consistency import Answers, Inconsistency, register
from .spec import SectionContext

Role = Person.Role
F5406, F5562, F5444 = imm5406.FORM, imm5562.FORM, imm5444.FORM


def _name(value) -> str:
    return re.sub(r"\s+", " ", str(value or "")).strip().casefold()


def _spouse(answers: Answers):
    return next((p for p in answers.people if p.role == Role.SPOUSE_PARTNER), None)


def _dob(person) -> str | None:
    return person.date_of_birth.isoformat() if person.date_of_birth else None


def _linked(rows, relative) -> dict | None:
    """The row for ``relative``: linked to the profile, else the same name and date of birth."""
    public_id = str(relative.public_id)
    for row in rows:
        if row.get("profile") == public_id:
            return row
    for row in rows:
        if _name(row.get("full_name")) == _name(relative.full_name) and row.get(
            "date_of_birth"
        ) == _dob(relative):
            return row
    return None


@register
def marital_status_profile(answers: Answers) -> list[Inconsistency]:
    found = []
    spouse = _spouse(answers)
    for person in answers.people:
        family = answers.section(person, F5406, "family")
        status = family.get("applicant_marital_status")
        if not status:
            continue
        if person.marital_status and status != person.marital_status:
            found.append(
                Inconsistency(
                    code="imm5406.marital_status_profile",
                    message=_(
                        "IMM 5406 for %(name)s gives the marital status “%(form)s” but the "
                        "profile says “%(profile)s”. Correct one of them."
                    )
                    % {
                        "name": person.full_name,
                        "form": imm5406.marital_label(status),
                        "profile": person.get_marital_status_display(),
                    },
                    person=person,
                    form=F5406,
                    section="family",
                    blocking=True,
                )
            )
        elif person.is_principal and (status in imm5406.MARRIED_OR_COMMON_LAW) != bool(spouse):
            found.append(
                Inconsistency(
                    code="imm5406.marital_status_profile",
                    message=(
                        _(
                            "IMM 5406 for %(name)s gives the marital status “%(form)s”, but the "
                            "application has a spouse or common-law partner profile."
                        )
                        if spouse
                        else _(
                            "IMM 5406 for %(name)s gives the marital status “%(form)s”, but the "
                            "application has no spouse or common-law partner profile."
                        )
                    )
                    % {"name": person.full_name, "form": imm5406.marital_label(status)},
                    person=person,
                    form=F5406,
                    section="family",
                    key="spouse",
                    blocking=True,
                )
            )
    return found


def _missing(person, relative, section: str) -> Inconsistency:
    return Inconsistency(
        code="imm5406.dependant_missing",
        message=_(
            "%(relative)s is on the application but not in the IMM 5406 of %(name)s. Open the "
            "section: people on the application are listed from their profiles; save it."
        )
        % {"relative": relative.full_name, "name": person.full_name},
        person=person,
        form=F5406,
        section=section,
        key=str(relative.public_id),
    )


@register
def dependants_listed(answers: Answers) -> list[Inconsistency]:
    found = []
    for person in answers.people:
        if not answers.has_form(person, F5406):
            continue
        family = answers.section(person, F5406, "family")
        spouse = imm5406.profile_spouse(person, answers.people)
        if (
            spouse is not None
            and family
            and not (
                family.get("spouse_profile") == str(spouse.public_id)
                or _name(family.get("spouse_full_name")) == _name(spouse.full_name)
            )
        ):
            found.append(_missing(person, spouse, "family"))
        children = answers.section(person, F5406, "children").get("children") or []
        for child in imm5406.profile_children(person, answers.people):
            if _linked(children, child) is None:
                found.append(_missing(person, child, "children"))
    return found


def _differs(person, relative, section: str, key: str) -> Inconsistency:
    return Inconsistency(
        code="imm5406.profile_differs",
        message=_(
            "The IMM 5406 of %(name)s has another name or date of birth for %(relative)s than "
            "the profile. Open the section and save it to take the profile's."
        )
        % {"name": person.full_name, "relative": relative.full_name},
        person=person,
        form=F5406,
        section=section,
        key=key,
    )


@register
def profiles_agree(answers: Answers) -> list[Inconsistency]:
    found = []
    by_id = {str(p.public_id): p for p in answers.people}
    for person in answers.people:
        family = answers.section(person, F5406, "family")
        for slot in imm5406.BLOCKS:
            relative = by_id.get(family.get(f"{slot}_profile") or "")
            if relative is not None and (
                _name(family.get(f"{slot}_full_name")) != _name(relative.full_name)
                or family.get(f"{slot}_date_of_birth") != _dob(relative)
            ):
                found.append(_differs(person, relative, "family", f"{slot}:{relative.public_id}"))
        for section in ("children", "siblings"):
            for row in answers.section(person, F5406, section).get(section) or []:
                relative = by_id.get(row.get("profile") or "")
                if relative is not None and (
                    _name(row.get("full_name")) != _name(relative.full_name)
                    or row.get("date_of_birth") != _dob(relative)
                ):
                    found.append(_differs(person, relative, section, str(relative.public_id)))
    return found


_SHARED_COLUMNS = ("country_of_birth", "marital_status")


def _child_key(row) -> str:
    return row.get("profile") or _name(row.get("full_name"))


@register
def partners_agree(answers: Answers) -> list[Inconsistency]:
    """The PA's and the spouse's IMM 5406 agree on each other and on their children."""
    principal, spouse = answers.principal, _spouse(answers)
    if principal is None or spouse is None:
        return []
    found = []
    mine = answers.section(principal, F5406, "family")
    theirs = answers.section(spouse, F5406, "family")
    for about, block, own in ((spouse, mine, theirs), (principal, theirs, mine)):
        if not block or not own:
            continue
        writer = principal if about is spouse else spouse
        for column in _SHARED_COLUMNS:
            given, stated = block.get(f"spouse_{column}"), own.get(f"applicant_{column}")
            if given and stated and _name(given) != _name(stated):
                found.append(
                    Inconsistency(
                        code="imm5406.shared_person_differs",
                        message=_(
                            "The IMM 5406 of %(writer)s and that of %(about)s disagree on the "
                            "%(column)s of %(about)s."
                        )
                        % {
                            "writer": writer.full_name,
                            "about": about.full_name,
                            "column": _("country of birth")
                            if column == "country_of_birth"
                            else _("marital status"),
                        },
                        person=writer,
                        form=F5406,
                        section="family",
                        key=f"{about.public_id}:{column}",
                    )
                )
    rows = {
        person: answers.section(person, F5406, "children").get("children") or []
        for person in (principal, spouse)
    }
    if not answers.section(principal, F5406, "children") or not answers.section(
        spouse, F5406, "children"
    ):
        return found
    for writer, other in ((principal, spouse), (spouse, principal)):
        others = {_child_key(row): row for row in rows[other]}
        for number, row in enumerate(rows[writer], start=1):
            match = others.get(_child_key(row))
            if match is None:
                found.append(
                    Inconsistency(
                        code="imm5406.shared_child_missing",
                        message=_(
                            "Child %(row)s of Section B in the IMM 5406 of %(writer)s is not in "
                            "the IMM 5406 of %(other)s. Both list every child, stepchildren "
                            "included."
                        )
                        % {"row": number, "writer": writer.full_name, "other": other.full_name},
                        person=other,
                        form=F5406,
                        section="children",
                        key=f"{writer.public_id}:{row.get('id')}",
                    )
                )
            elif writer is principal and (
                match.get("date_of_birth") != row.get("date_of_birth")
                or _name(match.get("country_of_birth")) != _name(row.get("country_of_birth"))
            ):
                found.append(
                    Inconsistency(
                        code="imm5406.shared_person_differs",
                        message=_(
                            "Child %(row)s of Section B: the IMM 5406 of %(writer)s and that of "
                            "%(other)s give another date or country of birth."
                        )
                        % {"row": number, "writer": writer.full_name, "other": other.full_name},
                        person=other,
                        form=F5406,
                        section="children",
                        key=f"child:{row.get('id')}",
                    )
                )
    return found


_TRAVEL_SECTION = {Role.PRINCIPAL: "applicant", Role.SPOUSE_PARTNER: "spouse"}


@register
def refused_without_trip(answers: Answers) -> list[Inconsistency]:
    """§7.7: refused admission or ordered to leave, yet "did not travel" in IMM 5562."""
    principal = answers.principal
    found = []
    for person in answers.people:
        background = answers.section(person, "imm5669", "background")
        if background.get("refused_admission") is not True:
            continue
        section = _TRAVEL_SECTION.get(person.role, "children")
        travels = answers.section(principal, F5562, section)
        if travels.get("did_not_travel"):
            found.append(
                Inconsistency(
                    code="imm5562.refused_without_trip",
                    message=_(
                        "%(name)s answered yes to IMM 5669 question (e), refused admission or "
                        "ordered to leave a country, but IMM 5562 says they did not travel in "
                        "the period. Check both."
                    )
                    % {"name": person.full_name},
                    person=principal,
                    form=F5562,
                    section=section,
                    key=str(person.public_id),
                )
            )
    return found


@register
def trip_overlaps(answers: Answers) -> list[Inconsistency]:
    principal = answers.principal
    if principal is None or not answers.has_form(principal, F5562):
        return []
    context = SectionContext(
        application=answers.application,
        person=principal,
        today=answers.today,
        people=answers.people,
    )
    found = []
    for section in imm5562.SECTIONS:
        rows = answers.section(principal, F5562, section.slug).get("trips") or []
        table = section.tables[0]
        for problem in table.warn(rows, context) if rows else []:
            if problem.code != "trip_overlap":
                continue
            found.append(
                Inconsistency(
                    code="imm5562.trip_overlap",
                    message=_("IMM 5562, Section %(letter)s: %(problem)s")
                    % {"letter": section.letter, "problem": problem.message},
                    person=principal,
                    form=F5562,
                    section=section.slug,
                    key=f"{section.slug}:{problem.rows}",
                )
            )
    return found


@register
def residency_not_met(answers: Answers) -> list[Inconsistency]:
    found = []
    for person in answers.people:
        residency = answers.section(person, F5444, "residency")
        if not residency:
            continue
        became = answers.section(person, F5444, "situation").get("became_pr_date")
        result = imm5444.residency_result(
            residency.get("absences") or [],
            date.fromisoformat(became) if became else None,
            answers.today,
        )["result"]
        if not result.met and not residency.get("humanitarian"):
            found.append(
                Inconsistency(
                    code="imm5444.residency_not_met",
                    message=_(
                        "IMM 5444 for %(name)s: %(days)s days in Canada, under the 730 the "
                        "residency obligation asks. Give humanitarian and compassionate reasons "
                        "or proof that absences count as time in Canada."
                    )
                    % {"name": person.full_name, "days": result.days_present},
                    person=person,
                    form=F5444,
                    section="residency",
                )
            )
    return found
