"""IMM 0008 Generic Application Form for Canada (forms.md §3), with the dependant pages.

The principal applicant's copy has every page: application details, personal details, marital
status, contact information, passport, national identity document, education and occupation,
languages and the dependants block that replaces IMM 0008DEP (§3.9). Every other person of the
application (spouse or partner, children, grandchildren, accompanying or not) gets the
dependant pages of §3.9: personal details, marital status, passport, national identity
document, education and occupation, languages. The PA (or their representative) fills them
all; ``Section.applies`` hides the PA-only pages from the dependants.

Basic information (names, date of birth, sex, place and country of birth, citizenships, UCI,
marital status, correspondence language, email, relationship and accompanying) lives in the
profiles and shows read-only (``ProfileField``). Limits are looked up in limits.json under
``("imm0008", "<section>.<field>")``; coded lists come from ``reference.json``; countries from
django-countries (forms.md §2.10).

The e-signature of §3.10 is given by the client in the client portal (issue 7), not on these
pages.
"""

from __future__ import annotations

from datetime import date

from django import forms as django_forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from applications.models import Person

from . import reference
from .consistency import MARITAL_STATUS_ANSWERS, Answers, Inconsistency, register
from .forms import (
    CodeField,
    Fieldset,
    FullDateField,
    RowForm,
    SectionForm,
    StrictMixin,
    TextField,
    YearsField,
    YesNoField,
)
from .printing import Cells
from .spec import FormSpec, ProfileField, Section, TableSpec
from .validators import (
    PO_BOX_RE,
    normalize_phone,
    normalize_postal_code,
    passport_dates,
)

FORM = "imm0008"
CANADA = "CA"
QUEBEC = "QC"
CHOOSE = _("Choose one")

ENGLISH_FRENCH_INTERVIEW = {"001", "002"}
INTERPRETER_NOT_REQUIRED = "601"
OTHER_LANGUAGE = "499"
RESIDENCE_OTHER = "06"
TEMPORARY_STATUSES = {"03", "04", "05", "06"}  # visitor, worker, student, other: dates asked
PARTNERED = {Person.MaritalStatus.MARRIED.value, Person.MaritalStatus.COMMON_LAW.value}
PREVIOUSLY_PARTNERED = {"04", "05", "06", "09"}  # divorced, separated, widowed, annulled
COMMUNICATE_BOTH = "04"
CHILD_RELATIONSHIPS = {"87", "02", "04", "03", "100", "05", "37"}  # dependant type asked
MAX_PREVIOUS_COUNTRIES = 2
PREVIOUS_RESIDENCE_YEARS = 5


# --- fields ----------------------------------------------------------------------------------


def _coded(name: str):
    return lambda: [("", CHOOSE), *reference.choices(name)]


def _country_choices():
    return [("", CHOOSE), *((code, name) for code, name in countries)]


def _city_choices():
    return [("", CHOOSE)] + [
        (label, reference.cities(code)) for code, label in reference.choices("province")
    ]


def choice_field(name: str, **kwargs) -> django_forms.ChoiceField:
    """A single select over one coded list of reference.json (codes stored)."""
    return django_forms.ChoiceField(required=False, choices=_coded(name), **kwargs)


def country_field(**kwargs) -> django_forms.ChoiceField:
    """A country or territory (django-countries codes, names in the reader's language)."""
    return django_forms.ChoiceField(required=False, choices=_country_choices, **kwargs)


class NumberField(django_forms.IntegerField):
    """A whole number in a range, typed in a text box (height in centimetres)."""

    def __init__(self, *, min_value: int, max_value: int, message, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(
            min_value=min_value,
            max_value=max_value,
            error_messages={"invalid": message, "min_value": message, "max_value": message},
            **kwargs,
        )
        self.widget.attrs.update({"inputmode": "numeric", "size": "4"})
        self.widget.input_type = "text"


def _error(form, field: str, message, code: str, **params) -> None:
    form.add_error(field, django_forms.ValidationError(message, code=code, params=params or None))


def _require(form, cleaned, names, condition: bool) -> None:
    """Conditional fields (forms.md §0 "C"): required when ``condition`` holds."""
    if not condition:
        return
    for name in names:
        if cleaned.get(name) in (None, "") and name not in form.errors:
            _error(form, name, _("Answer this: it is required by your other answers."), "required")


def _is_pa(person, context) -> bool:
    return person.is_principal


def _profile_choice(model_choices):
    labels = dict(model_choices)
    return lambda value: labels.get(value, value) if value else ""


def _country_name(code) -> str:
    return countries.name(code) if code else ""


# --- profile values shown read-only ----------------------------------------------------------

_SEX = _profile_choice(Person.Sex.choices)
_MARITAL = _profile_choice(Person.MaritalStatus.choices)
_LANGUAGE = _profile_choice(Person.Language.choices)
_RELATIONSHIP = _profile_choice(reference.choices("relationship_to_pa"))


def _yes_no(value) -> str:
    return "" if value is None else str(_("Yes") if value else _("No"))


NAME_FIELDS = (
    ProfileField("family_name", _("Family name(s)"), lambda p: p.family_name),
    ProfileField("given_names", _("Given name(s)"), lambda p: p.given_names),
)
PERSONAL_PROFILE = (
    *NAME_FIELDS,
    ProfileField("uci", _("UCI"), lambda p: p.uci, lambda p: p.uci_display),
    ProfileField("sex", _("Sex"), lambda p: p.sex, lambda p: _SEX(p.sex)),
    ProfileField(
        "date_of_birth",
        _("Date of birth"),
        lambda p: p.date_of_birth,
        lambda p: p.date_of_birth.isoformat() if p.date_of_birth else "",
    ),
    ProfileField("birth_city", _("Place of birth (city or town)"), lambda p: p.birth_city),
    ProfileField(
        "birth_country",
        _("Country or territory of birth"),
        lambda p: p.birth_country.code or "",
        lambda p: p.birth_country.name,
    ),
    ProfileField(
        "citizenship_1",
        _("Citizenship"),
        lambda p: p.citizenship_1.code or "",
        lambda p: p.citizenship_1.name,
    ),
    ProfileField(
        "citizenship_2",
        _("Second citizenship"),
        lambda p: p.citizenship_2.code or "",
        lambda p: p.citizenship_2.name,
    ),
)


def _is_dependant(person) -> bool:
    return not person.is_principal


DEPENDANT_PROFILE = (
    ProfileField(
        "relationship",
        _("Relationship to the principal applicant"),
        lambda p: p.relationship,
        lambda p: _RELATIONSHIP(p.relationship),
        applies=_is_dependant,
    ),
    ProfileField(
        "accompanying",
        _("Accompanying the principal applicant to Canada"),
        lambda p: p.accompanying,
        lambda p: _yes_no(p.accompanying),
        applies=_is_dependant,
    ),
    ProfileField(
        "not_accompanying_reason",
        _("Reason for not accompanying"),
        lambda p: p.not_accompanying_reason,
        applies=lambda p: p.accompanying is False,
    ),
)


# --- 3.1 Application details (PA) ------------------------------------------------------------


class ApplicationEditForm(SectionForm):
    form_key = FORM

    interview_language = choice_field("interview_language", label=_("Language for interview"))
    interview_language_other = TextField(
        label=_("Other interview language"),
        help_text=_("Only if you chose “Other” as the language for interview."),
    )
    interpreter_requested = YesNoField(
        label=_("Do you need an interpreter?"),
        help_text=_("Answer yes if the interview language is neither English nor French."),
    )
    intended_province = choice_field(
        "province", label=_("Province or territory where you intend to live")
    )
    intended_city = django_forms.ChoiceField(
        required=False,
        choices=_city_choices,
        label=_("City or town where you intend to live"),
        help_text=_("Choose a city or town of the province or territory chosen above."),
    )
    csq_applied_date = FullDateField(
        label=_("Date you applied for the Quebec selection certificate (CSQ)"),
        help_text=_("Quebec only, if you do not have the certificate yet. Format: YYYY-MM-DD."),
    )
    csq_number = CodeField(
        label=_("Quebec selection certificate (CSQ) number"),
        help_text=_("Quebec only, once the certificate is issued."),
    )

    shown_when = {
        "interview_language_other": ("interview_language", (OTHER_LANGUAGE,)),
        "csq_applied_date": ("intended_province", (QUEBEC,)),
        "csq_number": ("intended_province", (QUEBEC,)),
    }
    fieldsets = (
        Fieldset(
            _("Language"),
            ["interview_language", "interview_language_other", "interpreter_requested"],
        ),
        Fieldset(
            _("Where you intend to live"),
            ["intended_province", "intended_city", "csq_applied_date", "csq_number"],
        ),
    )


class ApplicationSubmitForm(StrictMixin, ApplicationEditForm):
    required_fields = (
        "interview_language",
        "interpreter_requested",
        "intended_province",
        "intended_city",
    )

    def clean_strict(self, cleaned):
        language = cleaned.get("interview_language")
        _require(self, cleaned, ["interview_language_other"], language == OTHER_LANGUAGE)
        needs_interpreter = language and language not in (
            ENGLISH_FRENCH_INTERVIEW | {INTERPRETER_NOT_REQUIRED}
        )
        if needs_interpreter and cleaned.get("interpreter_requested") is False:
            _error(
                self,
                "interpreter_requested",
                _("The interview language is neither English nor French: answer yes."),
                "interpreter_needed",
            )
        province, city = cleaned.get("intended_province"), cleaned.get("intended_city")
        if province and city and city not in dict(reference.cities(province)):
            _error(
                self,
                "intended_city",
                _("Choose a city or town of the province or territory you chose."),
                "city_not_in_province",
            )
        if (
            province == QUEBEC
            and not cleaned.get("csq_number")
            and not cleaned.get("csq_applied_date")
        ):
            _error(
                self,
                "csq_applied_date",
                _("Quebec: give the CSQ number, or the date you applied for the certificate."),
                "csq_required",
            )


# --- 3.2 Personal details ----------------------------------------------------------------------


class PersonalEditForm(SectionForm):
    form_key = FORM

    other_name_used = YesNoField(
        label=_("Have you ever used any other name (e.g. nickname, maiden name, alias)?")
    )
    other_family_name = TextField(
        label=_("Other family name(s)"), limit="personal.other_family_name"
    )
    other_given_names = TextField(label=_("Other given name(s)"), limit="personal.other_given_name")
    eye_colour = choice_field("eye_colour", label=_("Eye colour"))
    height_cm = NumberField(
        label=_("Height in centimetres"),
        min_value=30,
        max_value=271,
        message=_("Enter the height in whole centimetres, from 30 to 271."),
    )
    residence_country = country_field(label=_("Current country or territory of residence"))
    residence_status = choice_field("residence_status", label=_("Status in that country"))
    residence_other_status = TextField(
        label=_("Other status"),
        limit="personal.residence_other_status",
        help_text=_("Only if the status is “Other”."),
    )
    residence_from = FullDateField(
        label=_("Status from"),
        help_text=_("For a visitor, worker, student or other status. Format: YYYY-MM-DD."),
    )
    residence_to = FullDateField(
        label=_("Status to"),
        past_only=False,
        help_text=_("When the status ends. Format: YYYY-MM-DD."),
    )
    last_entry_date = FullDateField(
        label=_("Date of last entry to Canada"),
        help_text=_("Only if you live in Canada now. Format: YYYY-MM-DD."),
    )
    last_entry_place = TextField(
        label=_("Place of last entry to Canada"),
        limit="personal.last_entry_place",
        help_text=_("The city or port of entry."),
    )
    previous_residence = YesNoField(
        label=_(
            "In the past five years, have you lived in any country other than your country "
            "of citizenship or your current country of residence for more than six months?"
        )
    )

    shown_when = {
        "other_family_name": ("other_name_used", ("True",)),
        "other_given_names": ("other_name_used", ("True",)),
        "residence_other_status": ("residence_status", (RESIDENCE_OTHER,)),
        "residence_from": ("residence_status", tuple(sorted(TEMPORARY_STATUSES))),
        "residence_to": ("residence_status", tuple(sorted(TEMPORARY_STATUSES))),
        "last_entry_date": ("residence_country", (CANADA,)),
        "last_entry_place": ("residence_country", (CANADA,)),
    }
    fieldsets = (
        Fieldset(
            _("Other name used"), ["other_name_used", "other_family_name", "other_given_names"]
        ),
        Fieldset(_("Description"), ["eye_colour", "height_cm"]),
        Fieldset(
            _("Current country of residence"),
            [
                "residence_country",
                "residence_status",
                "residence_other_status",
                "residence_from",
                "residence_to",
                "last_entry_date",
                "last_entry_place",
            ],
        ),
        Fieldset(_("Previous countries of residence"), ["previous_residence"]),
    )


class PersonalSubmitForm(StrictMixin, PersonalEditForm):
    required_fields = (
        "other_name_used",
        "eye_colour",
        "height_cm",
        "residence_country",
        "residence_status",
        "previous_residence",
    )

    def clean_strict(self, cleaned):
        _require(self, cleaned, ["other_family_name"], cleaned.get("other_name_used") is True)
        status = cleaned.get("residence_status")
        _require(self, cleaned, ["residence_other_status"], status == RESIDENCE_OTHER)
        _require(self, cleaned, ["residence_from", "residence_to"], status in TEMPORARY_STATUSES)
        start, end = cleaned.get("residence_from"), cleaned.get("residence_to")
        if start and end and end < start:
            _error(self, "residence_to", _("This date cannot be before the From date."), "order")
        in_canada = cleaned.get("residence_country") == CANADA
        _require(self, cleaned, ["last_entry_date", "last_entry_place"], in_canada)
        born = self.context.person.date_of_birth if self.context else None
        entry = cleaned.get("last_entry_date")
        if entry and born and entry < born:
            _error(
                self,
                "last_entry_date",
                _("This date cannot be before the date of birth (%(date)s)."),
                "before_birth",
                date=born.isoformat(),
            )
        rows = self.table_sizes.get("previous_countries", 0)
        if cleaned.get("previous_residence") is True and not rows:
            _error(
                self,
                "previous_residence",
                _("You answered yes: add each country in the table below."),
                "rows_required",
            )
        elif cleaned.get("previous_residence") is False and rows:
            _error(
                self,
                "previous_residence",
                _("You answered no but listed countries. Remove the rows or answer yes."),
                "rows_with_no",
            )
        if rows > MAX_PREVIOUS_COUNTRIES:
            _error(
                self,
                "previous_residence",
                _("The form has room for %(max)s previous countries only: keep the longest stays."),
                "too_many_rows",
                max=MAX_PREVIOUS_COUNTRIES,
            )


class PreviousCountryEditForm(RowForm):
    form_key = FORM

    country = country_field(label=_("Country or territory"))
    status = choice_field("residence_status", label=_("Status"))
    other_status = TextField(
        label=_("Other status"),
        limit="personal.previous_residence_other_status",
        help_text=_("Only if the status is “Other”."),
    )
    start = FullDateField(label=_("From"))
    end = FullDateField(label=_("To"))


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


class PreviousCountrySubmitForm(StrictMixin, PreviousCountryEditForm):
    required_fields = ("country", "status", "start", "end")

    def clean_strict(self, cleaned):
        _require(self, cleaned, ["other_status"], cleaned.get("status") == RESIDENCE_OTHER)
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            _error(self, "end", _("This date cannot be before the From date."), "order")
        if end and self.context:
            earliest = _years_before(self.context.today, PREVIOUS_RESIDENCE_YEARS)
            if end < earliest:
                _error(
                    self,
                    "end",
                    _("Only stays in the past five years (since %(date)s) are asked."),
                    "too_old",
                    date=earliest.isoformat(),
                )


# --- 3.3 Marital status ------------------------------------------------------------------------


def spouse_of(person, people) -> Person | None:
    """The PA's spouse or partner profile for the PA; the PA for the spouse; else None."""
    if person.is_principal:
        return next((p for p in people if p.role == Person.Role.SPOUSE_PARTNER), None)
    if person.role == Person.Role.SPOUSE_PARTNER:
        return next((p for p in people if p.is_principal), None)
    return None


MARITAL_PROFILE = (
    ProfileField(
        "marital_status",
        _("Current marital status"),
        lambda p: p.marital_status,
        lambda p: _MARITAL(p.marital_status),
    ),
)


PREVIOUS_PARTNER = (
    "previous_family_name",
    "previous_given_names",
    "previous_date_of_birth",
    "previous_type",
    "previous_from",
    "previous_to",
)


class MaritalEditForm(SectionForm):
    form_key = FORM

    marriage_date = FullDateField(
        label=_("Date of marriage or start of the common-law relationship"),
        help_text=_("Only if married or common-law. Format: YYYY-MM-DD."),
    )
    previously_partnered = YesNoField(
        label=_("Have you previously been married or in a common-law relationship?"),
        help_text=_("Yes if you are separated, divorced, widowed or your marriage was annulled."),
    )
    previous_family_name = TextField(
        label=_("Previous spouse or partner: family name(s)"), limit="marital.previous_family_name"
    )
    previous_given_names = TextField(
        label=_("Previous spouse or partner: given name(s)"), limit="marital.previous_given_name"
    )
    previous_date_of_birth = FullDateField(label=_("Previous spouse or partner: date of birth"))
    previous_type = choice_field("previous_relationship_type", label=_("Type of relationship"))
    previous_from = FullDateField(label=_("Relationship from"))
    previous_to = FullDateField(label=_("Relationship to"))

    shown_when = {name: ("previously_partnered", ("True",)) for name in PREVIOUS_PARTNER}
    fieldsets = (
        Fieldset(_("Current relationship"), ["marriage_date"]),
        Fieldset(
            _("Previous marriage or common-law relationship"),
            ["previously_partnered", *PREVIOUS_PARTNER],
        ),
    )


class MaritalSubmitForm(StrictMixin, MaritalEditForm):
    required_fields = ("previously_partnered",)

    def clean_strict(self, cleaned):
        person = self.context.person if self.context else None
        status = person.marital_status if person else ""
        if not status:
            self.add_error(
                None,
                django_forms.ValidationError(
                    _("Record the marital status in the profile first."), code="no_status"
                ),
            )
        _require(self, cleaned, ["marriage_date"], status in PARTNERED)
        born = person.date_of_birth if person else None
        if cleaned.get("marriage_date") and born and cleaned["marriage_date"] <= born:
            _error(
                self,
                "marriage_date",
                _("This date must be after the date of birth (%(date)s)."),
                "before_birth",
                date=born.isoformat(),
            )
        if status in PREVIOUSLY_PARTNERED and cleaned.get("previously_partnered") is False:
            _error(
                self,
                "previously_partnered",
                _("The marital status in the profile means yes: answer yes and give the details."),
                "status_means_yes",
            )
        previous_fields = ["previous_family_name", "previous_type", "previous_from", "previous_to"]
        if person is not None and person.is_principal:
            previous_fields.append("previous_date_of_birth")
        _require(self, cleaned, previous_fields, cleaned.get("previously_partnered") is True)
        start, end = cleaned.get("previous_from"), cleaned.get("previous_to")
        if start and end and end <= start:
            _error(self, "previous_to", _("This date must be after the From date."), "order")


# --- 3.4 Education and occupation --------------------------------------------------------------


class EducationEditForm(SectionForm):
    form_key = FORM

    education_level = choice_field("education_level", label=_("Highest level of education"))
    years_total = YearsField(
        label=_("Number of years of education in total"),
        max_value=99,
        help_text=_("Every year of school, college, university and trade school."),
    )
    current_occupation = TextField(
        label=_("Current occupation"),
        limit="education.current_occupation",
        help_text=_("Name the job precisely; not “employee” or “manager”."),
    )
    intended_occupation = TextField(
        label=_("Intended occupation in Canada"), limit="education.intended_occupation"
    )


class EducationSubmitForm(StrictMixin, EducationEditForm):
    required_fields = (
        "education_level",
        "years_total",
        "current_occupation",
        "intended_occupation",
    )

    def clean_strict(self, cleaned):
        years = cleaned.get("years_total")
        if years is not None and years > 40:
            _error(
                self,
                "years_total",
                _("More than 40 years of education: check the number."),
                "years_implausible",
            )


# --- 3.5 Languages -----------------------------------------------------------------------------


class LanguagesEditForm(SectionForm):
    form_key = FORM

    native_language = choice_field("native_language", label=_("Native language (mother tongue)"))
    communicate_in = choice_field(
        "communicate_in", label=_("Are you able to communicate in English or French?")
    )
    at_ease_in = choice_field(
        "correspondence_language",
        label=_("Language you are most at ease in"),
        help_text=_("Only if you communicate in both English and French."),
    )
    language_test = YesNoField(
        label=_(
            "Have you taken a test from a designated testing agency to assess your "
            "English or French?"
        )
    )


class LanguagesSubmitForm(StrictMixin, LanguagesEditForm):
    required_fields = ("native_language", "communicate_in", "language_test")

    def clean_strict(self, cleaned):
        _require(self, cleaned, ["at_ease_in"], cleaned.get("communicate_in") == COMMUNICATE_BOTH)


# --- 3.6 Passport and 3.7 national identity document -------------------------------------------


class DocumentRules:
    """Shared by the passport and national identity pages: when the person has the document,
    its number, country and dates are required and the dates sane (expiry after issue)."""

    has_field = ""

    def clean_strict(self, cleaned):
        has = cleaned.get(self.has_field) is True
        _require(self, cleaned, ["number", "country", "issue_date", "expiry_date"], has)
        number = cleaned.get("number") or ""
        if " " in number:
            _error(
                self,
                "number",
                _("Type the number exactly as shown, without spaces."),
                "number_spaces",
            )
        try:
            passport_dates(
                issue_date=cleaned.get("issue_date"), expiry_date=cleaned.get("expiry_date")
            )
        except django_forms.ValidationError as error:
            field = "issue_date" if error.code == "issue_date_future" else "expiry_date"
            if field not in self.errors:
                self.add_error(field, error)


def _document_fields(limit: str) -> dict:
    return {
        "number": CodeField(label=_("Document number"), limit=limit),
        "country": country_field(label=_("Country or territory of issue")),
        "issue_date": FullDateField(label=_("Issue date")),
        "expiry_date": FullDateField(label=_("Expiry date"), past_only=False),
        # The document's details apply once the person says they have one.
        "shown_when": {
            name: ("has_document", ("True",))
            for name in ("number", "country", "issue_date", "expiry_date")
        },
    }


PassportEditForm = type(
    "PassportEditForm",
    (SectionForm,),
    {
        "__module__": __name__,
        "form_key": FORM,
        "has_document": YesNoField(label=_("Do you have a valid passport or travel document?")),
        **_document_fields("passport.number"),
    },
)


class PassportSubmitForm(DocumentRules, StrictMixin, PassportEditForm):
    required_fields = ("has_document",)
    has_field = "has_document"


NationalIdEditForm = type(
    "NationalIdEditForm",
    (SectionForm,),
    {
        "__module__": __name__,
        "form_key": FORM,
        "has_document": YesNoField(label=_("Do you have a national identity document?")),
        **_document_fields("national_id.number"),
    },
)


class NationalIdSubmitForm(DocumentRules, StrictMixin, NationalIdEditForm):
    required_fields = ("has_document",)
    has_field = "has_document"


# --- 3.8 Contact information (PA) -------------------------------------------------------------


def _address_fields(prefix: str, *, po_box: bool) -> dict:
    fields = {}
    if po_box:
        fields[f"{prefix}_po_box"] = CodeField(
            label=_("P.O. box"), limit=f"contact.{prefix}_po_box"
        )
    fields.update(
        {
            f"{prefix}_apt_unit": CodeField(
                label=_("Apartment or unit"), limit=f"contact.{prefix}_apt_unit"
            ),
            f"{prefix}_street_number": CodeField(
                label=_("Street number"), limit=f"contact.{prefix}_street_number"
            ),
            f"{prefix}_street_name": TextField(
                label=_("Street name"), limit=f"contact.{prefix}_street_name"
            ),
            f"{prefix}_city": TextField(label=_("City or town"), limit=f"contact.{prefix}_city"),
            f"{prefix}_country": country_field(label=_("Country or territory")),
            f"{prefix}_province": choice_field(
                "province",
                label=_("Province or territory"),
                help_text=_("In Canada."),
            ),
            f"{prefix}_district": TextField(
                label=_("District"),
                limit=f"contact.{prefix}_district",
                help_text=_("Outside Canada."),
            ),
            f"{prefix}_postal_code": CodeField(
                label=_("Postal code"), limit=f"contact.{prefix}_postal_code"
            ),
        }
    )
    return fields


def _phone_fields(prefix: str, label_prefix) -> dict:
    return {
        f"{prefix}_kind": choice_field("telephone_kind", label=_("Canada/US or other")),
        f"{prefix}_type": choice_field("telephone_type", label=_("Type")),
        f"{prefix}_country_code": CodeField(
            label=_("Country code"),
            limit=f"contact.{prefix}_country_code",
            help_text=_("Only for a number outside Canada and the US."),
        ),
        f"{prefix}_number": CodeField(label=label_prefix, limit=f"contact.{prefix}_number"),
        f"{prefix}_extension": CodeField(label=_("Extension"), limit=f"contact.{prefix}_extension"),
    }


ADDRESS_PARTS = (
    "apt_unit", "street_number", "street_name", "city", "country", "province", "district",
    "postal_code",
)  # fmt: skip
PHONE_PARTS = ("kind", "type", "country_code", "number", "extension")

ContactBaseForm = type(
    "ContactBaseForm",
    (SectionForm,),
    {
        "__module__": __name__,
        "form_key": FORM,
        **_address_fields("mailing", po_box=True),
        "residential_same": YesNoField(
            label=_("Is your residential address the same as your mailing address?")
        ),
        **_address_fields("residential", po_box=False),
        **_phone_fields("phone", _("Telephone number")),
        **_phone_fields("alternate_phone", _("Alternate telephone number")),
        "fax_number": CodeField(label=_("Fax number")),
        "use_account_email": YesNoField(
            label=_("Use the email address of the profile for correspondence?")
        ),
        "other_email": django_forms.EmailField(
            required=False,
            label=_("Email address for correspondence"),
            help_text=_("Only if you answered no above."),
        ),
    },
)


class ContactEditForm(ContactBaseForm):
    def clean(self):
        """Postal codes and telephone numbers are stored in one shape (``K1A 0B1``, digits
        only) as soon as they can be; a value that cannot is kept as typed for the Submit
        form to point out."""
        cleaned = super().clean()
        for prefix in ("mailing", "residential"):
            postal = cleaned.get(f"{prefix}_postal_code")
            if postal and cleaned.get(f"{prefix}_country") == CANADA:
                try:
                    cleaned[f"{prefix}_postal_code"] = normalize_postal_code(postal)
                except django_forms.ValidationError:
                    pass
        for prefix in ("phone", "alternate_phone"):
            number = cleaned.get(f"{prefix}_number")
            if number:
                try:
                    cleaned[f"{prefix}_number"] = normalize_phone(
                        number, north_american=cleaned.get(f"{prefix}_kind") != "other"
                    )
                except django_forms.ValidationError:
                    pass
        return cleaned

    fieldsets = (
        Fieldset(
            _("Mailing address"), ["mailing_po_box", *(f"mailing_{p}" for p in ADDRESS_PARTS)]
        ),
        Fieldset(
            _("Residential address"),
            ["residential_same", *(f"residential_{p}" for p in ADDRESS_PARTS)],
            intro=_("Only if it is not the mailing address. A post office box is not accepted."),
        ),
        Fieldset(_("Telephone"), [f"phone_{p}" for p in PHONE_PARTS]),
        Fieldset(
            _("Alternate telephone (optional)"), [f"alternate_phone_{p}" for p in PHONE_PARTS]
        ),
        Fieldset(_("Fax and email"), ["fax_number", "use_account_email", "other_email"]),
    )


class ContactSubmitForm(StrictMixin, ContactEditForm):
    required_fields = (
        "mailing_city",
        "mailing_country",
        "residential_same",
        "phone_kind",
        "phone_type",
        "phone_number",
        "use_account_email",
    )

    def _address(self, cleaned, prefix: str, *, po_box: bool) -> None:
        if not cleaned.get(f"{prefix}_street_name") and not (
            po_box and cleaned.get(f"{prefix}_po_box")
        ):
            _error(
                self,
                f"{prefix}_street_name",
                _("Enter the street name, or a P.O. box.")
                if po_box
                else _("Enter the street name."),
                "street_required",
            )
        street = cleaned.get(f"{prefix}_street_name") or ""
        if not po_box and PO_BOX_RE.search(street):
            _error(
                self,
                f"{prefix}_street_name",
                _("Enter a street address. A post office box is not accepted here."),
                "po_box",
            )
        in_canada = cleaned.get(f"{prefix}_country") == CANADA
        _require(self, cleaned, [f"{prefix}_province", f"{prefix}_postal_code"], in_canada)
        postal = cleaned.get(f"{prefix}_postal_code") or ""
        if in_canada and postal and f"{prefix}_postal_code" not in self.errors:
            try:
                cleaned[f"{prefix}_postal_code"] = normalize_postal_code(postal)
            except django_forms.ValidationError as error:
                self.add_error(f"{prefix}_postal_code", error)

    def _phone(self, cleaned, prefix: str) -> None:
        number = cleaned.get(f"{prefix}_number") or ""
        kind = cleaned.get(f"{prefix}_kind")
        _require(self, cleaned, [f"{prefix}_country_code"], kind == "other" and bool(number))
        if number and f"{prefix}_number" not in self.errors:
            try:
                cleaned[f"{prefix}_number"] = normalize_phone(
                    number, north_american=kind != "other"
                )
            except django_forms.ValidationError as error:
                self.add_error(f"{prefix}_number", error)
        code = cleaned.get(f"{prefix}_country_code") or ""
        if code and not code.lstrip("+").isdigit():
            _error(self, f"{prefix}_country_code", _("Enter digits only."), "digits")
        extension = cleaned.get(f"{prefix}_extension") or ""
        if extension and not extension.isdigit():
            _error(self, f"{prefix}_extension", _("Enter digits only."), "digits")

    def clean_strict(self, cleaned):
        self._address(cleaned, "mailing", po_box=True)
        if cleaned.get("residential_same") is False:
            _require(self, cleaned, ["residential_city", "residential_country"], True)
            self._address(cleaned, "residential", po_box=False)
        self._phone(cleaned, "phone")
        if any(cleaned.get(f"alternate_phone_{p}") for p in ("number", "country_code")):
            _require(self, cleaned, ["alternate_phone_kind", "alternate_phone_type"], True)
            self._phone(cleaned, "alternate_phone")
        _require(self, cleaned, ["other_email"], cleaned.get("use_account_email") is False)


CONTACT_PROFILE = (
    ProfileField("email", _("Email address of the profile"), lambda p: p.email),
    ProfileField(
        "correspondence_language",
        _("Language for correspondence"),
        lambda p: p.correspondence_language,
        lambda p: _LANGUAGE(p.correspondence_language),
    ),
)


# --- 3.9 Dependants (PA) -----------------------------------------------------------------------


class DependantsEditForm(SectionForm):
    form_key = FORM

    has_dependants = YesNoField(label=_("Do you have dependants to add?"))


class DependantsSubmitForm(StrictMixin, DependantsEditForm):
    required_fields = ("has_dependants",)

    def clean_strict(self, cleaned):
        rows = self.table_sizes.get("dependants", 0)
        if cleaned.get("has_dependants") is True and not rows:
            _error(
                self,
                "has_dependants",
                _("You answered yes: add each family member to the table below."),
                "rows_required",
            )
        elif cleaned.get("has_dependants") is False and rows:
            _error(
                self,
                "has_dependants",
                _("You answered no but listed family members. Remove the rows or answer yes."),
                "rows_with_no",
            )
        listed = [row.get("person") for row in self.tables.get("dependants") or []]
        repeated = sorted(
            {
                number
                for number, person in enumerate(listed, start=1)
                if person and person in listed[: number - 1]
            }
        )
        for number in repeated:
            self.add_error(
                None,
                django_forms.ValidationError(
                    _("Row %(row)s lists a family member already listed above: remove it."),
                    code="duplicate_dependant",
                    params={"row": number},
                ),
            )


def _dependant_label(person) -> str:
    relationship = _RELATIONSHIP(person.relationship)
    return f"{person.full_name} ({relationship})" if relationship else person.full_name


class DependantRowEditForm(RowForm):
    form_key = FORM

    person = django_forms.ChoiceField(
        required=False,
        choices=[("", CHOOSE)],
        label=_("Family member"),
        help_text=_("Every family member has a profile; add missing ones to the application."),
    )
    dependant_type = choice_field(
        "dependant_type",
        label=_("Dependant type"),
        help_text=_(
            "For children: Type A under 22 with no spouse or partner; Type C 22 or older and "
            "unable to support themselves because of a condition. Type B is no longer used."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        people = self.context.everyone if self.context else []
        self.fields["person"].choices = [("", CHOOSE)] + [
            (str(p.public_id), _dependant_label(p)) for p in people if not p.is_principal
        ]


class DependantRowSubmitForm(StrictMixin, DependantRowEditForm):
    required_fields = ("person",)

    def clean_strict(self, cleaned):
        people = {str(p.public_id): p for p in self.context.everyone} if self.context else {}
        person = people.get(cleaned.get("person") or "")
        is_child = person is not None and person.relationship in CHILD_RELATIONSHIPS
        _require(self, cleaned, ["dependant_type"], is_child)


# --- the form --------------------------------------------------------------------------------


SECTIONS = (
    Section(
        form=FORM,
        slug="application",
        letter="1",
        title=_("Application details"),
        edit_form=ApplicationEditForm,
        submit_form=ApplicationSubmitForm,
        profile_fields=CONTACT_PROFILE[1:],
        intro=_(
            "The language for correspondence comes from the profile. The intended province "
            "also decides which program rules apply (for example, Quebec)."
        ),
        applies=_is_pa,
        # The intended province feeds the program checks, which the task list counts.
        refreshes_task_list=True,
    ),
    Section(
        form=FORM,
        slug="personal",
        letter="2",
        title=_("Personal details"),
        edit_form=PersonalEditForm,
        submit_form=PersonalSubmitForm,
        tables=(
            TableSpec(
                name="previous_countries",
                edit_form=PreviousCountryEditForm,
                submit_form=PreviousCountrySubmitForm,
                title=_("Previous countries of residence"),
                add_label=_("Add a country"),
            ),
        ),
        profile_fields=(*DEPENDANT_PROFILE, *PERSONAL_PROFILE),
        intro=_(
            "Names, date and place of birth, sex and citizenship come from the profile, "
            "exactly as in the passport."
        ),
    ),
    Section(
        form=FORM,
        slug="marital",
        letter="3",
        title=_("Marital status"),
        edit_form=MaritalEditForm,
        submit_form=MaritalSubmitForm,
        profile_fields=MARITAL_PROFILE,
        intro=_(
            "The marital status and the spouse or partner come from the profiles: a spouse "
            "or common-law partner has their own profile in the application."
        ),
    ),
    Section(
        form=FORM,
        slug="contact",
        letter="4",
        title=_("Contact information"),
        edit_form=ContactEditForm,
        submit_form=ContactSubmitForm,
        profile_fields=CONTACT_PROFILE[:1],
        applies=_is_pa,
    ),
    Section(
        form=FORM,
        slug="passport",
        letter="5",
        title=_("Passport"),
        edit_form=PassportEditForm,
        submit_form=PassportSubmitForm,
        intro=_(
            "Without a valid passport or travel document, upload an explanation or another "
            "identity document with the documents."
        ),
    ),
    Section(
        form=FORM,
        slug="national-id",
        letter="6",
        title=_("National identity document"),
        edit_form=NationalIdEditForm,
        submit_form=NationalIdSubmitForm,
    ),
    Section(
        form=FORM,
        slug="education",
        letter="7",
        title=_("Education and occupation"),
        edit_form=EducationEditForm,
        submit_form=EducationSubmitForm,
    ),
    Section(
        form=FORM,
        slug="languages",
        letter="8",
        title=_("Languages"),
        edit_form=LanguagesEditForm,
        submit_form=LanguagesSubmitForm,
    ),
    Section(
        form=FORM,
        slug="dependants",
        letter="9",
        title=_("Dependants"),
        edit_form=DependantsEditForm,
        submit_form=DependantsSubmitForm,
        tables=(
            TableSpec(
                name="dependants",
                edit_form=DependantRowEditForm,
                submit_form=DependantRowSubmitForm,
                title=_("Family members"),
                add_label=_("Add a family member"),
            ),
        ),
        intro=_(
            "List every family member of the application, accompanying or not. Each one "
            "then has their own pages (personal details, marital status, passport, identity "
            "document, education, languages)."
        ),
        applies=_is_pa,
    ),
)


# --- printable view ------------------------------------------------------------------------------


def _choice_labels(choices) -> dict:
    labels = {}
    for value, label in choices:
        if isinstance(label, list | tuple):
            labels.update(_choice_labels(label))
        else:
            labels[value] = label
    return labels


def answer_text(field, value) -> str:
    """A stored answer as the form prints it: labels for codes, Yes/No, dates as stored."""
    if value in (None, ""):
        return ""
    if isinstance(field, YesNoField):
        return str(_("Yes") if value else _("No"))
    if isinstance(field, django_forms.ChoiceField):
        return str(_choice_labels(field.choices).get(value, value))
    return str(value)


def _printed_fields(cells, form_class, data: dict, *, label: str, number: int, row=None):
    """Numbered questions of one section: ``[(number, label, value)]``."""
    printed = []
    for name, field in form_class.base_fields.items():
        if name == "id":
            continue
        number += 1
        if isinstance(field, TextField):
            value = cells.text(form_class, name, data.get(name), section=label, row=row)
        else:
            value = answer_text(field, data.get(name))
        printed.append((number, field.label, value))
    return printed, number


def _previous_countries(cells, section: Section, rows: list[dict], *, label: str) -> dict:
    table = section.tables[0]
    columns = ["country", "status", "other_status", "start", "end"]
    printed = []
    for number, row in enumerate(rows, start=1):
        printed.append(
            [
                cells.text(table.edit_form, name, row.get(name), section=label, row=number)
                if name == "other_status"
                else answer_text(table.edit_form.base_fields[name], row.get(name))
                for name in columns
            ]
        )
    return {
        "headers": [(table.column_label(name), "") for name in columns],
        "rows": printed,
        "none_row": None,
    }


def _dependants_table(rows: list[dict], people) -> dict:
    by_id = {str(p.public_id): p for p in people}
    type_field = DependantRowEditForm.base_fields["dependant_type"]
    printed = []
    for row in rows:
        person = by_id.get(row.get("person") or "")
        if person is None:
            continue
        printed.append(
            [
                person.family_name,
                person.given_names,
                person.date_of_birth.isoformat() if person.date_of_birth else "",
                _RELATIONSHIP(person.relationship),
                _yes_no(person.accompanying),
                answer_text(type_field, row.get("dependant_type")),
            ]
        )
    return {
        "headers": [
            (_("Family name(s)"), ""),
            (_("Given name(s)"), ""),
            (_("Date of birth"), ""),
            (_("Relationship to the principal applicant"), ""),
            (_("Accompanying"), ""),
            (_("Dependant type"), ""),
        ],
        "rows": printed,
        "none_row": None,
    }


def print_context(answers: dict, context) -> dict:
    """Everything templates/forms_imm/print/imm0008.html shows, numbered like the form."""
    person = context.person
    cells = Cells(person_label=person.full_name, form_label="IMM 0008")
    number = 0
    printed_sections = []
    for section in SECTIONS:
        if section.applies is not None and not section.applies(person, context):
            continue
        label = f"{section.letter}. {section.title}"
        profile = []
        for profile_field in section.profile_fields:
            if profile_field.shown_to(person):
                number += 1
                shown = profile_field.shown(person)
                profile.append((number, profile_field.label, "" if shown is None else shown))
        data = answers.get(section.slug, {})
        questions, number = _printed_fields(
            cells, section.edit_form, data, label=label, number=number
        )
        printed = {"section": section, "questions": profile + questions, "table": None}
        if section.slug == "personal":
            printed["table"] = _previous_countries(
                cells, section, data.get("previous_countries") or [], label=label
            )
        elif section.slug == "dependants":
            printed["table"] = _dependants_table(data.get("dependants") or [], context.everyone)
        if section.slug == "marital":
            spouse = spouse_of(person, context.everyone)
            if spouse is not None:
                number += 1
                printed["questions"].insert(
                    1, (number, _("Spouse or common-law partner"), spouse.full_name)
                )
        printed_sections.append(printed)
    cells.build()
    return {"sections": printed_sections, "annex": cells.annex, "is_principal": person.is_principal}


# --- cross-form consistency (forms.md §7) --------------------------------------------------------


def _parse_date(value) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def _age(born: date | None, on: date) -> int | None:
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


@register
def dependants_block_matches_profiles(answers: Answers) -> list[Inconsistency]:
    """The PA's dependants block lists every family member profile, and only them (§3.9)."""
    pa = answers.principal
    block = answers.section(pa, FORM, "dependants")
    if not block:
        return []
    found = []
    rows = block.get("dependants") or []
    listed = {row.get("person") for row in rows}
    family = [p for p in answers.people if not p.is_principal]
    for person in family:
        if str(person.public_id) not in listed:
            found.append(
                Inconsistency(
                    code="imm0008.dependant_not_listed",
                    message=_(
                        "%(name)s has a profile but is not in the IMM 0008 dependants block. "
                        "Add them to the family members."
                    )
                    % {"name": person.full_name},
                    person=pa,
                    form=FORM,
                    section="dependants",
                    key=str(person.public_id),
                )
            )
    known = {str(p.public_id) for p in family}
    for number, row in enumerate(rows, start=1):
        if row.get("person") and row["person"] not in known:
            found.append(
                Inconsistency(
                    code="imm0008.dependant_without_profile",
                    message=_(
                        "Row %(row)s of the IMM 0008 dependants block names a family member "
                        "who no longer has a profile. Remove the row."
                    )
                    % {"row": number},
                    person=pa,
                    form=FORM,
                    section="dependants",
                    key=row.get("id") or str(number),
                )
            )
    if block.get("has_dependants") is True and not family:
        found.append(
            Inconsistency(
                code="imm0008.dependants_answer",
                message=_(
                    "IMM 0008 says there are dependants to add, but the application has no "
                    "family member profile."
                ),
                person=pa,
                form=FORM,
                section="dependants",
            )
        )
    return found


@register
def marital_status_agrees(answers: Answers) -> list[Inconsistency]:
    """The PA and the spouse or partner have the same status (married or common-law), their
    IMM 0008 dates of marriage agree, and every form that asks a person's marital status
    agrees with the profile."""
    found = []
    pa = answers.principal
    spouse = spouse_of(pa, answers.people) if pa is not None else None
    if pa is not None and spouse is not None:
        statuses = {pa.marital_status, spouse.marital_status}
        if all(statuses) and len(statuses) > 1 and statuses & PARTNERED:
            found.append(
                Inconsistency(
                    code="imm0008.spouse_marital_status",
                    message=_(
                        "Marital status differs: %(pa)s is “%(pa_status)s” but %(spouse)s is "
                        "“%(spouse_status)s”. Correct the profile that is wrong."
                    )
                    % {
                        "pa": pa.full_name,
                        "pa_status": _MARITAL(pa.marital_status),
                        "spouse": spouse.full_name,
                        "spouse_status": _MARITAL(spouse.marital_status),
                    },
                    person=spouse,
                )
            )
        mine = answers.section(pa, FORM, "marital").get("marriage_date")
        theirs = answers.section(spouse, FORM, "marital").get("marriage_date")
        if mine and theirs and mine != theirs:
            found.append(
                Inconsistency(
                    code="imm0008.marriage_date",
                    message=_(
                        "The date of marriage or of the start of the relationship in IMM 0008 "
                        "differs between %(pa)s and %(spouse)s."
                    )
                    % {"pa": pa.full_name, "spouse": spouse.full_name},
                    person=spouse,
                    form=FORM,
                    section="marital",
                )
            )
    for person in answers.people:
        for form, section, field in MARITAL_STATUS_ANSWERS:
            stated = answers.section(person, form, section).get(field)
            if stated and person.marital_status and stated != person.marital_status:
                found.append(
                    Inconsistency(
                        code="marital_status.form_differs",
                        message=_(
                            "%(name)s: the marital status in %(form)s (“%(stated)s”) differs "
                            "from the profile (“%(profile)s”)."
                        )
                        % {
                            "name": person.full_name,
                            "form": form.upper().replace("IMM", "IMM "),
                            "stated": _MARITAL(stated),
                            "profile": _MARITAL(person.marital_status),
                        },
                        person=person,
                        form=form,
                        section=section,
                        key=f"{person.public_id}:{form}",
                    )
                )
    return found


@register
def dependant_types_fit(answers: Answers) -> list[Inconsistency]:
    """Dependant type checks of forms.md §3.9 (warnings; age today, not at the lock-in date)."""
    pa = answers.principal
    rows = answers.section(pa, FORM, "dependants").get("dependants") or []
    people = {str(p.public_id): p for p in answers.people}
    found = []
    for row in rows:
        person = people.get(row.get("person") or "")
        kind = row.get("dependant_type")
        if person is None or not kind:
            continue
        age = _age(person.date_of_birth, answers.today)
        message = None
        if kind == "01" and age is not None and age >= 22:
            message = _("%(name)s is 22 or older: Type A is for children under 22.")
        elif kind == "01" and person.marital_status in PARTNERED:
            message = _(
                "%(name)s is married or common-law: a Type A child has no spouse or partner."
            )
        elif kind == "02":
            message = _(
                "%(name)s is Type B, which only applies to ages locked in before "
                "1 August 2014. Check the dependant type."
            )
        elif kind == "03" and age is not None and age < 22:
            message = _("%(name)s is under 22: Type C is for children 22 or older.")
        if message is not None:
            found.append(
                Inconsistency(
                    code="imm0008.dependant_type",
                    message=message % {"name": person.full_name},
                    person=pa,
                    form=FORM,
                    section="dependants",
                    key=str(person.public_id),
                )
            )
    return found


@register
def documents_not_expired(answers: Answers) -> list[Inconsistency]:
    """A passport or identity document that has already expired (forms.md §3.6: a warning)."""
    found = []
    for person in answers.people:
        for section, message in (
            (
                "passport",
                _(
                    "The passport of %(name)s has expired. Renew it or explain; IRCC needs a "
                    "valid document."
                ),
            ),
            (
                "national-id",
                _(
                    "The national identity document of %(name)s has expired. Renew it or "
                    "explain; IRCC needs a valid document."
                ),
            ),
        ):
            data = answers.section(person, FORM, section)
            expiry = _parse_date(data.get("expiry_date"))
            if data.get("has_document") and expiry is not None and expiry < answers.today:
                found.append(
                    Inconsistency(
                        code=f"imm0008.{section}_expired",
                        message=message % {"name": person.full_name},
                        person=person,
                        form=FORM,
                        section=section,
                        key=str(person.public_id),
                    )
                )
    return found


def _squash(value) -> str:
    return " ".join(str(value or "").casefold().split())


def _current_row(rows: list[dict]) -> dict:
    return next((row for row in reversed(rows or []) if row.get("present")), {})


@register
def imm5669_agrees_with_imm0008(answers: Answers) -> list[Inconsistency]:
    """Forms.md §7.4 and §7.5: the current IMM 5669 address is the IMM 0008 residential address,
    and the current IMM 5669 activity is the IMM 0008 current occupation (warnings)."""
    found = []
    pa = answers.principal
    contact = answers.section(pa, FORM, "contact")
    address = _current_row(answers.section(pa, "imm5669", "addresses").get("addresses"))
    if contact and address:
        prefix = "mailing" if contact.get("residential_same") is not False else "residential"
        city = _squash(contact.get(f"{prefix}_city"))
        postal = _squash(contact.get(f"{prefix}_postal_code")).replace(" ", "")
        if (city and city != _squash(address.get("city"))) or (
            postal and postal != _squash(address.get("postal_code")).replace(" ", "")
        ):
            found.append(
                Inconsistency(
                    code="imm0008.address_differs",
                    message=_(
                        "The current address in IMM 5669 of %(name)s is not the residential "
                        "address in IMM 0008 (city or postal code differs)."
                    )
                    % {"name": pa.full_name},
                    person=pa,
                    form="imm5669",
                    section="addresses",
                )
            )
    for person in answers.people:
        occupation = _squash(answers.section(person, FORM, "education").get("current_occupation"))
        current = _current_row(answers.section(person, "imm5669", "history").get("history"))
        if occupation and current.get("activity") and occupation != _squash(current["activity"]):
            found.append(
                Inconsistency(
                    code="imm0008.occupation_differs",
                    message=_(
                        "%(name)s: the current occupation in IMM 0008 is not the current "
                        "activity in IMM 5669 personal history."
                    )
                    % {"name": person.full_name},
                    person=person,
                    form=FORM,
                    section="education",
                    key=str(person.public_id),
                )
            )
    return found


IMM0008 = FormSpec(
    key=FORM,
    number="IMM 0008",
    title=_("Generic Application Form for Canada"),
    sections=SECTIONS,
    print_template="forms_imm/print/imm0008.html",
    print_context=print_context,
)
