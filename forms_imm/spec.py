"""How a form is declared: ``FormSpec`` → ``Section`` → ``TableSpec`` (docs/forms.md).

A form module (``forms_imm/imm5669.py``) declares its forms and one ``FormSpec`` listing its
sections in order; ``forms_imm/sections.py`` puts every ``FormSpec`` in the registry. Nothing
here knows a particular form.

``Section.bind()`` gives a ``BoundSection``: the section's main form and one formset per table,
validated together, with one ``to_data()`` and one list of errors for the error summary.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from django import forms as django_forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import forms, limits
from .periods import Month, period_start


@dataclass
class SectionContext:
    """What a section's rules may depend on besides its own answers."""

    application: Any
    person: Any
    today: date
    people: list | None = None  # every profile of the application, when the caller has them

    @property
    def everyone(self) -> list:
        """Every profile of the application (read once if the caller did not pass them)."""
        if self.people is None:
            self.people = list(self.application.people.order_by("created_at", "id"))
        return self.people

    @property
    def period_start(self) -> Month:
        """First month the personal history and addresses cover (forms.md §2.3)."""
        return period_start(reference=self.today, date_of_birth=self.person.date_of_birth)

    @property
    def current(self) -> Month:
        return Month.from_date(self.today)


@dataclass(frozen=True)
class ProfileField:
    """A value that comes from the profile, shown read-only with an "Edit in profile" link."""

    key: str  # canonical name, also used in canonical_form_json
    label: Promise
    value: Callable[[Any], Any]  # person -> stored value (text, code, date or None)
    display: Callable[[Any], Any] | None = None  # person -> what the page shows, if not value
    applies: Callable[[Any], bool] | None = None  # person -> whether the page shows it at all

    def shown_to(self, person) -> bool:
        return self.applies is None or self.applies(person)

    def shown(self, person):
        return (self.display or self.value)(person)


@dataclass(frozen=True)
class TableSpec:
    """A repeating table of a section, stored under ``data[name]`` as a list of row dicts.

    ``check(rows, context) -> list[periods.Problem]`` is the strict whole-table rule (the gap
    and overlap checker), run only once every row is valid on its own. ``none_field`` names the
    main-form checkbox meaning "none" (forms.md §2.6), ``none_cell`` the cell that prints the
    IRCC literal when it is ticked.
    """

    name: str
    edit_form: type[forms.RowForm]
    submit_form: type[forms.RowForm]
    title: Promise
    add_label: Promise = _("Add a row")
    check: Callable | None = None
    # warn(rows, context) -> [periods.Problem]: things to review that never block (overlapping
    # trips); runs on every render, on rows that may be incomplete.
    warn: Callable | None = None
    # The first month the table covers, if not ``context.period_start``: period(context) ->
    # Month or None; ``gap_rule`` False for tables that list things within it (trips).
    period: Callable | None = None
    gap_rule: bool = True
    none_field: str = ""
    none_cell: str = "start"

    @cached_property
    def edit_formset(self):
        return forms.table_formset(self, strict=False)

    @cached_property
    def submit_formset(self):
        return forms.table_formset(self, strict=True)

    def period_shown(self, context):
        """The first month the page says the table covers, or None."""
        if self.period is not None:
            return self.period(context)
        return context.period_start if self.check is not None else None

    def column_label(self, name: str):
        return self.edit_form.base_fields[name].label


@dataclass(frozen=True)
class Section:
    """One page of a form. ``applies(person, context)`` may hide a section from some people."""

    form: str
    slug: str
    letter: str
    title: Promise
    edit_form: type[forms.SectionForm]
    submit_form: type[forms.SectionForm]
    tables: tuple[TableSpec, ...] = ()
    intro: Promise | None = None
    profile_fields: tuple[ProfileField, ...] = ()
    template: str = "forms_imm/partials/section_body.html"
    required: bool = True
    applies: Callable[[Any, SectionContext], bool] | None = None
    # True when the section's answers feed task-list items other than its form's own task
    # (program checks reading an answer, say): saving it recomputes the whole list.
    refreshes_task_list: bool = False
    # initial(stored, context) -> dict: what an unbound page shows (rows from the profiles).
    initial: Callable[[dict, SectionContext], dict] | None = None
    # extra_context(bound, answers) -> dict: more for a custom ``template`` (answers: the
    # person's stored sections of this form by slug).
    extra_context: Callable[[Any, dict], dict] | None = None
    scripts: tuple[str, ...] = ()  # more static scripts for the page (progressive enhancement)

    def __post_init__(self):
        if self.slug in ("print",) or not self.slug.replace("-", "").isalnum():
            raise ValueError(f"unusable section slug {self.slug!r}")

    @property
    def code(self) -> str:
        return f"{self.form}.{self.slug}"

    def bind(self, post=None, *, stored: dict | None = None, context, strict=False):
        return BoundSection(self, post=post, stored=stored, context=context, strict=strict)

    def check(self, stored: dict, context: SectionContext) -> BoundSection:
        """The Submit forms run on stored answers; ``.is_valid()`` and ``.errors()`` tell."""
        bound = self.bind(forms.stored_to_post(self, stored), context=context, strict=True)
        bound.is_valid()
        return bound

    def table(self, name: str) -> TableSpec:
        return next(table for table in self.tables if table.name == name)

    def field_label(self, path: str):
        """The label of ``"field"`` or ``"table.row.field"``."""
        parts = path.split(".")
        if len(parts) == 3:
            return self.table(parts[0]).column_label(parts[2])
        return self.edit_form.base_fields[parts[0]].label

    def overflow(self, data: dict) -> list[str]:
        """Paths of the answers over their limit (they continue in the annex)."""
        found = [
            name
            for name in self.edit_form.base_fields
            if _over(self.edit_form, name, data.get(name))
        ]
        for table in self.tables:
            for number, row in enumerate(data.get(table.name) or [], start=1):
                found += [
                    f"{table.name}.{number}.{name}"
                    for name in table.edit_form.base_fields
                    if _over(table.edit_form, name, row.get(name))
                ]
        return found

    def has_content(self, data: dict) -> bool:
        """Whether anything at all was answered (else the section is "not started"). An
        unticked checkbox is no answer; a "No" is one."""
        for name, field_ in self.edit_form.base_fields.items():
            value = data.get(name)
            if isinstance(field_, django_forms.BooleanField):
                if value:
                    return True
            elif value not in (None, ""):
                return True
        return any(data.get(table.name) for table in self.tables)


def _over(form_class, name: str, value) -> bool:
    if not isinstance(value, str) or not value:
        return False
    limit = form_class.limit_of(name)
    if limit is None or limit.kind != limits.TEXT or not limit.max_length:
        return False
    return len(value) > limit.max_length


@dataclass(frozen=True)
class FormSpec:
    """One digital form: its sections in order and how to print it.

    ``print_context(answers, context) -> dict`` builds the printable view's context from the
    stored answers (``{section slug: data}``); ``print_template`` extends ``base_print.html``.
    """

    key: str
    number: str
    title: Promise
    sections: tuple[Section, ...]
    print_template: str
    print_context: Callable[..., dict]
    # Who needs the form: (person, application, today) -> bool. Default: the forms listed
    # for the person by applications.tasks_list.forms_for_person (workflow.md §4).
    needs: Callable[[Any, Any, date], bool] | None = None
    schema_version: int = 1

    def __post_init__(self):
        slugs = [section.slug for section in self.sections]
        if len(set(slugs)) != len(slugs):
            raise ValueError(f"{self.key}: two sections share a slug")

    def section(self, slug: str) -> Section | None:
        return next((s for s in self.sections if s.slug == slug), None)

    def sections_for(self, person, context: SectionContext) -> list[Section]:
        return [s for s in self.sections if s.applies is None or s.applies(person, context)]

    def profile_fields(self) -> list[ProfileField]:
        seen, fields = set(), []
        for section in self.sections:
            for profile_field in section.profile_fields:
                if profile_field.key not in seen:
                    seen.add(profile_field.key)
                    fields.append(profile_field)
        return fields


@dataclass
class SummaryError:
    anchor: str  # the id of the element the summary links to
    label: str
    message: str


@dataclass
class BoundSection:
    """A section's main form and table formsets, bound together (or unbound with ``stored``)."""

    section: Section
    post: Any = None
    stored: dict | None = None
    context: SectionContext | None = None
    strict: bool = False
    form: forms.SectionForm = field(init=False)
    tables: dict[str, forms.TableFormSet] = field(init=False)

    def __post_init__(self):
        section, stored = self.section, self.stored or {}
        if self.post is None and section.initial is not None and self.context is not None:
            stored = section.initial(stored, self.context)
        form_class = section.submit_form if self.strict else section.edit_form
        if self.post is None:
            self.form = form_class(initial=stored, context=self.context)
        else:
            self.form = form_class(self.post, context=self.context)
        self.tables = {}
        for table in section.tables:
            formset_class = table.submit_formset if self.strict else table.edit_formset
            if self.post is None:
                formset = formset_class(
                    initial=stored.get(table.name) or [], prefix=table.name, context=self.context
                )
            else:
                formset = formset_class(self.post, prefix=table.name, context=self.context)
            self.tables[table.name] = formset

    def is_valid(self) -> bool:
        tables_valid = True
        for name, formset in self.tables.items():
            valid = formset.is_valid()
            tables_valid = tables_valid and valid
            self.form.tables[name] = formset.rows() if valid else None
            self.form.table_sizes[name] = len(formset.forms) if formset.is_bound else 0
        return self.form.is_valid() and tables_valid

    def to_data(self) -> dict:
        data = self.form.to_data()
        for name, formset in self.tables.items():
            data[name] = formset.rows()
        return data

    @property
    def is_bound(self) -> bool:
        return self.post is not None

    def has_errors(self) -> bool:
        return self.is_bound and bool(self.errors())

    def errors(self) -> list[SummaryError]:
        """Every error in page order, each linking to its field or to the row to fix."""
        if not self.is_bound:
            return []
        found = [SummaryError("section-form", "", str(e)) for e in self.form.non_field_errors()]
        found += _field_errors(self.form, prefix_label="")
        for table in self.section.tables:
            formset = self.tables[table.name]
            for message, row in formset.problems:
                anchor = (
                    f"id_{table.name}-{row - 1}-{_first_field(table)}"
                    if row and row <= len(formset.forms)
                    else f"table-{table.name}"
                )
                found.append(SummaryError(anchor, str(table.title), message))
            if not formset.problems:
                found += [
                    SummaryError(f"table-{table.name}", str(table.title), str(e))
                    for e in formset.non_form_errors()
                ]
            for number, row_form in enumerate(formset.forms, start=1):
                label = _("%(table)s, row %(row)s") % {"table": table.title, "row": number}
                found += _field_errors(row_form, prefix_label=label)
        return found

    def warnings(self) -> dict[str, list]:
        """``{table name: [periods.Problem]}`` of each table's ``warn`` (never blocking)."""
        found = {}
        for table in self.section.tables:
            if table.warn is None:
                continue
            formset = self.tables[table.name]
            if formset.is_bound:
                rows = formset.rows() if formset.is_valid() else []
            else:
                rows = formset.initial or []
            found[table.name] = list(table.warn(rows, self.context))
        return found

    def period_problems(self) -> list:
        problems = []
        for formset in self.tables.values():
            problems += formset.period_problems
        return problems


def _first_field(table: TableSpec) -> str:
    return next(name for name in table.edit_form.base_fields if name != "id")


def _field_errors(form, *, prefix_label) -> list[SummaryError]:
    found = []
    for bound_field in form:
        for error in bound_field.errors:
            anchor = bound_field.auto_id
            if isinstance(bound_field.field.widget, django_forms.RadioSelect):
                anchor = f"{anchor}_0"
            label = f"{prefix_label}: {bound_field.label}" if prefix_label else bound_field.label
            found.append(SummaryError(anchor, str(label), str(error)))
    return found
