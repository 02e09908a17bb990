"""IMM 5562 Supplementary Information: Your Travels (forms.md §6).

One form per application, kept with the principal applicant: Section A lists the principal
applicant's trips, Section B the spouse's or partner's (only when one is on the application),
Section C those of the dependent children 18 or older, in one shared table whose rows name the
child. A section with no such person prints IRCC's "Not Applicable" (forms.md §2.6).

Each table covers the period of forms.md §2.3 for its traveller (the past 10 years, or since
their 18th birthday), at month precision. "I did not travel" is an explicit answer. Trips are
checked with ``periods.check_trips``: a trip that ended before the period is an error;
overlapping trips, and a trip that started before the period, are warnings shown on the page
that never block.
"""

from __future__ import annotations

from django import forms as django_forms
from django.utils.translation import gettext_lazy as _

from applications.models import Person
from applications.tasks_list import forms_for_person

from .forms import FlagField, MonthField, RowForm, SectionForm, StrictMixin, TextField
from .imm5669 import DatedRowMixin
from .periods import ERROR, WARNING, Month, TripRow, check_trips, period_start
from .printing import NOT_APPLICABLE, Cells
from .spec import FormSpec, ProfileField, Section, TableSpec

FORM = "imm5562"
NOT_APPLICABLE_LITERAL = "Not Applicable"  # IRCC's literal in the first Purpose cell (§2.6)
Role = Person.Role


def spouse_of(context):
    return next((p for p in context.everyone if p.role == Role.SPOUSE_PARTNER), None)


def adult_children(context) -> list:
    """The dependent children 18 or older on ``context.today`` (Section C)."""
    return [
        p
        for p in context.everyone
        if p.role == Role.DEPENDENT_CHILD
        and p.age_on(context.today) is not None
        and p.age_on(context.today) >= Person.ADULT_AGE
    ]


def traveller_period(person, context) -> Month:
    return period_start(reference=context.today, date_of_birth=person.date_of_birth)


# --- trips ------------------------------------------------------------------------------------


def _trip_problems(rows, context, traveller_of) -> list:
    """``check_trips`` per traveller (each has their own period); rows missing a month are
    left out (their own errors say so)."""
    groups: dict = {}
    for number, row in enumerate(rows, start=1):
        traveller = traveller_of(row, context)
        if traveller is None or not row.get("start") or not row.get("end"):
            continue
        try:
            trip = TripRow(number, Month.parse(row["start"]), Month.parse(row["end"]))
        except ValueError:
            continue
        groups.setdefault(traveller.pk, (traveller, []))[1].append(trip)
    problems = []
    for traveller, trips in groups.values():
        problems += check_trips(
            trips,
            period_start=traveller_period(traveller, context),
            current=context.current,
            did_not_travel=False,
        )
    return problems


def _checks(traveller_of):
    def check(rows, context):
        return [p for p in _trip_problems(rows, context, traveller_of) if p.severity == ERROR]

    def warn(rows, context):
        return [p for p in _trip_problems(rows, context, traveller_of) if p.severity == WARNING]

    return check, warn


def _applicant(row, context):
    return context.person


def _spouse(row, context):
    return spouse_of(context)


def _child(row, context):
    return next((p for p in adult_children(context) if str(p.public_id) == row.get("child")), None)


class TripEditForm(RowForm):
    form_key = FORM

    start = MonthField(label=_("From"))
    end = MonthField(label=_("To"))
    length_of_stay = TextField(
        label=_("Length of stay"),
        limit="trip.length_of_stay",
        help_text=_("For example 12 days."),
    )
    destination = TextField(
        label=_("Destination (city and country)"),
        limit="trip.destination",
    )
    purpose = TextField(
        label=_("Purpose of travel"),
        limit="trip.purpose",
        help_text=_("For example tourism, business, training, family visit."),
    )


class TripSubmitForm(DatedRowMixin, StrictMixin, TripEditForm):
    required_fields = ("start", "end", "length_of_stay", "destination", "purpose")
    required_messages = {"end": _("Enter the month the trip ended.")}


class ChildTripEditForm(TripEditForm):
    child = django_forms.ChoiceField(label=_("Child"), required=False, choices=())

    field_order = ("child", "start", "end", "length_of_stay", "destination", "purpose")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        children = adult_children(self.context) if self.context else []
        self.fields["child"].choices = [("", _("Choose…"))] + [
            (str(p.public_id), p.given_names or p.full_name) for p in children
        ]


class ChildTripSubmitForm(DatedRowMixin, StrictMixin, ChildTripEditForm):
    required_fields = ("child", *TripSubmitForm.required_fields)
    required_messages = {**TripSubmitForm.required_messages, "child": _("Choose the child.")}


class TravelsEditForm(SectionForm):
    form_key = FORM

    did_not_travel = FlagField(label=_("Did not travel in the period"))


class TravelsSubmitForm(StrictMixin, TravelsEditForm):
    """ "Did not travel" ticked, or at least one trip, never both (forms.md §6)."""

    def clean_strict(self, cleaned):
        rows = self.table_sizes.get("trips", 0)
        if cleaned.get("did_not_travel") and rows:
            self.add_error(
                "did_not_travel",
                django_forms.ValidationError(
                    _(
                        "You ticked “Did not travel” but listed trips. Remove the trips or "
                        "untick it."
                    ),
                    code="did_not_travel_with_rows",
                ),
            )
        elif not cleaned.get("did_not_travel") and not rows:
            self.add_error(
                "did_not_travel",
                django_forms.ValidationError(
                    _("List every trip in the period, or tick “Did not travel”."),
                    code="trips_missing",
                ),
            )


def _trips_table(edit_form, submit_form, traveller_of, period):
    check, warn = _checks(traveller_of)
    return TableSpec(
        name="trips",
        edit_form=edit_form,
        submit_form=submit_form,
        title=_("Trips"),
        add_label=_("Add a trip"),
        check=check,
        warn=warn,
        period=period,
        gap_rule=False,
        none_field="did_not_travel",
        none_cell="purpose",
    )


PROFILE_FIELDS = (
    ProfileField("family_name", _("Family name"), lambda person: person.family_name),
    ProfileField("given_names", _("Given name(s)"), lambda person: person.given_names),
)

INTRO = _(
    "Every trip outside your country of origin or of residence in the period, for any "
    "purpose: tourism, business, training, family and so on. Months only; type the length "
    "of stay yourself."
)

SECTIONS = (
    Section(
        form=FORM,
        slug="applicant",
        letter="A",
        title=_("Principal applicant's travels"),
        edit_form=TravelsEditForm,
        submit_form=TravelsSubmitForm,
        tables=(
            _trips_table(
                TripEditForm,
                TripSubmitForm,
                _applicant,
                lambda context: traveller_period(context.person, context),
            ),
        ),
        intro=INTRO,
        profile_fields=PROFILE_FIELDS,
    ),
    Section(
        form=FORM,
        slug="spouse",
        letter="B",
        title=_("Spouse's or common-law partner's travels"),
        edit_form=TravelsEditForm,
        submit_form=TravelsSubmitForm,
        tables=(
            _trips_table(
                TripEditForm,
                TripSubmitForm,
                _spouse,
                lambda context: traveller_period(spouse_of(context), context),
            ),
        ),
        intro=INTRO,
        applies=lambda person, context: spouse_of(context) is not None,
    ),
    Section(
        form=FORM,
        slug="children",
        letter="C",
        title=_("Travels of dependent children 18 or older"),
        edit_form=TravelsEditForm,
        submit_form=TravelsSubmitForm,
        tables=(_trips_table(ChildTripEditForm, ChildTripSubmitForm, _child, None),),
        intro=_(
            "One table for every dependent child 18 or older: each row names the child. Each "
            "child's period starts 10 years ago or on their 18th birthday, whichever is later."
        ),
        applies=lambda person, context: bool(adult_children(context)),
    ),
)


def needs_form(person, application, today) -> bool:
    """Kept with the principal applicant, covering the spouse and the adult children."""
    return person.is_principal and FORM in dict(
        forms_for_person(person, application.program, today)
    )


# --- printable view ------------------------------------------------------------------------------

COLUMNS = ("start", "end", "length_of_stay", "destination", "purpose")


def _printed_trips(cells, section: Section, data: dict, *, applies: bool, child_names=None):
    table = section.tables[0]
    columns = ("child", *COLUMNS) if child_names is not None else COLUMNS
    label = f"{section.letter}. {section.title}"
    rows = []
    for number, row in enumerate(data.get("trips") or [], start=1):
        printed = []
        for name in columns:
            if name == "child":
                printed.append(child_names.get(row.get("child"), ""))
            elif name in ("start", "end"):
                printed.append(row.get(name) or "")
            else:
                printed.append(
                    cells.text(table.edit_form, name, row.get(name), section=label, row=number)
                )
        rows.append(printed)
    literal = None
    if not applies:
        literal = NOT_APPLICABLE_LITERAL
    elif data.get("did_not_travel") and not rows:
        literal = "did_not_travel"
    return {
        "title": section.title,
        "letter": section.letter,
        "headers": [
            (table.column_label(name), "month" if name in ("start", "end") else "")
            for name in columns
        ],
        "rows": rows,
        "none_row": [literal if name == "purpose" else NOT_APPLICABLE for name in columns]
        if literal == NOT_APPLICABLE_LITERAL
        else None,
        "did_not_travel": literal == "did_not_travel",
    }


def print_context(answers: dict, context) -> dict:
    person = context.person
    cells = Cells(person_label=person.full_name, form_label="IMM 5562")
    sections = {section.slug: section for section in SECTIONS}
    children = adult_children(context)
    printed = {
        "person": person,
        "spouse": spouse_of(context),
        "children": children,
        "tables": [
            _printed_trips(
                cells, sections["applicant"], answers.get("applicant", {}), applies=True
            ),
            _printed_trips(
                cells,
                sections["spouse"],
                answers.get("spouse", {}),
                applies=spouse_of(context) is not None,
            ),
            _printed_trips(
                cells,
                sections["children"],
                answers.get("children", {}),
                applies=bool(children),
                child_names={str(p.public_id): p.given_names or p.full_name for p in children},
            ),
        ],
    }
    cells.build()
    printed["annex"] = cells.annex
    return printed


IMM5562 = FormSpec(
    key=FORM,
    number="IMM 5562",
    title=_("Supplementary Information: Your Travels"),
    sections=SECTIONS,
    print_template="forms_imm/print/imm5562.html",
    print_context=print_context,
    needs=needs_form,
)
