"""IMM 5669 Schedule A: Background/Declaration (forms.md §4), Sections A to H.

Every adult of the application fills one: the principal applicant, the spouse or partner and
each dependent child 18 or older (for protected persons, only family members in Canada). The
fields, limits and rules are those of forms.md §4; limits are looked up in limits.json under
``("imm5669", "<section>.<field>")``.
"""

from __future__ import annotations

from django import forms as django_forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from applications.tasks_list import forms_for_person

from . import reference
from .forms import (
    CodeField,
    Fieldset,
    FlagField,
    FullDateField,
    MonthField,
    RowForm,
    SectionForm,
    StrictMixin,
    TextField,
    YearsField,
    YesNoField,
)
from .periods import HistoryRow, Month, check_history
from .printing import NONE_LITERAL, NOT_APPLICABLE, PRESENT, Cells
from .spec import FormSpec, ProfileField, Section, TableSpec
from .validators import PO_BOX_RE, native_script_name, normalize_postal_code

FORM = "imm5669"


# --- shared rules -------------------------------------------------------------------------------


class DatedRowMixin:
    """From and To months (or "to present") of a table row, checked when strict.

    Rows store ``start``, ``end`` (``YYYY-MM``) and ``present`` (bool).
    """

    def clean_strict(self, cleaned):
        super().clean_strict(cleaned)
        start, end, present = cleaned.get("start"), cleaned.get("end"), cleaned.get("present")
        current = self.context.current if self.context else None
        if not end and not present and "end" not in self.errors:
            self.add_error(
                "end",
                django_forms.ValidationError(
                    _("Enter the To month, or tick “to present”."), code="end_required"
                ),
            )
        if end and present:
            self.add_error(
                "end",
                django_forms.ValidationError(
                    _("Leave the To month empty when the row is marked “to present”."),
                    code="end_and_present",
                ),
            )
        if start and current and Month.parse(start) > current:
            self.add_error(
                "start",
                django_forms.ValidationError(_("This month is in the future."), code="future"),
            )
        if end and current and Month.parse(end) > current:
            self.add_error(
                "end",
                django_forms.ValidationError(
                    _(
                        "This month is in the future. Tick “to present” for something still "
                        "going on."
                    ),
                    code="future",
                ),
            )
        if start and end and Month.parse(end) < Month.parse(start):
            self.add_error(
                "end",
                django_forms.ValidationError(
                    _("The To month cannot be before the From month."), code="end_before_start"
                ),
            )


class NoneOrRowsMixin:
    """The "None" control of a table (forms.md §2.6): ticked, or at least one row, not both.
    Subclasses name their control and word its messages (IMM 5406 says "Not applicable")."""

    none_field = "no_rows"
    table_name = ""
    both_message = _("You ticked “None” but listed rows. Remove the rows or untick “None”.")
    both_code = "none_with_rows"
    neither_message = _("Add at least one row, or tick “None”.")
    neither_code = "none_or_rows"

    def clean_strict(self, cleaned):
        super().clean_strict(cleaned)
        rows = self.table_sizes.get(self.table_name, 0)
        if cleaned.get(self.none_field) and rows:
            message, code = self.both_message, self.both_code
        elif not cleaned.get(self.none_field) and not rows:
            message, code = self.neither_message, self.neither_code
        else:
            return
        self.add_error(self.none_field, django_forms.ValidationError(message, code=code))


def _month_fields(*, present_label=None):
    return {
        "start": MonthField(label=_("From")),
        "end": MonthField(label=_("To")),
        "present": FlagField(label=present_label or _("To present")),
    }


def history_check(rows, context):
    """Personal history and addresses cover the whole period with no gap (forms.md §2.3-2.4)."""
    history = [
        HistoryRow(
            index=number,
            start=Month.parse(row["start"]),
            end=None if row.get("present") else Month.parse(row["end"]),
        )
        for number, row in enumerate(rows, start=1)
    ]
    return check_history(history, period_start=context.period_start, current=context.current)


# --- Section A: personal details (and parents) -------------------------------------------------


PROFILE_FIELDS = (
    ProfileField(
        "filling_for",
        _("Filling out this form for"),
        lambda person: "principal_applicant" if person.is_principal else "other",
        lambda person: _("Principal applicant") if person.is_principal else _("Other"),
    ),
    ProfileField("family_name", _("Family name(s)"), lambda person: person.family_name),
    ProfileField("given_names", _("Given name(s)"), lambda person: person.given_names),
    ProfileField("date_of_birth", _("Date of birth"), lambda person: person.date_of_birth),
)


class PersonalEditForm(SectionForm):
    form_key = FORM

    native_name = TextField(
        label=_("Full name in your native language"),
        limit="personal.native_name",
        help_text=_("Only if your native language is written in another alphabet."),
    )
    father_family_name = TextField(label=_("Father's family name(s)"), limit="father.family_name")
    father_given_names = TextField(
        label=_("Father's given name(s)"),
        limit="father.given_name",
        help_text=_("Leave empty if his documents show only one name."),
    )
    father_date_of_birth = FullDateField(label=_("Father's date of birth"))
    father_date_of_death = FullDateField(
        label=_("Father's date of death"),
        help_text=_("Only if he has died. Format: YYYY-MM-DD."),
    )
    father_birth_city = TextField(
        label=_("Father's town or city of birth"), limit="father.birth_city"
    )
    father_birth_country = TextField(
        label=_("Father's country or territory of birth"), limit="father.birth_country"
    )
    mother_family_name = TextField(
        label=_("Mother's family name(s) at birth"), limit="mother.family_name"
    )
    mother_given_names = TextField(
        label=_("Mother's given name(s)"),
        limit="mother.given_name",
        help_text=_("Leave empty if her documents show only one name."),
    )
    mother_date_of_birth = FullDateField(label=_("Mother's date of birth"))
    mother_date_of_death = FullDateField(
        label=_("Mother's date of death"),
        help_text=_("Only if she has died. Format: YYYY-MM-DD."),
    )
    mother_birth_city = TextField(
        label=_("Mother's town or city of birth"), limit="mother.birth_city"
    )
    mother_birth_country = TextField(
        label=_("Mother's country or territory of birth"), limit="mother.birth_country"
    )

    fieldsets = (
        Fieldset(_("Your name in your native language"), ["native_name"]),
        Fieldset(
            _("Father"),
            [
                "father_family_name",
                "father_given_names",
                "father_date_of_birth",
                "father_date_of_death",
                "father_birth_city",
                "father_birth_country",
            ],
        ),
        Fieldset(
            _("Mother"),
            [
                "mother_family_name",
                "mother_given_names",
                "mother_date_of_birth",
                "mother_date_of_death",
                "mother_birth_city",
                "mother_birth_country",
            ],
        ),
    )


class PersonalSubmitForm(StrictMixin, PersonalEditForm):
    required_fields = (
        "father_family_name",
        "father_date_of_birth",
        "father_birth_city",
        "father_birth_country",
        "mother_family_name",
        "mother_date_of_birth",
        "mother_birth_city",
        "mother_birth_country",
    )

    def clean_strict(self, cleaned):
        if cleaned.get("native_name"):
            try:
                native_script_name(cleaned["native_name"])
            except django_forms.ValidationError as error:
                self.add_error("native_name", error)
        born = self.context.person.date_of_birth if self.context else None
        for parent in ("father", "mother"):
            birth = cleaned.get(f"{parent}_date_of_birth")
            death = cleaned.get(f"{parent}_date_of_death")
            if birth and death and death < birth:
                self.add_error(
                    f"{parent}_date_of_death",
                    django_forms.ValidationError(
                        _("The date of death cannot be before the date of birth."),
                        code="death_before_birth",
                    ),
                )
            if birth and born and birth >= born:
                self.add_error(
                    f"{parent}_date_of_birth",
                    django_forms.ValidationError(
                        _("A parent's date of birth must be before the applicant's (%(date)s)."),
                        code="parent_born_after_child",
                        params={"date": born.isoformat()},
                    ),
                )


# --- Section B: background questions ------------------------------------------------------------

_QUESTIONS = {item["code"]: item["letter"] for item in reference.items("background_question")}
_QUESTION_TEXT = dict(reference.choices("background_question"))
QUESTION_CODES = tuple(_QUESTIONS)


def _question(code: str) -> YesNoField:
    return YesNoField(label=format_lazy("({}) {}", _QUESTIONS[code], _QUESTION_TEXT[code]))


class BackgroundEditForm(SectionForm):
    form_key = FORM

    criminal_canada = _question("criminal_canada")
    criminal_abroad = _question("criminal_abroad")
    refugee_claim = _question("refugee_claim")
    refused_visa = _question("refused_visa")
    refused_admission = _question("refused_admission")
    war_crimes = _question("war_crimes")
    armed_struggle = _question("armed_struggle")
    violent_group = _question("violent_group")
    criminal_organization = _question("criminal_organization")
    detention = _question("detention")
    serious_disease = _question("serious_disease")
    details = TextField(
        label=_("Details"),
        limit="background.details",
        multiline=True,
        help_text=_(
            "Required if you answered yes to any question. For each yes: the question's "
            "letter, what happened, when, where and the outcome."
        ),
    )

    fieldsets = (
        Fieldset(reference.background_stem(), QUESTION_CODES),
        Fieldset(_("Details of every “yes”"), ["details"]),
    )


class BackgroundSubmitForm(StrictMixin, BackgroundEditForm):
    required_fields = QUESTION_CODES

    def clean_strict(self, cleaned):
        letters = [_QUESTIONS[code] for code in QUESTION_CODES if cleaned.get(code) is True]
        if letters and not cleaned.get("details"):
            self.add_error(
                "details",
                django_forms.ValidationError(
                    _(
                        "You answered yes to %(letters)s: give the details of each "
                        "(the letter, what happened, when, where and the outcome)."
                    ),
                    code="yes_needs_details",
                    params={"letters": ", ".join(f"({letter})" for letter in letters)},
                ),
            )


# --- Section C: education ----------------------------------------------------------------------


class EducationEditForm(SectionForm):
    form_key = FORM

    years_elementary = YearsField(label=_("Years of elementary or primary school"))
    years_secondary = YearsField(label=_("Years of secondary school"))
    years_university = YearsField(label=_("Years of university and college"))
    years_trade = YearsField(label=_("Years of trade school or other post-secondary school"))
    no_rows = FlagField(label=_("None: no post-secondary education to list"))

    fieldsets = (
        Fieldset(
            _("Years of education"),
            ["years_elementary", "years_secondary", "years_university", "years_trade"],
        ),
        Fieldset(_("Post-secondary education"), ["no_rows"]),
    )


class EducationSubmitForm(NoneOrRowsMixin, StrictMixin, EducationEditForm):
    required_fields = ("years_elementary", "years_secondary", "years_university", "years_trade")
    table_name = "schools"

    def clean_strict(self, cleaned):
        super().clean_strict(cleaned)
        post_secondary = (cleaned.get("years_university") or 0) + (cleaned.get("years_trade") or 0)
        if post_secondary and cleaned.get("no_rows") and "no_rows" not in self.errors:
            self.add_error(
                "no_rows",
                django_forms.ValidationError(
                    _("You gave years of post-secondary education: list the schools."),
                    code="post_secondary_rows",
                ),
            )


class SchoolEditForm(RowForm):
    form_key = FORM

    start = MonthField(label=_("From"))
    end = MonthField(label=_("To"))
    present = FlagField(label=_("Still studying (to present)"))
    institution = TextField(label=_("Name of institution"), limit="education.institution")
    city_country = TextField(label=_("City and country"), limit="education.city_country")
    certificate = TextField(
        label=_("Type of certificate or diploma issued"),
        limit="education.certificate",
        help_text=_("Leave empty if none was earned."),
    )
    field_of_study = TextField(label=_("Field of study"), limit="education.field_of_study")


class SchoolSubmitForm(DatedRowMixin, StrictMixin, SchoolEditForm):
    required_fields = ("start", "institution", "city_country", "field_of_study")


# --- Section D: personal history -----------------------------------------------------------------


class HistoryEditForm(SectionForm):
    form_key = FORM


class HistorySubmitForm(StrictMixin, HistoryEditForm):
    pass


class HistoryRowEditForm(RowForm):
    form_key = FORM

    start = MonthField(label=_("From"))
    end = MonthField(label=_("To"))
    present = FlagField(label=_("To present"))
    activity = TextField(
        label=_("Activity"),
        limit="history.activity",
        help_text=_(
            "Name the job, or say unemployed, studying, homemaker, retired and so on. "
            "No abbreviations."
        ),
    )
    city_country = TextField(label=_("City and country"), limit="history.city_country")
    status = TextField(
        label=_("Status in the country or territory"),
        limit="history.status",
        help_text=_("For example citizen, work visa, study visa, visitor."),
    )
    employer = TextField(
        label=_("Name of company, employer, school or facility"),
        limit="history.employer",
        help_text=_("Enter N/A if unemployed, a homemaker or retired."),
    )


class HistoryRowSubmitForm(DatedRowMixin, StrictMixin, HistoryRowEditForm):
    required_fields = ("start", "activity", "city_country", "status", "employer")


# --- Section E: membership ---------------------------------------------------------------------


class MembershipEditForm(SectionForm):
    form_key = FORM

    no_rows = FlagField(label=_("None: no memberships to list"))


class MembershipSubmitForm(NoneOrRowsMixin, StrictMixin, MembershipEditForm):
    table_name = "memberships"


class MembershipRowEditForm(RowForm):
    form_key = FORM

    start = MonthField(label=_("From"))
    end = MonthField(label=_("To"))
    present = FlagField(label=_("Still a member (to present)"))
    organization = TextField(label=_("Name of organization"), limit="membership.organization")
    type = TextField(label=_("Type of organization"), limit="membership.type")
    activities = TextField(
        label=_("Activities and/or positions held"), limit="membership.activities"
    )
    city_country = TextField(label=_("City and country"), limit="membership.city_country")


class MembershipRowSubmitForm(DatedRowMixin, StrictMixin, MembershipRowEditForm):
    required_fields = ("start", "organization", "type", "activities", "city_country")


# --- Section F: government positions -----------------------------------------------------------


class GovernmentEditForm(SectionForm):
    form_key = FORM

    no_rows = FlagField(label=_("None: no government positions to list"))


class GovernmentSubmitForm(NoneOrRowsMixin, StrictMixin, GovernmentEditForm):
    table_name = "positions"


class PositionEditForm(RowForm):
    form_key = FORM

    start = MonthField(label=_("From"))
    end = MonthField(label=_("To"))
    present = FlagField(label=_("Still in this position (to present)"))
    jurisdiction = TextField(
        label=_("Country and level of jurisdiction"),
        limit="government.jurisdiction",
        help_text=_("For example: Canada, municipal."),
    )
    department = TextField(label=_("Department or branch"), limit="government.department")
    activities = TextField(
        label=_("Activities and/or positions held"), limit="government.activities"
    )


class PositionSubmitForm(DatedRowMixin, StrictMixin, PositionEditForm):
    required_fields = ("start", "jurisdiction", "department", "activities")


# --- Section G: military and paramilitary service ---------------------------------------------


class MilitaryEditForm(SectionForm):
    form_key = FORM

    no_rows = FlagField(label=_("None: no military or paramilitary service to list"))


class MilitarySubmitForm(NoneOrRowsMixin, StrictMixin, MilitaryEditForm):
    table_name = "services"


class ServiceEditForm(RowForm):
    form_key = FORM

    country = TextField(label=_("Country"), limit="military.country")
    branch = TextField(
        label=_("Branch of service, unit numbers and names of commanding officers"),
        limit="military.branch",
    )
    start = MonthField(label=_("From"))
    end = MonthField(label=_("To"))
    present = FlagField(label=_("Still serving (to present)"))
    rank = TextField(label=_("Rank(s)"), limit="military.rank")
    combat = TextField(
        label=_("Places and dates of active combat"),
        limit="military.combat",
        multiline=True,
        help_text=_("Enter N/A if none."),
    )
    end_reason = TextField(
        label=_("Reason for end of service"),
        limit="military.end_reason",
        help_text=_("Leave empty if still serving."),
    )


class ServiceSubmitForm(DatedRowMixin, StrictMixin, ServiceEditForm):
    required_fields = ("country", "branch", "start", "rank", "combat")

    def clean_strict(self, cleaned):
        super().clean_strict(cleaned)
        if not cleaned.get("present") and not cleaned.get("end_reason"):
            self.add_error(
                "end_reason",
                django_forms.ValidationError(
                    _("Give the reason the service ended."), code="end_reason_required"
                ),
            )


# --- Section H: addresses -----------------------------------------------------------------------

_CANADA = {"canada", "ca", "can"}
_UNITED_STATES = {
    "united states", "united states of america", "usa", "us", "u.s.a.", "u.s.",
    "états-unis", "etats-unis", "états-unis d'amérique",
}  # fmt: skip


def _country_is(value: str, names: set[str]) -> bool:
    return (value or "").strip().lower() in names


class AddressesEditForm(SectionForm):
    form_key = FORM


class AddressesSubmitForm(StrictMixin, AddressesEditForm):
    pass


class AddressEditForm(RowForm):
    form_key = FORM

    start = MonthField(label=_("From"))
    end = MonthField(label=_("To"))
    present = FlagField(label=_("Current address (to present)"))
    street = TextField(
        label=_("Street and number"),
        limit="address.street",
        help_text=_("A post office box is not accepted."),
    )
    city = TextField(label=_("City or town"), limit="address.city")
    province = TextField(
        label=_("Province, state or district"),
        limit="address.province",
        help_text=_("Required in Canada and the United States."),
    )
    postal_code = CodeField(
        label=_("Postal code"),
        limit="address.postal_code",
        help_text=_("Required in Canada."),
    )
    country = TextField(label=_("Country or territory"), limit="address.country")


class AddressSubmitForm(DatedRowMixin, StrictMixin, AddressEditForm):
    required_fields = ("start", "street", "city", "country")

    def clean_strict(self, cleaned):
        super().clean_strict(cleaned)
        street = cleaned.get("street") or ""
        if street and PO_BOX_RE.search(street):
            self.add_error(
                "street",
                django_forms.ValidationError(
                    _("Enter a street address. A post office box is not accepted here."),
                    code="po_box",
                ),
            )
        country = cleaned.get("country") or ""
        in_canada = _country_is(country, _CANADA)
        if (in_canada or _country_is(country, _UNITED_STATES)) and not cleaned.get("province"):
            self.add_error(
                "province",
                django_forms.ValidationError(
                    _("Enter the province, state or territory."), code="province_required"
                ),
            )
        postal_code = cleaned.get("postal_code") or ""
        if in_canada and not postal_code:
            self.add_error(
                "postal_code",
                django_forms.ValidationError(
                    _("Enter the postal code."), code="postal_code_required"
                ),
            )
        elif in_canada and "postal_code" not in self.errors:
            try:
                cleaned["postal_code"] = normalize_postal_code(postal_code)
            except django_forms.ValidationError as error:
                self.add_error("postal_code", error)


# --- the form --------------------------------------------------------------------------------


def needs_form(person, application, today) -> bool:
    return FORM in dict(forms_for_person(person, application.program, today))


SECTIONS = (
    Section(
        form=FORM,
        slug="personal",
        letter="A",
        title=_("Personal details"),
        edit_form=PersonalEditForm,
        submit_form=PersonalSubmitForm,
        intro=_(
            "Your name and date of birth come from the profile. Give your parents' details "
            "even if they have died; a date of death means the parent has died."
        ),
        profile_fields=PROFILE_FIELDS,
    ),
    Section(
        form=FORM,
        slug="background",
        letter="B",
        title=_("Background questions"),
        edit_form=BackgroundEditForm,
        submit_form=BackgroundSubmitForm,
        intro=_(
            "Answer every question. The principal applicant answers for themselves and for "
            "every family member in the application."
        ),
    ),
    Section(
        form=FORM,
        slug="education",
        letter="C",
        title=_("Education"),
        edit_form=EducationEditForm,
        submit_form=EducationSubmitForm,
        tables=(
            TableSpec(
                name="schools",
                edit_form=SchoolEditForm,
                submit_form=SchoolSubmitForm,
                title=_("Post-secondary schools"),
                add_label=_("Add a school"),
                none_field="no_rows",
            ),
        ),
        intro=_(
            "Give the years of each kind of schooling, then list each university, college, "
            "trade school or apprenticeship."
        ),
    ),
    Section(
        form=FORM,
        slug="history",
        letter="D",
        title=_("Personal history"),
        edit_form=HistoryEditForm,
        submit_form=HistorySubmitForm,
        tables=(
            TableSpec(
                name="history",
                edit_form=HistoryRowEditForm,
                submit_form=HistoryRowSubmitForm,
                title=_("Personal history"),
                add_label=_("Add a period"),
                check=history_check,
            ),
        ),
        intro=_(
            "Say what you were doing every month of the period, with no gaps: work, study, "
            "unemployment, homemaking, travel and so on. Each From repeats the To of the row "
            "before it; mark the last row “to present”."
        ),
    ),
    Section(
        form=FORM,
        slug="membership",
        letter="E",
        title=_("Membership"),
        edit_form=MembershipEditForm,
        submit_form=MembershipSubmitForm,
        tables=(
            TableSpec(
                name="memberships",
                edit_form=MembershipRowEditForm,
                submit_form=MembershipRowSubmitForm,
                title=_("Memberships"),
                add_label=_("Add a membership"),
                none_field="no_rows",
            ),
        ),
        intro=_(
            "Every political, social, youth, student, trade union or professional "
            "organization you have been a member of."
        ),
    ),
    Section(
        form=FORM,
        slug="government",
        letter="F",
        title=_("Government positions"),
        edit_form=GovernmentEditForm,
        submit_form=GovernmentSubmitForm,
        tables=(
            TableSpec(
                name="positions",
                edit_form=PositionEditForm,
                submit_form=PositionSubmitForm,
                title=_("Government positions"),
                add_label=_("Add a position"),
                none_field="no_rows",
            ),
        ),
        intro=_(
            "Any government position, such as civil servant, judge, police officer, mayor, "
            "member of a legislature, hospital administrator or employee of a security "
            "organization."
        ),
    ),
    Section(
        form=FORM,
        slug="military",
        letter="G",
        title=_("Military and paramilitary service"),
        edit_form=MilitaryEditForm,
        submit_form=MilitarySubmitForm,
        tables=(
            TableSpec(
                name="services",
                edit_form=ServiceEditForm,
                submit_form=ServiceSubmitForm,
                title=_("Military and paramilitary service"),
                add_label=_("Add a period of service"),
                none_field="no_rows",
                none_cell="country",
            ),
        ),
    ),
    Section(
        form=FORM,
        slug="addresses",
        letter="H",
        title=_("Addresses"),
        edit_form=AddressesEditForm,
        submit_form=AddressesSubmitForm,
        tables=(
            TableSpec(
                name="addresses",
                edit_form=AddressEditForm,
                submit_form=AddressSubmitForm,
                title=_("Addresses"),
                add_label=_("Add an address"),
                check=history_check,
            ),
        ),
        intro=_(
            "Every address where you lived during the period, with no gaps and no post "
            "office boxes. The last row is your current address, “to present”."
        ),
    ),
)


# --- printable view ------------------------------------------------------------------------------


def _table_rows(cells, table: TableSpec, rows, *, section_label, columns):
    """Each row as its printed cells, in column order ("present" prints in the To cell)."""
    printed = []
    for number, row in enumerate(rows, start=1):
        printed_row = []
        for name in columns:
            value = row.get(name)
            if name == "end" and row.get("present"):
                printed_row.append(PRESENT)
            elif name in ("start", "end"):
                printed_row.append(value or "")
            else:
                printed_row.append(
                    cells.text(table.edit_form, name, value, section=section_label, row=number)
                )
        printed.append(printed_row)
    return printed


def _printed_table(cells, section: Section, data: dict, columns):
    table = section.tables[0]
    rows = data.get(table.name) or []
    none_ticked = bool(table.none_field and data.get(table.none_field) and not rows)
    label = f"{section.letter}. {section.title}"
    return {
        "headers": [
            (table.column_label(name), "month" if name in ("start", "end") else "")
            for name in columns
        ],
        "columns": columns,
        "rows": _table_rows(cells, table, rows, section_label=label, columns=columns),
        "none_row": [
            NONE_LITERAL if name == table.none_cell else NOT_APPLICABLE for name in columns
        ]
        if none_ticked
        else None,
    }


def print_context(answers: dict, context) -> dict:
    """Everything templates/forms_imm/print/imm5669.html shows, cut to fit, with the annex."""
    person = context.person
    sections = {section.slug: section for section in SECTIONS}
    cells = Cells(person_label=person.full_name, form_label="IMM 5669")
    personal = answers.get("personal", {})
    section_a = f"A. {sections['personal'].title}"
    native_name = cells.text(
        PersonalEditForm, "native_name", personal.get("native_name"), section=section_a
    )
    parents = []
    for parent, label in (("father", _("Father")), ("mother", _("Mother"))):
        parents.append(
            {
                "label": label,
                **{
                    name: cells.text(
                        PersonalEditForm,
                        f"{parent}_{name}",
                        personal.get(f"{parent}_{name}"),
                        section=section_a,
                    )
                    for name in ("family_name", "given_names", "birth_city", "birth_country")
                },
                "date_of_birth": personal.get(f"{parent}_date_of_birth") or "",
                "date_of_death": personal.get(f"{parent}_date_of_death") or "",
            }
        )
    background = answers.get("background", {})
    questions = [
        {
            "letter": _QUESTIONS[code],
            "text": _QUESTION_TEXT[code],
            "answer": background.get(code),
        }
        for code in QUESTION_CODES
    ]
    details = cells.text(
        BackgroundEditForm,
        "details",
        background.get("details"),
        section=f"B. {sections['background'].title}",
    )
    education = answers.get("education", {})
    printed = {
        "person": person,
        "is_principal": person.is_principal,
        "native_name": native_name,
        "parents": parents,
        "stem": reference.background_stem(),
        "questions": questions,
        "details": details,
        "years": [
            (EducationEditForm.base_fields[name].label, education.get(name))
            for name in ("years_elementary", "years_secondary", "years_university", "years_trade")
        ],
        "schools": _printed_table(
            cells,
            sections["education"],
            education,
            ["start", "end", "institution", "city_country", "certificate", "field_of_study"],
        ),
        "history": _printed_table(
            cells,
            sections["history"],
            answers.get("history", {}),
            ["start", "end", "activity", "city_country", "status", "employer"],
        ),
        "memberships": _printed_table(
            cells,
            sections["membership"],
            answers.get("membership", {}),
            ["start", "end", "organization", "type", "activities", "city_country"],
        ),
        "positions": _printed_table(
            cells,
            sections["government"],
            answers.get("government", {}),
            ["start", "end", "jurisdiction", "department", "activities"],
        ),
        "services": _printed_table(
            cells,
            sections["military"],
            answers.get("military", {}),
            ["country", "branch", "start", "end", "rank", "combat", "end_reason"],
        ),
        "addresses": _printed_table(
            cells,
            sections["addresses"],
            answers.get("addresses", {}),
            ["start", "end", "street", "city", "province", "postal_code", "country"],
        ),
    }
    cells.build()
    printed["annex"] = cells.annex
    return printed


IMM5669 = FormSpec(
    key=FORM,
    number="IMM 5669",
    title=_("Schedule A: Background/Declaration"),
    sections=SECTIONS,
    print_template="forms_imm/print/imm5669.html",
    print_context=print_context,
    needs=needs_form,
)
