"""IMM 5444 Application for a Permanent Resident Card (forms.md §8), with the residency
calculator.

Filled by the one applicant of a ``pr_card`` or ``pr_travel_document`` application
(``Program.DigitalForms.IMM5444``; ``forms_for_person`` decides). Five numbered pages; page 2
is split in two (personal details, contact). The tables use full dates and cover the last five
years with no gap, compared at month precision (a row may start the month after the previous
one ends). Page 5 lists the absences from Canada; ``residency.residency_obligation`` counts the
days in Canada over the five-year window and the page shows the result, updated live by
``static/js/residency.js`` from the same message templates.
"""

from __future__ import annotations

from datetime import date, timedelta

from django import forms as django_forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from . import reference
from .forms import (
    CodeField,
    Fieldset,
    FlagField,
    FullDateField,
    RowForm,
    SectionForm,
    StrictMixin,
    TextField,
    YesNoField,
)
from .periods import HistoryRow, Month, check_history, period_start
from .printing import PRESENT, Cells
from .residency import DAYS_REQUIRED, Absence, residency_obligation
from .spec import FormSpec, ProfileField, Section, TableSpec
from .validators import PO_BOX_RE, normalize_phone, normalize_postal_code, normalize_uci

FORM = "imm5444"
YEARS = 5


def _choices(name):
    return lambda: [("", _("Choose…")), *reference.choices(name)]


def _countries():
    return [("", _("Choose…")), *countries]


def _error(form, name, message, code, **params):
    form.add_error(name, django_forms.ValidationError(message, code=code, params=params or None))


class _RequiredIfMixin:
    """``required_if = {field: (condition field, value)}``: required when the condition holds."""

    required_if: dict = {}

    def clean_strict(self, cleaned):
        super().clean_strict(cleaned)
        for name, (condition, value) in self.required_if.items():
            if (
                cleaned.get(condition) == value
                and cleaned.get(name) in (None, "")
                and (name not in self.errors)
            ):
                _error(self, name, _("Answer this to complete the section."), "required")


# --- Page 1: applicant situation ----------------------------------------------------------------


class SituationEditForm(SectionForm):
    form_key = FORM

    situation = django_forms.ChoiceField(
        label=_("What do you want to do?"), choices=_choices("imm5444_situation"), required=False
    )
    uci = CodeField(
        label=_("Unique client identifier (UCI)"),
        help_text=_(
            "8 digits (0000-0000) or 10 digits (00-0000-0000): a permanent resident has one."
        ),
    )
    correspondence_language = django_forms.ChoiceField(
        label=_("Language of correspondence"),
        choices=_choices("correspondence_language"),
        required=False,
    )
    became_pr_date = FullDateField(label=_("Date you became a permanent resident"))
    became_pr_city = TextField(label=_("City or town where you became a permanent resident"))
    became_pr_province = django_forms.ChoiceField(
        label=_("Province or territory where you became a permanent resident"),
        choices=_choices("province"),
        required=False,
    )
    urgent = YesNoField(label=_("Do you need urgent processing?"))
    urgent_reason = django_forms.ChoiceField(
        label=_("Reason for urgent processing"),
        choices=_choices("urgent_reason"),
        required=False,
        help_text=_("Required if you need urgent processing (at least 3 weeks)."),
    )

    def clean_uci(self):
        value = self.cleaned_data.get("uci") or ""
        return normalize_uci(value) if value else ""


class SituationSubmitForm(_RequiredIfMixin, StrictMixin, SituationEditForm):
    required_fields = (
        "situation",
        "uci",
        "correspondence_language",
        "became_pr_date",
        "became_pr_city",
        "became_pr_province",
        "urgent",
    )
    required_if = {"urgent_reason": ("urgent", True)}

    def clean_strict(self, cleaned):
        super().clean_strict(cleaned)
        born = self.context.person.date_of_birth if self.context else None
        became = cleaned.get("became_pr_date")
        if born and became and became < born:
            _error(
                self,
                "became_pr_date",
                _("This date is before your date of birth (%(date)s)."),
                "became_before_birth",
                date=born.isoformat(),
            )


# --- Page 2: personal details and contact -------------------------------------------------------


class PersonalEditForm(SectionForm):
    form_key = FORM

    family_name = TextField(
        label=_("Family name(s)"),
        help_text=_("As on your confirmation of permanent residence or your last PR card."),
    )
    given_names = TextField(label=_("Given name(s)"))
    name_changed = YesNoField(label=_("Have your names changed since then?"))
    current_family_name = TextField(
        label=_("Current family name(s)"),
        help_text=_("Only if changed; upload the legal name-change document."),
    )
    current_given_names = TextField(label=_("Current given name(s)"))
    sex = django_forms.ChoiceField(label=_("Sex"), choices=_choices("sex"), required=False)
    eye_colour = django_forms.ChoiceField(
        label=_("Eye colour"), choices=_choices("eye_colour"), required=False
    )
    height = django_forms.IntegerField(
        label=_("Height (cm)"),
        required=False,
        min_value=30,
        max_value=271,
        error_messages={
            "invalid": _("Enter the height in whole centimetres, from 30 to 271."),
            "min_value": _("Enter the height in whole centimetres, from 30 to 271."),
            "max_value": _("Enter the height in whole centimetres, from 30 to 271."),
        },
        widget=django_forms.TextInput(attrs={"inputmode": "numeric", "size": "4"}),
    )
    country_of_birth = django_forms.ChoiceField(
        label=_("Country or territory of birth"), choices=_countries, required=False
    )
    citizenship_1 = django_forms.ChoiceField(
        label=_("Citizenship"), choices=_countries, required=False
    )
    citizenship_2 = django_forms.ChoiceField(
        label=_("Second citizenship"), choices=_countries, required=False
    )
    marital_status = django_forms.ChoiceField(
        label=_("Marital status"), choices=_choices("marital_status"), required=False
    )
    marriage_date = FullDateField(
        label=_("Date of marriage or start of the common-law relationship"),
        help_text=_("Only if married or common-law. Format: YYYY-MM-DD."),
    )

    fieldsets = (
        Fieldset(_("Your name"), ["family_name", "given_names", "name_changed",
                                  "current_family_name", "current_given_names"]),
        Fieldset(_("About you"), ["sex", "eye_colour", "height", "country_of_birth",
                                  "citizenship_1", "citizenship_2"]),
        Fieldset(_("Marital status"), ["marital_status", "marriage_date"]),
    )  # fmt: skip


class PersonalSubmitForm(_RequiredIfMixin, StrictMixin, PersonalEditForm):
    required_fields = (
        "family_name", "name_changed", "sex", "eye_colour", "height", "country_of_birth",
        "citizenship_1", "marital_status",
    )  # fmt: skip
    required_if = {
        "current_family_name": ("name_changed", True),
        "marriage_date": ("marital_status", "01"),
    }

    def clean_strict(self, cleaned):
        super().clean_strict(cleaned)
        if cleaned.get("marital_status") == "03" and not cleaned.get("marriage_date"):
            _error(self, "marriage_date", _("Answer this to complete the section."), "required")
        born = self.context.person.date_of_birth if self.context else None
        married = cleaned.get("marriage_date")
        if born and married and married <= born:
            _error(
                self,
                "marriage_date",
                _("This date is before your date of birth (%(date)s)."),
                "marriage_before_birth",
                date=born.isoformat(),
            )
        if cleaned.get("citizenship_2") and cleaned.get("citizenship_2") == cleaned.get(
            "citizenship_1"
        ):
            _error(
                self,
                "citizenship_2",
                _("Leave the second citizenship empty, or choose another country."),
                "same_citizenship",
            )


def personal_initial(stored: dict, context) -> dict:
    """Names and profile facts pre-filled from the profile until something is typed."""
    if stored:
        return stored
    person = context.person
    return {
        "family_name": person.family_name,
        "given_names": person.given_names,
        "sex": person.sex,
        "country_of_birth": str(person.birth_country or ""),
        "citizenship_1": str(person.citizenship_1 or ""),
        "citizenship_2": str(person.citizenship_2 or ""),
        "marital_status": person.marital_status or "",
    }


ADDRESS_PARTS = ("po_box", "apartment", "street_number", "street_name", "city", "province",
                 "postal_code")  # fmt: skip


def _address_fields(prefix: str) -> dict:
    return {
        f"{prefix}po_box": TextField(label=_("P.O. box")),
        f"{prefix}apartment": TextField(label=_("Apartment or unit")),
        f"{prefix}street_number": TextField(label=_("Street number")),
        f"{prefix}street_name": TextField(label=_("Street name")),
        f"{prefix}city": TextField(label=_("City or town")),
        f"{prefix}province": django_forms.ChoiceField(
            label=_("Province or territory"), choices=_choices("province"), required=False
        ),
        f"{prefix}postal_code": CodeField(label=_("Postal code")),
    }


class ContactEditForm(SectionForm):
    form_key = FORM

    locals().update(_address_fields("home_"))
    mailing_same = FlagField(label=_("My mailing address is the same as my residential address"))
    locals().update(_address_fields("mail_"))
    phone_kind = django_forms.ChoiceField(
        label=_("Telephone: Canada or US, or other"),
        choices=_choices("telephone_kind"),
        required=False,
    )
    phone_type = django_forms.ChoiceField(
        label=_("Telephone type"), choices=_choices("telephone_type"), required=False
    )
    phone_country_code = CodeField(label=_("Country code"), help_text=_("Only for Other."))
    phone_number = CodeField(label=_("Telephone number"))
    use_account_email = YesNoField(label=_("Use the email address of your account?"))
    email = TextField(label=_("Email address"), help_text=_("Only if you answered no."))

    fieldsets = (
        Fieldset(
            _("Residential address in Canada"),
            [f"home_{part}" for part in ADDRESS_PARTS],
            intro=_("A residential address has no P.O. box unless you have no street address."),
        ),
        Fieldset(
            _("Mailing address"), ["mailing_same"] + [f"mail_{part}" for part in ADDRESS_PARTS]
        ),
        Fieldset(
            _("Telephone and email"),
            ["phone_kind", "phone_type", "phone_country_code", "phone_number",
             "use_account_email", "email"],
        ),
    )  # fmt: skip


def _address_rules(form, cleaned, prefix: str) -> None:
    for part in ("street_name", "city", "province", "postal_code"):
        name = prefix + part
        if not cleaned.get(name) and name not in form.errors:
            _error(form, name, _("Answer this to complete the section."), "required")
    if not cleaned.get(prefix + "po_box") and not cleaned.get(prefix + "street_number"):
        _error(
            form,
            prefix + "street_number",
            _("Enter the street number, or a P.O. box."),
            "street_number_required",
        )
    street = cleaned.get(prefix + "street_name") or ""
    if PO_BOX_RE.search(street):
        _error(
            form, prefix + "street_name", _("Put a P.O. box in its own box."), "po_box_in_street"
        )
    postal_code = cleaned.get(prefix + "postal_code")
    if postal_code and prefix + "postal_code" not in form.errors:
        try:
            cleaned[prefix + "postal_code"] = normalize_postal_code(postal_code)
        except django_forms.ValidationError as error:
            form.add_error(prefix + "postal_code", error)


class ContactSubmitForm(StrictMixin, ContactEditForm):
    required_fields = ("phone_kind", "phone_type", "phone_number", "use_account_email")

    def clean_strict(self, cleaned):
        _address_rules(self, cleaned, "home_")
        if not cleaned.get("mailing_same"):
            _address_rules(self, cleaned, "mail_")
        number, kind = cleaned.get("phone_number"), cleaned.get("phone_kind")
        if number and kind:
            try:
                cleaned["phone_number"] = normalize_phone(
                    number, north_american=kind == "canada_us"
                )
            except django_forms.ValidationError as error:
                self.add_error("phone_number", error)
        if kind == "other" and not cleaned.get("phone_country_code"):
            _error(self, "phone_country_code", _("Enter the country code."), "country_code")
        if cleaned.get("use_account_email") is False:
            email = cleaned.get("email")
            try:
                django_forms.EmailField().clean(email)
            except django_forms.ValidationError:
                _error(
                    self,
                    "email",
                    _("Enter an email address such as name@example.com."),
                    "email_format",
                )


# --- Page 3: immigration history ----------------------------------------------------------------

_HISTORY_QUESTIONS = dict(reference.choices("imm5444_history_question"))
_HISTORY_DOCUMENTS = dict(reference.choices("imm5444_history_document"))
HISTORY_CODES = tuple(_HISTORY_QUESTIONS)


class ImmigrationEditForm(SectionForm):
    form_key = FORM

    locals().update({code: YesNoField(label=label) for code, label in _HISTORY_QUESTIONS.items()})
    locals().update({code: FlagField(label=label) for code, label in _HISTORY_DOCUMENTS.items()})
    details = TextField(
        label=_("Details"),
        multiline=True,
        help_text=_("Required if you answered yes to any question: what, when, where, outcome."),
    )

    fieldsets = (
        Fieldset(_("Questions"), list(HISTORY_CODES)),
        Fieldset(_("Documents issued to you"), list(_HISTORY_DOCUMENTS)),
        Fieldset(_("Details"), ["details"]),
    )


class ImmigrationSubmitForm(StrictMixin, ImmigrationEditForm):
    required_fields = HISTORY_CODES

    def clean_strict(self, cleaned):
        if any(cleaned.get(code) is True for code in HISTORY_CODES) and not cleaned.get("details"):
            _error(
                self,
                "details",
                _("You answered yes to a question: give the details."),
                "yes_needs_details",
            )


# --- Page 4: personal history (and the full-date row rules) -------------------------------------


class FullDatedRowMixin:
    """From and To full dates (or "to present"), checked when strict."""

    def clean_strict(self, cleaned):
        super().clean_strict(cleaned)
        start, end, present = cleaned.get("start"), cleaned.get("end"), cleaned.get("present")
        if not end and not present and "end" not in self.errors:
            _error(self, "end", self.end_required_message, "end_required")
        if end and present:
            _error(
                self,
                "end",
                _("Leave the To date empty when the row is marked “to present”."),
                "end_and_present",
            )
        if start and end and end < start:
            _error(
                self, "end", _("The To date cannot be before the From date."), "end_before_start"
            )

    end_required_message = _("Enter the To date, or tick “to present”.")


def _dated_fields(present_label) -> dict:
    return {
        "start": FullDateField(label=_("From")),
        "end": FullDateField(label=_("To")),
        "present": FlagField(label=present_label),
    }


def five_year_start(context) -> Month:
    return period_start(reference=context.today, date_of_birth=None, years=YEARS)


def five_year_check(rows, context):
    """The rows cover the last five years with no gap, at month precision (forms.md §8)."""
    history = [
        HistoryRow(
            index=number,
            start=Month.parse(row["start"][:7]),
            end=None if row.get("present") else Month.parse(row["end"][:7]),
        )
        for number, row in enumerate(rows, start=1)
    ]
    return check_history(
        history, period_start=five_year_start(context), current=context.current, strict_join=False
    )


class AddressRowEditForm(RowForm):
    form_key = FORM

    locals().update(_dated_fields(_("Current address (to present)")))
    address = TextField(label=_("Street address"))
    city = TextField(label=_("City or town"))
    province_state = TextField(label=_("Province, state or district"))
    country = django_forms.ChoiceField(
        label=_("Country or territory"), choices=_countries, required=False
    )


class AddressRowSubmitForm(FullDatedRowMixin, StrictMixin, AddressRowEditForm):
    required_fields = ("start", "address", "city", "country")


class ActivityRowEditForm(RowForm):
    form_key = FORM

    locals().update(_dated_fields(_("To present")))
    employer = TextField(
        label=_("Employer or school"),
        help_text=_("Enter N/A if unemployed, retired or a homemaker."),
    )
    activity = TextField(
        label=_("Activity"), help_text=_("For example employed, studying, unemployed, retired.")
    )
    city = TextField(label=_("City or town"))
    country = django_forms.ChoiceField(
        label=_("Country or territory"), choices=_countries, required=False
    )


class ActivityRowSubmitForm(FullDatedRowMixin, StrictMixin, ActivityRowEditForm):
    required_fields = ("start", "employer", "activity", "city", "country")


class HistoryEditForm(SectionForm):
    form_key = FORM


class HistorySubmitForm(StrictMixin, HistoryEditForm):
    pass


# --- Page 5: residency obligation ----------------------------------------------------------------

_RESIDENCY_QUESTIONS = dict(reference.choices("imm5444_residency_question"))
RESIDENCY_CODES = tuple(_RESIDENCY_QUESTIONS)


class ResidencyEditForm(SectionForm):
    form_key = FORM

    outside_canada = YesNoField(label=_("Were you outside Canada during the last five years?"))
    locals().update({code: YesNoField(label=label) for code, label in _RESIDENCY_QUESTIONS.items()})
    humanitarian = TextField(
        label=_("Humanitarian and compassionate reasons"),
        multiline=True,
        help_text=_(
            "Optional. If you were in Canada less than 730 days, explain why you should keep "
            "your permanent resident status."
        ),
    )

    fieldsets = (
        Fieldset(_("Time outside Canada"), ["outside_canada", *RESIDENCY_CODES]),
        Fieldset(_("Humanitarian and compassionate reasons"), ["humanitarian"]),
    )


class ResidencySubmitForm(StrictMixin, ResidencyEditForm):
    required_fields = ("outside_canada",)

    def clean_strict(self, cleaned):
        rows = self.table_sizes.get("absences", 0)
        outside = cleaned.get("outside_canada")
        if outside is True:
            for code in RESIDENCY_CODES:
                if cleaned.get(code) is None and code not in self.errors:
                    _error(self, code, _("Answer yes or no."), "required")
            if not rows:
                _error(
                    self,
                    "outside_canada",
                    _("You answered yes: list every absence from Canada below."),
                    "absences_missing",
                )
        elif outside is False and rows:
            _error(
                self,
                "outside_canada",
                _("You answered no but listed absences. Remove them or answer yes."),
                "absences_with_no",
            )


class AbsenceEditForm(RowForm):
    form_key = FORM

    start = FullDateField(label=_("From (day you left Canada)"))
    end = FullDateField(label=_("To (day you came back)"))
    present = FlagField(label=_("Still outside Canada"))
    location = TextField(label=_("Location (city and country)"))
    reason = django_forms.ChoiceField(
        label=_("Reason"), choices=_choices("imm5444_absence_reason"), required=False
    )
    explanation = TextField(label=_("Explanation"), help_text=_("Required if the reason is Other."))


class AbsenceSubmitForm(FullDatedRowMixin, StrictMixin, AbsenceEditForm):
    required_fields = ("start", "location", "reason")
    end_required_message = _("Enter the day you came back, or tick “Still outside Canada”.")

    def clean_strict(self, cleaned):
        super().clean_strict(cleaned)
        if cleaned.get("reason") == "other" and not cleaned.get("explanation"):
            _error(self, "explanation", _("Explain the reason."), "explanation_required")


def absences_check(rows, context):
    """Absences may not overlap (a day abroad is on one row only), at month precision the
    checker's trip rule: two absences may share the month one ends and the other starts."""
    from .periods import TripRow, check_trips

    current = context.current
    trips = [
        TripRow(
            number,
            Month.parse(row["start"][:7]),
            current if row.get("present") else Month.parse(row["end"][:7]),
        )
        for number, row in enumerate(rows, start=1)
    ]
    if not trips:
        return []
    problems = check_trips(trips, period_start=Month(1, 1), current=current, did_not_travel=False)
    return [p for p in problems if p.code == "trip_overlap"]


def _absences(rows) -> list[Absence]:
    found = []
    for row in rows:
        try:
            start = date.fromisoformat(row.get("start") or "")
            end = None if row.get("present") else date.fromisoformat(row.get("end") or "")
            found.append(Absence(start, end))
        except (TypeError, ValueError):
            continue  # an incomplete row does not count yet
    return found


def residency_messages() -> dict[str, str]:
    """The calculator's sentences with ``__NAME__`` placeholders, shared with residency.js."""
    return {
        "days": gettext(
            "Days in Canada from __START__ to __END__: __DAYS__ (at least __REQUIRED__ needed)."
        ),
        "met": gettext("The residency obligation is met."),
        "first": gettext(
            "You became a permanent resident less than five years ago: you have until "
            "__FIRST_END__ to reach __REQUIRED__ days. __NEEDED__ more days in Canada are needed "
            "and __REMAINING__ days are left, so the obligation can still be met."
        ),
        "not_met": gettext(
            "Under __REQUIRED__ days: the residency obligation is not met (__SHORT__ days short). "
            "The permanent resident status may be lost: the application needs humanitarian and "
            "compassionate reasons (below) or proof that absences count as time in Canada "
            "(reasons A, B or C)."
        ),
        "no_date": gettext(
            "The date you became a permanent resident (page 1) is not given yet: the count "
            "assumes it was more than five years ago."
        ),
    }


def fill(template: str, values: dict) -> str:
    for key, value in values.items():
        template = template.replace(f"__{key}__", str(value))
    return template


def residency_result(absence_rows, became_pr: date | None, today: date) -> dict:
    """The calculator's result and the sentences the page shows for it."""
    messages = residency_messages()
    assumed = became_pr is None or became_pr > today
    start = today - timedelta(days=3660) if assumed else became_pr
    result = residency_obligation(today=today, became_pr=start, absences=_absences(absence_rows))
    values = {
        "START": result.window_start.isoformat(),
        "END": result.window_end.isoformat(),
        "DAYS": result.days_present,
        "REQUIRED": DAYS_REQUIRED,
        "SHORT": result.shortfall,
        "NEEDED": result.days_still_needed,
        "REMAINING": result.days_remaining,
        "FIRST_END": result.first_period_end.isoformat() if result.first_period_end else "",
    }
    if not result.met:
        status = "not_met"
    elif result.days_still_needed:
        status = "first"
    else:
        status = "met"
    lines = [fill(messages["days"], values), fill(messages[status], values)]
    if assumed:
        lines.append(messages["no_date"])
    return {"result": result, "status": status, "lines": lines, "messages": messages}


def residency_context(bound, answers: dict) -> dict:
    formset = bound.tables["absences"]
    if formset.is_bound:
        rows = formset.rows() if formset.is_valid() else []
    else:
        rows = formset.initial or []
    became = (answers.get("situation") or {}).get("became_pr_date")
    became_pr = date.fromisoformat(became) if became else None
    today = bound.context.today
    return {
        "residency": residency_result(rows, became_pr, today),
        "residency_today": today.isoformat(),
        "residency_became_pr": became or "",
    }


# --- the form --------------------------------------------------------------------------------


def _table(name, edit_form, submit_form, title, add_label, check=None):
    return TableSpec(
        name=name,
        edit_form=edit_form,
        submit_form=submit_form,
        title=title,
        add_label=add_label,
        check=check,
        period=five_year_start if check is five_year_check else None,
    )


SECTIONS = (
    Section(
        form=FORM,
        slug="situation",
        letter="1",
        title=_("Applicant situation"),
        edit_form=SituationEditForm,
        submit_form=SituationSubmitForm,
    ),
    Section(
        form=FORM,
        slug="personal",
        letter="2",
        title=_("Personal details"),
        edit_form=PersonalEditForm,
        submit_form=PersonalSubmitForm,
        profile_fields=(
            ProfileField("date_of_birth", _("Date of birth"), lambda person: person.date_of_birth),
        ),
        initial=personal_initial,
    ),
    Section(
        form=FORM,
        slug="contact",
        letter="2",
        title=_("Contact information"),
        edit_form=ContactEditForm,
        submit_form=ContactSubmitForm,
    ),
    Section(
        form=FORM,
        slug="immigration",
        letter="3",
        title=_("Immigration history"),
        edit_form=ImmigrationEditForm,
        submit_form=ImmigrationSubmitForm,
    ),
    Section(
        form=FORM,
        slug="history",
        letter="4",
        title=_("Personal history"),
        edit_form=HistoryEditForm,
        submit_form=HistorySubmitForm,
        tables=(
            _table(
                "addresses",
                AddressRowEditForm,
                AddressRowSubmitForm,
                _("Addresses"),
                _("Add an address"),
                five_year_check,
            ),
            _table(
                "activities",
                ActivityRowEditForm,
                ActivityRowSubmitForm,
                _("Work and education"),
                _("Add a period"),
                five_year_check,
            ),
        ),
        intro=_(
            "Your addresses and what you were doing over the last five years, with no gaps. "
            "Each row may start the day after the row before ends; mark the last row “to "
            "present”."
        ),
    ),
    Section(
        form=FORM,
        slug="residency",
        letter="5",
        title=_("Residency obligation: time spent outside Canada"),
        edit_form=ResidencyEditForm,
        submit_form=ResidencySubmitForm,
        tables=(
            _table(
                "absences",
                AbsenceEditForm,
                AbsenceSubmitForm,
                _("Absences from Canada"),
                _("Add an absence"),
                absences_check,
            ),
        ),
        intro=_(
            "A permanent resident must be in Canada at least 730 days in five years. List every "
            "absence: the day you left and the day you came back both count as days in Canada, "
            "and day trips are not absences."
        ),
        template="forms_imm/imm5444_residency.html",
        extra_context=residency_context,
        scripts=("js/residency.js",),
    ),
)


# --- printable view ------------------------------------------------------------------------------


def _printed_table(cells, section: Section, table: TableSpec, rows, columns):
    label = f"{section.letter}. {section.title}"
    printed = []
    for number, row in enumerate(rows, start=1):
        values = []
        for name in columns:
            value = row.get(name)
            field = table.edit_form.base_fields[name]
            if name == "end" and row.get("present"):
                values.append(PRESENT)
            elif isinstance(field, TextField):
                values.append(cells.text(table.edit_form, name, value, section=label, row=number))
            elif isinstance(field, django_forms.ChoiceField):
                values.append(dict(field.choices).get(value, value or ""))
            else:
                values.append(value or "")
        printed.append(values)
    return {
        "headers": [(table.column_label(name), "") for name in columns],
        "rows": printed,
        "none_row": None,
    }


def _answers_list(form_class, data: dict, names) -> list:
    """(label, printed answer) of the main-form fields ``names``."""
    printed = []
    for name in names:
        field = form_class.base_fields[name]
        value = data.get(name)
        if isinstance(field, YesNoField):
            value = {True: gettext("Yes"), False: gettext("No")}.get(value, "")
        elif isinstance(field, django_forms.BooleanField):
            value = "X" if value else ""
        elif isinstance(field, django_forms.ChoiceField):
            value = dict(field.choices).get(value, value or "") if value else ""
        printed.append((field.label, "" if value is None else value))
    return printed


def print_context(answers: dict, context) -> dict:
    person = context.person
    cells = Cells(person_label=person.full_name, form_label="IMM 5444")
    sections = {section.slug: section for section in SECTIONS}
    history = answers.get("history", {})
    residency = answers.get("residency", {})
    became = (answers.get("situation") or {}).get("became_pr_date")
    pages = []
    for slug in ("situation", "personal", "contact", "immigration"):
        section = sections[slug]
        pages.append(
            (
                section,
                _answers_list(
                    section.edit_form, answers.get(slug, {}), section.edit_form.base_fields
                ),
            )
        )
    printed = {
        "person": person,
        "pages": pages,
        "history": sections["history"],
        "addresses": _printed_table(
            cells,
            sections["history"],
            sections["history"].table("addresses"),
            history.get("addresses") or [],
            ["start", "end", "address", "city", "province_state", "country"],
        ),
        "activities": _printed_table(
            cells,
            sections["history"],
            sections["history"].table("activities"),
            history.get("activities") or [],
            ["start", "end", "employer", "activity", "city", "country"],
        ),
        "residency_section": sections["residency"],
        "residency_answers": _answers_list(
            ResidencyEditForm, residency, ["outside_canada", *RESIDENCY_CODES, "humanitarian"]
        ),
        "absences": _printed_table(
            cells,
            sections["residency"],
            sections["residency"].table("absences"),
            residency.get("absences") or [],
            ["start", "end", "location", "reason", "explanation"],
        ),
        "residency": residency_result(
            residency.get("absences") or [],
            date.fromisoformat(became) if became else None,
            context.today,
        ),
    }
    cells.build()
    printed["annex"] = cells.annex
    return printed


IMM5444 = FormSpec(
    key=FORM,
    number="IMM 5444",
    title=_("Application for a Permanent Resident Card"),
    sections=SECTIONS,
    print_template="forms_imm/print/imm5444.html",
    print_context=print_context,
)
