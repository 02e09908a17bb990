"""Every write to the digital forms, and the one canonical serialisation of a form.

``form_section_save`` is the only writer of ``FormSection``. It locks the application row
(the state may have changed since the view's guard), compares versions (optimistic locking,
STYLE.md §6), stores the answers with their state, writes the history row and refreshes the
application's progress counters, all in one transaction.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest, Least
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.errors import VersionConflict, WrongState
from applications.models import Application, ApplicationEvent
from applications.services import application_progress_refresh

from .canonical import canonical_json
from .models import FormSection
from .periods import Gap, Month, Overlap, Problem
from .sections import FORMS, form_needed, section_rows_with
from .spec import Section, SectionContext

State = FormSection.State

# Autosave posts every few seconds while someone types: one history row per editing session
# is enough. An autosave by the same person within this window of their last save of the same
# section, that leaves its state as it was, adds no row.
AUTOSAVE_EVENT_WINDOW = timedelta(minutes=15)


class SectionConflict(VersionConflict):
    """Someone saved the section after the page was opened; ``current`` is what is stored."""

    default_message = _(
        "This section was saved in another tab or by someone else after you opened it."
    )

    def __init__(self, current: FormSection | None):
        super().__init__()
        self.current = current


def _lock_status(application: Application) -> str:
    return (
        Application.objects.select_for_update(of=("self",))
        .values_list("status", flat=True)
        .get(pk=application.pk)
    )


def _changed(old: dict, new: dict) -> list[str]:
    return sorted(key for key in set(old) | set(new) if old.get(key) != new.get(key))


def problem_to_json(problem: Problem) -> dict:
    """A ``periods.Problem`` as JSON (codes, row numbers and months only), for the task list."""
    params = {
        key: {"month": value.isoformat()} if isinstance(value, Month) else value
        for key, value in problem.params.items()
    }
    data = {"code": problem.code, "rows": list(problem.rows), "params": params}
    if isinstance(problem, Gap):
        data.update(
            kind="gap",
            start=problem.start.isoformat(),
            end=problem.end.isoformat(),
            fix_row=problem.fix_row,
            previous_row=problem.previous_row,
        )
    elif isinstance(problem, Overlap):
        data.update(
            kind="overlap",
            start=problem.start.isoformat(),
            end=problem.end.isoformat(),
            first_row=problem.first_row,
            second_row=problem.second_row,
        )
    return data


def problem_from_json(data: dict) -> Problem:
    params = {
        key: Month.parse(value["month"]) if isinstance(value, dict) else value
        for key, value in data.get("params", {}).items()
    }
    common = {"code": data["code"], "rows": tuple(data.get("rows", ())), "params": params}
    if data.get("kind") == "gap":
        return Gap(
            **common,
            start=Month.parse(data["start"]),
            end=Month.parse(data["end"]),
            fix_row=data.get("fix_row"),
            previous_row=data.get("previous_row"),
        )
    if data.get("kind") == "overlap":
        return Overlap(
            **common,
            start=Month.parse(data["start"]),
            end=Month.parse(data["end"]),
            first_row=data["first_row"],
            second_row=data["second_row"],
        )
    return Problem(**common)


def section_check(section: Section, data: dict, context: SectionContext) -> dict:
    """Run the strict Submit forms on ``data``: ``{"count": other errors, "periods": [...]}``.

    An empty dict means the section passes.
    """
    bound = section.check(data, context)
    errors = bound.errors()
    if not errors:
        return {}
    periods = [problem_to_json(problem) for problem in bound.period_problems()]
    return {"count": len(errors) - len(periods), "periods": periods}


@transaction.atomic
def form_section_save(
    *,
    application: Application,
    person,
    section: Section,
    data: dict,
    expected_version: int,
    actor,
    mark_complete: bool = False,
    autosave: bool = False,
    people=None,
) -> FormSection:
    """Store ``data`` (already type-checked by the section's Edit forms) as the section's draft.

    Saving a draft always works, whatever is missing. ``mark_complete`` also runs the strict
    Submit forms: the section becomes complete if they pass, else "needs attention" (the
    answers are saved either way). Any change to a complete section moves it back to "in
    progress". Raises ``WrongState`` unless the application is editable and ``SectionConflict``
    (a ``VersionConflict``) when the stored version is not ``expected_version`` (0 for a section
    never saved). A save that changes nothing writes nothing. ``people`` (every profile of the
    application, already read) saves a query in the progress refresh.
    """
    now = timezone.now()
    application.status = _lock_status(application)
    if not application.is_editable:
        raise WrongState()
    all_rows, row = section_rows_with(
        application, person=person, form=section.form, section=section.slug
    )
    if (row.version if row else 0) != expected_version:
        raise SectionConflict(row)
    old_data = row.data if row else {}
    old_state = row.state if row else State.NOT_STARTED
    changed = _changed(old_data, data)
    context = SectionContext(
        application=application, person=person, today=timezone.localdate(), people=people
    )

    problems = row.problems if row else {}
    if mark_complete:
        problems = section_check(section, data, context)
        state = State.NEEDS_ATTENTION if problems else State.COMPLETE
    elif changed:
        state = State.IN_PROGRESS if section.has_content(data) else State.NOT_STARTED
        problems = {}
    else:
        state = old_state
    if row is None and not mark_complete and not section.has_content(data):
        # Nothing typed yet (an autosave of an empty page): nothing to keep.
        return FormSection(
            application=application, person=person, form=section.form, section=section.slug,
            data=data, version=0,
        )  # fmt: skip
    if row is not None and not changed and state == old_state and problems == row.problems:
        return row

    overflow = section.overflow(data)
    if row is None:
        row = FormSection.objects.create(
            application=application,
            person=person,
            form=section.form,
            section=section.slug,
            data=data,
            state=state,
            problems=problems,
            overflow=overflow,
            version=1,
            updated_at=now,
            updated_by=actor,
        )
        all_rows.append(row)
        previous_save = None
    else:
        previous_save = (row.updated_by_id, row.updated_at)
        updated = FormSection.objects.filter(pk=row.pk, version=expected_version).update(
            data=data,
            state=state,
            problems=problems,
            overflow=overflow,
            version=F("version") + 1,
            updated_at=now,
            updated_by=actor,
        )
        if updated != 1:
            raise SectionConflict(row)
        row.data, row.state, row.problems, row.overflow = data, state, problems, overflow
        row.version, row.updated_at, row.updated_by = expected_version + 1, now, actor

    quiet = (
        autosave
        and previous_save is not None
        and previous_save[0] == actor.pk
        and now - previous_save[1] < AUTOSAVE_EVENT_WINDOW
        and state == old_state
    )
    if not quiet:
        ApplicationEvent.objects.create(
            application=application,
            action={
                State.COMPLETE: ApplicationEvent.Action.FORM_SECTION_COMPLETED,
                State.NEEDS_ATTENTION: ApplicationEvent.Action.FORM_SECTION_NEEDS_ATTENTION,
            }.get(state, ApplicationEvent.Action.FORM_SECTION_SAVED)
            if mark_complete
            else ApplicationEvent.Action.FORM_SECTION_SAVED,
            actor=actor,
            at=now,
            reason=section.code,
            person_public_id=person.public_id,
            fields=changed,
        )
    invalidated = []
    if changed:
        # A change to signed content invalidates exactly the signatures it touches (issue 7).
        from applications.signatures import signatures_refresh

        invalidated = signatures_refresh(application, actor=actor, people=people)
    if invalidated or (state != old_state and section.refreshes_task_list):
        # Invalidated signatures are task-list items too: recompute the whole list.
        application_progress_refresh(application, at=now, people=people, section_rows=all_rows)
    elif state != old_state:
        _progress_adjust(application, person, section, old_state, all_rows, context, now)
    else:
        Application.objects.filter(pk=application.pk).update(updated_at=now)
        application.updated_at = now
    return row


def _form_task_done(person, form, context, states: dict[str, str]) -> bool:
    """Whether the task list counts ``form`` of ``person`` as done, from its section states
    (``tasks_list._form_done``: every required section applying to the person is complete)."""
    sections = [s for s in form.sections_for(person, context) if s.required]
    return all(states.get(s.slug) == State.COMPLETE for s in sections)


def _progress_adjust(application, person, section, old_state, all_rows, context, now) -> None:
    """Move ``tasks_done`` by the one task a section's state can change: its form's task for
    this person (QUALITY.md §9: a section save stays within its query budget instead of
    recomputing the whole task list). Everything else the list counts (profiles, documents,
    program details) does not depend on a section's state; a section whose answers feed other
    items sets ``Section.refreshes_task_list`` and gets the full refresh instead."""
    from applications.tasks_list import forms_for_person

    form = FORMS[section.form]
    counted = dict(forms_for_person(person, application.program, context.today)).get(form.key)
    if not counted or not form_needed(form, person, application, context.today):
        delta = 0  # an optional form (or one the person does not fill) is not counted
    else:
        states = {
            row.section: row.state
            for row in all_rows
            if row.person_id == person.pk and row.form == form.key
        }
        after = _form_task_done(person, form, context, states)
        before = _form_task_done(person, form, context, {**states, section.slug: old_state})
        delta = int(after) - int(before)
    changes = {"updated_at": now}
    if delta:
        changes["tasks_done"] = Greatest(0, Least(F("tasks_done") + delta, F("tasks_total")))
    Application.objects.filter(pk=application.pk).update(**changes)
    application.updated_at = now
    if delta:
        application.tasks_done = max(
            0, min(application.tasks_done + delta, application.tasks_total)
        )


def form_answers(person, form_key: str) -> dict[str, dict]:
    """The stored answers of one person's form, ``{section slug: data}`` (one query)."""
    rows = FormSection.objects.filter(person=person, form=form_key).only("section", "data")
    return {row.section: row.data for row in rows}


def canonical_form_json(application: Application, person, form: str, *, answers=None) -> bytes:
    """The canonical bytes of one person's form (QUALITY.md §5): what a signature covers.

    Holds the schema version, the form and the people's identifiers, the profile fields that
    flow into the form, and every section's stored answers (tables in the user's order, each
    row with its stable id). Unsaved sections appear as ``{}``. ``answers`` (``{section slug:
    data}``) saves the query when the caller has read them already.
    """
    spec = FORMS[form]
    if answers is None:
        answers = form_answers(person, form)
    return canonical_json(
        {
            "schema_version": spec.schema_version,
            "form": spec.key,
            "application": application.public_id,
            "person": person.public_id,
            "profile": {field.key: field.value(person) for field in spec.profile_fields()},
            "sections": {section.slug: answers.get(section.slug, {}) for section in spec.sections},
        }
    )
