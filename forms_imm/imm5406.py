"""IMM 5406 Additional Family Information (forms.md §5): Sections A, B and C.

The principal applicant, the spouse or partner and each dependent child 18 or older fill their
own copy. Section A has four fixed blocks (the applicant, the spouse or partner, the mother, the
father), Section B lists the children and Section C the brothers and sisters.

The family lists start from the family profiles: a relative who is on the application (the
spouse in the principal applicant's form and the other way round, the dependent children in
theirs, the parents and siblings of a dependent child) appears pre-filled, their name and date
of birth read-only from the profile (the hidden ``profile`` value of a row or block names the
profile). Other relatives are rows typed in the form. Limits are looked up under
``("imm5406", "member.<field>")``.
"""

from __future__ import annotations

import uuid

from django import forms as django_forms
from django.core.validators import validate_email
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from applications.models import Person

from . import reference
from .forms import (
    Fieldset,
    FlagField,
    FullDateField,
    RowForm,
    SectionForm,
    StrictMixin,
    TextField,
)
from .imm5669 import NoneOrRowsMixin
from .printing import NONE_LITERAL, Cells
from .spec import FormSpec, ProfileField, Section, TableSpec

FORM = "imm5406"
NOT_APPLICABLE_LITERAL = "Not Applicable"  # IRCC's literal (forms.md §2.6), not translated
DECEASED_LITERAL = "Deceased"

MARRIED_OR_COMMON_LAW = {Person.MaritalStatus.MARRIED, Person.MaritalStatus.COMMON_LAW}
Role = Person.Role


def marital_choices():
    """The IMM 5406 list (its own order; the codes are those of IMM 0008, forms.md §5.2)."""
    return [("", _("Choose…")), *reference.choices("marital_status_imm5406")]


def marital_label(code: str) -> str:
    try:
        return reference.label("marital_status_imm5406", code) if code else ""
    except KeyError:
        return code


# --- who is related to whom among the profiles ---------------------------------------------------


def profile_spouse(person, people):
    """The profile in ``person``'s spouse block: the spouse for the PA, the PA for the spouse."""
    if person.role == Role.PRINCIPAL:
        return next((p for p in people if p.role == Role.SPOUSE_PARTNER), None)
    if person.role == Role.SPOUSE_PARTNER:
        return next((p for p in people if p.role == Role.PRINCIPAL), None)
    return None


def profile_parents(person, people) -> dict[str, object]:
    """A dependent child's mother and father among the profiles (the PA and the spouse), by
    the sex on their profile; someone whose sex is not F or M is not placed."""
    if person.role != Role.DEPENDENT_CHILD:
        return {}
    parents = {}
    for parent in people:
        if parent.role in (Role.PRINCIPAL, Role.SPOUSE_PARTNER):
            slot = {"F": "mother", "M": "father"}.get(parent.sex)
            if slot and slot not in parents:
                parents[slot] = parent
    return parents


def profile_children(person, people) -> list:
    if person.role in (Role.PRINCIPAL, Role.SPOUSE_PARTNER):
        return [p for p in people if p.role == Role.DEPENDENT_CHILD]
    return []


def profile_siblings(person, people) -> list:
    if person.role == Role.DEPENDENT_CHILD:
        return [p for p in people if p.role == Role.DEPENDENT_CHILD and p.pk != person.pk]
    return []


def _relationship_text(relative, as_sibling: bool) -> str:
    sex = relative.sex
    if as_sibling:
        return {"F": gettext("Sister"), "M": gettext("Brother")}.get(sex, gettext("Sibling"))
    if relative.relationship == Person.Relationship.STEP_CHILD:
        return {"F": gettext("Stepdaughter"), "M": gettext("Stepson")}.get(
            sex, gettext("Stepchild")
        )
    if relative.relationship == Person.Relationship.ADOPTED_CHILD:
        return {"F": gettext("Adopted daughter"), "M": gettext("Adopted son")}.get(
            sex, gettext("Adopted child")
        )
    return {"F": gettext("Daughter"), "M": gettext("Son")}.get(sex, gettext("Child"))


def _country_name(code) -> str:
    return str(code.name) if code else ""


def profile_values(relative) -> dict:
    """What a profile pre-fills in a block or row (name and date of birth stay read-only)."""
    return {
        "profile": str(relative.public_id),
        "full_name": relative.full_name,
        "date_of_birth": relative.date_of_birth.isoformat() if relative.date_of_birth else None,
        "country_of_birth": _country_name(relative.birth_country),
        "marital_status": relative.marital_status or "",
    }


def _find_profile(people, public_id):
    return next((p for p in people if str(p.public_id) == str(public_id or "")), None)


# --- the columns of a family member ---------------------------------------------------------------


def member_fields(prefix: str = "") -> dict:
    """The columns of forms.md §5.2 (without Relationship), named ``<prefix><column>``."""
    return {
        f"{prefix}profile": django_forms.CharField(required=False, widget=django_forms.HiddenInput),
        f"{prefix}full_name": TextField(
            label=_("Full name"),
            limit="member.full_name",
            help_text=_("Given and family names together, as in the passport where known."),
        ),
        f"{prefix}date_of_birth": FullDateField(label=_("Date of birth")),
        f"{prefix}country_of_birth": TextField(
            label=_("Country or territory of birth"), limit="member.country_of_birth"
        ),
        f"{prefix}marital_status": django_forms.ChoiceField(
            label=_("Marital status"), choices=marital_choices, required=False
        ),
        f"{prefix}email": TextField(label=_("Email address"), limit="member.email"),
        f"{prefix}email_unknown": FlagField(label=_("Email address not known")),
        f"{prefix}address": TextField(
            label=_("Present address"),
            limit="member.address",
            help_text=_("Street, city and country in one line. Write Unknown if you do not know."),
        ),
        f"{prefix}deceased": FlagField(label=_("Deceased")),
        f"{prefix}death_date": FullDateField(
            label=_("Date of death"), help_text=_("Only if deceased. Format: YYYY-MM-DD.")
        ),
        f"{prefix}death_place": TextField(
            label=_("City or town of death"),
            limit="member.address",
            help_text=_("Only if deceased."),
        ),
    }


MEMBER_COLUMNS = tuple(member_fields())
REQUIRED_COLUMNS = ("full_name", "date_of_birth", "country_of_birth", "marital_status")


def _error(form, name, message, code, **params):
    form.add_error(name, django_forms.ValidationError(message, code=code, params=params or None))


def member_rules(form, cleaned, prefix: str = "") -> None:
    """The strict rules of one family member (a block of Section A or a row of B or C)."""

    def value(name):
        return cleaned.get(prefix + name)

    for name in REQUIRED_COLUMNS:
        if value(name) in (None, "") and prefix + name not in form.errors:
            _error(form, prefix + name, _("Answer this to complete the section."), "required")
    born, deceased = value("date_of_birth"), value("deceased")
    if deceased:
        if not value("death_date") and prefix + "death_date" not in form.errors:
            _error(form, prefix + "death_date", _("Enter the date of death."), "death_date")
        if not value("death_place"):
            _error(
                form, prefix + "death_place", _("Enter the city or town of death."), "death_place"
            )
        if value("address"):
            _error(
                form,
                prefix + "address",
                _(
                    "Leave the address empty for someone deceased: the form prints “Deceased”, "
                    "the place and the date of death."
                ),
                "address_deceased",
            )
    else:
        if not value("address"):
            _error(
                form,
                prefix + "address",
                _("Enter the present address, or Unknown. Tick “Deceased” if the person has died."),
                "address_required",
            )
        for name in ("death_date", "death_place"):
            if value(name):
                _error(
                    form,
                    prefix + name,
                    _("Tick “Deceased”, or leave the date and place of death empty."),
                    "death_not_deceased",
                )
    death = value("death_date")
    if born and death and death < born:
        _error(
            form,
            prefix + "death_date",
            _("The date of death cannot be before the date of birth."),
            "death_before_birth",
        )
    email, unknown = value("email"), value("email_unknown")
    if email and unknown:
        _error(
            form,
            prefix + "email",
            _("Leave the email empty when you tick “Email address not known”."),
            "email_and_unknown",
        )
    elif email:
        try:
            validate_email(email)
        except django_forms.ValidationError:
            _error(
                form,
                prefix + "email",
                _("Enter an email address such as name@example.com."),
                "email_format",
            )
    elif not unknown and not deceased:
        _error(
            form,
            prefix + "email",
            _("Enter the email address, or tick “Email address not known”."),
            "email_required",
        )


def _link_profile(form, prefix: str, relative) -> None:
    """Name and date of birth read-only from ``relative``'s profile (posted values ignored)."""
    values = profile_values(relative)
    hint = _("From the profile of %(name)s: change it there.") % {"name": relative.full_name}
    form.initial[prefix + "profile"] = values["profile"]
    for name in ("full_name", "date_of_birth"):
        field = form.fields[prefix + name]
        field.disabled = True
        field.widget.attrs["readonly"] = True
        field.help_text = hint
        form.initial[prefix + name] = values[name]


# --- Section A: the applicant, the spouse or partner, the mother, the father ---------------------

BLOCKS = ("spouse", "mother", "father")

PROFILE_FIELDS = (
    ProfileField(
        "is_principal",
        _("Are you the principal applicant?"),
        lambda person: person.is_principal,
        lambda person: _("Yes") if person.is_principal else _("No"),
    ),
    ProfileField("full_name", _("Full name"), lambda person: person.full_name),
    ProfileField("date_of_birth", _("Date of birth"), lambda person: person.date_of_birth),
)


class FamilyEditForm(SectionForm):
    form_key = FORM

    applicant_country_of_birth = TextField(
        label=_("Your country or territory of birth"), limit="member.country_of_birth"
    )
    applicant_marital_status = django_forms.ChoiceField(
        label=_("Your marital status"),
        choices=marital_choices,
        required=False,
        help_text=_("It must agree with the marital status on your profile."),
    )
    applicant_email = TextField(label=_("Your email address"), limit="member.email")
    applicant_address = TextField(label=_("Your present address"), limit="member.address")
    no_spouse = FlagField(label=_("I have no spouse or common-law partner"))
    locals().update({f"spouse_{k}": v for k, v in member_fields().items()})
    locals().update({f"mother_{k}": v for k, v in member_fields().items()})
    locals().update({f"father_{k}": v for k, v in member_fields().items()})
    # The date and place of death apply to someone ticked "Deceased".
    shown_when = {
        f"{who}_{name}": (f"{who}_deceased", ("on",))
        for who in ("spouse", "mother", "father")
        for name in ("death_date", "death_place")
    }

    fieldsets = (
        Fieldset(
            _("You"),
            [
                "applicant_country_of_birth",
                "applicant_marital_status",
                "applicant_email",
                "applicant_address",
            ],
        ),
        Fieldset(
            _("Your spouse or common-law partner"),
            ["no_spouse"] + [f"spouse_{name}" for name in MEMBER_COLUMNS],
            intro=_("Tick the box only if you are not married and have no common-law partner."),
        ),
        Fieldset(_("Your mother"), [f"mother_{name}" for name in MEMBER_COLUMNS]),
        Fieldset(_("Your father"), [f"father_{name}" for name in MEMBER_COLUMNS]),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.context is None:
            return
        for slot in BLOCKS:
            self.fields[f"{slot}_profile"].disabled = True  # only ever set from the profiles
            self.initial[f"{slot}_profile"] = ""
        person, people = self.context.person, self.context.everyone
        spouse = profile_spouse(person, people)
        if spouse is not None:
            _link_profile(self, "spouse_", spouse)
        for slot, parent in profile_parents(person, people).items():
            _link_profile(self, f"{slot}_", parent)


class FamilySubmitForm(StrictMixin, FamilyEditForm):
    required_fields = (
        "applicant_country_of_birth",
        "applicant_marital_status",
        "applicant_address",
        *(f"{parent}_{name}" for parent in ("mother", "father") for name in REQUIRED_COLUMNS),
    )

    def clean_strict(self, cleaned):
        married = cleaned.get("applicant_marital_status") in MARRIED_OR_COMMON_LAW
        has_profile_spouse = bool(cleaned.get("spouse_profile"))
        if cleaned.get("no_spouse"):
            if married or has_profile_spouse:
                _error(
                    self,
                    "no_spouse",
                    _(
                        "You are married or in a common-law relationship: untick this box and "
                        "describe your spouse or partner."
                    ),
                    "no_spouse_but_married",
                )
            elif any(cleaned.get(f"spouse_{name}") for name in REQUIRED_COLUMNS):
                _error(
                    self,
                    "no_spouse",
                    _("You ticked “no spouse” but gave a spouse's details. Remove one of them."),
                    "no_spouse_with_details",
                )
        else:
            member_rules(self, cleaned, "spouse_")
        email = cleaned.get("applicant_email")
        if email:
            try:
                validate_email(email)
            except django_forms.ValidationError:
                _error(
                    self,
                    "applicant_email",
                    _("Enter an email address such as name@example.com."),
                    "email_format",
                )
        born = self.context.person.date_of_birth if self.context else None
        for parent in ("mother", "father"):
            member_rules(self, cleaned, f"{parent}_")
            parent_born = cleaned.get(f"{parent}_date_of_birth")
            if born and parent_born and parent_born >= born:
                _error(
                    self,
                    f"{parent}_date_of_birth",
                    _("A parent's date of birth must be before yours (%(date)s)."),
                    "parent_born_after_child",
                    date=born.isoformat(),
                )


def family_initial(stored: dict, context) -> dict:
    """Section A as first shown: the applicant's own answers and the linked blocks pre-filled
    from the profiles where nothing was typed yet."""
    data = dict(stored)
    person, people = context.person, context.everyone
    if not data.get("applicant_country_of_birth"):
        data["applicant_country_of_birth"] = _country_name(person.birth_country)
    if not data.get("applicant_marital_status"):
        data["applicant_marital_status"] = person.marital_status or ""
    if not data.get("applicant_email") and person.email:
        data["applicant_email"] = person.email
    linked = {"spouse": profile_spouse(person, people), **profile_parents(person, people)}
    for slot, relative in linked.items():
        if relative is None:
            continue
        for name, value in profile_values(relative).items():
            if not data.get(f"{slot}_{name}"):
                data[f"{slot}_{name}"] = value
    return data


# --- Sections B and C: children, brothers and sisters --------------------------------------------


class NotApplicableOrRowsMixin(NoneOrRowsMixin):
    """An explicit "Not applicable" for an empty table (forms.md §2.6): ticked, or rows."""

    none_field = "not_applicable"
    both_message = _("You ticked “Not applicable” but listed people. Remove the rows or untick it.")
    both_code = "not_applicable_with_rows"
    neither_message = _("Add at least one person, or tick “Not applicable”.")
    neither_code = "not_applicable_or_rows"


class RelativeEditForm(RowForm):
    form_key = FORM

    relationship = TextField(
        label=_("Relationship"),
        limit="member.relationship",
        help_text=_("For example Son, Daughter, Stepson, Half-sister."),
    )
    locals().update(member_fields())

    # Which profiles may be linked to a row of this table: (person, people) -> [profiles]
    relatives = staticmethod(lambda person, people: [])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.context is None:
            return
        if self.is_bound:
            public_id = self.data.get(self.add_prefix("profile"))
        else:
            public_id = self.initial.get("profile")
        allowed = self.relatives(self.context.person, self.context.everyone)
        relative = _find_profile(allowed, public_id)
        if relative is not None:
            _link_profile(self, "", relative)
        else:
            self.initial["profile"] = ""
            if self.is_bound:
                self.data = self.data.copy()
                self.data[self.add_prefix("profile")] = ""


class RelativeSubmitForm(StrictMixin, RelativeEditForm):
    required_fields = ("relationship", *REQUIRED_COLUMNS)

    def clean_strict(self, cleaned):
        super().clean_strict(cleaned)
        member_rules(self, cleaned)


class ChildEditForm(RelativeEditForm):
    relatives = staticmethod(profile_children)


class ChildSubmitForm(RelativeSubmitForm, ChildEditForm):
    def clean_strict(self, cleaned):
        super().clean_strict(cleaned)
        born = self.context.person.date_of_birth if self.context else None
        child_born = cleaned.get("date_of_birth")
        if born and child_born and child_born <= born:
            _error(
                self,
                "date_of_birth",
                _("A child's date of birth must be after yours (%(date)s)."),
                "child_born_before_parent",
                date=born.isoformat(),
            )


class SiblingEditForm(RelativeEditForm):
    relatives = staticmethod(profile_siblings)


class SiblingSubmitForm(RelativeSubmitForm, SiblingEditForm):
    pass


class ChildrenEditForm(SectionForm):
    form_key = FORM

    not_applicable = FlagField(label=_("Not applicable: I have no children"))


class ChildrenSubmitForm(NotApplicableOrRowsMixin, StrictMixin, ChildrenEditForm):
    table_name = "children"


class SiblingsEditForm(SectionForm):
    form_key = FORM

    not_applicable = FlagField(label=_("Not applicable: I have no brothers or sisters"))


class SiblingsSubmitForm(NotApplicableOrRowsMixin, StrictMixin, SiblingsEditForm):
    table_name = "siblings"


def _rows_initial(table: str, relatives, *, as_sibling: bool):
    def initial(stored: dict, context) -> dict:
        data = dict(stored)
        rows = list(data.get(table) or [])
        listed = {str(row.get("profile") or "") for row in rows}
        for relative in relatives(context.person, context.everyone):
            if str(relative.public_id) not in listed:
                rows.append(
                    {
                        "id": uuid.uuid4().hex,
                        "relationship": _relationship_text(relative, as_sibling),
                        **profile_values(relative),
                    }
                )
        data[table] = rows
        return data

    return initial


# --- the form -------------------------------------------------------------------------------------

SECTIONS = (
    Section(
        form=FORM,
        slug="family",
        letter="A",
        title=_("You, your spouse or partner, your mother and your father"),
        edit_form=FamilyEditForm,
        submit_form=FamilySubmitForm,
        intro=_(
            "Give every person even if they have died, you are estranged or they are not "
            "coming to Canada. People already on this application are filled in from their "
            "profiles."
        ),
        profile_fields=PROFILE_FIELDS,
        initial=family_initial,
    ),
    Section(
        form=FORM,
        slug="children",
        letter="B",
        title=_("Children"),
        edit_form=ChildrenEditForm,
        submit_form=ChildrenSubmitForm,
        tables=(
            TableSpec(
                name="children",
                edit_form=ChildEditForm,
                submit_form=ChildSubmitForm,
                title=_("Children"),
                add_label=_("Add a child"),
                none_field="not_applicable",
                none_cell="relationship",
            ),
        ),
        intro=_(
            "All your sons and daughters, of any age and wherever they live, including adopted "
            "children and stepchildren. Children on this application are listed from their "
            "profiles."
        ),
        initial=_rows_initial("children", profile_children, as_sibling=False),
    ),
    Section(
        form=FORM,
        slug="siblings",
        letter="C",
        title=_("Brothers and sisters"),
        edit_form=SiblingsEditForm,
        submit_form=SiblingsSubmitForm,
        tables=(
            TableSpec(
                name="siblings",
                edit_form=SiblingEditForm,
                submit_form=SiblingSubmitForm,
                title=_("Brothers and sisters"),
                add_label=_("Add a brother or sister"),
                none_field="not_applicable",
                none_cell="relationship",
            ),
        ),
        intro=_(
            "All your brothers and sisters, including half-brothers, half-sisters and "
            "step-siblings."
        ),
        initial=_rows_initial("siblings", profile_siblings, as_sibling=True),
    ),
)


# --- printable view -------------------------------------------------------------------------------

PRINT_COLUMNS = (
    "full_name",
    "date_of_birth",
    "country_of_birth",
    "marital_status",
    "email",
    "address",
)


def _printed_member(cells, form_class, data: dict, prefix: str, *, section, row=None) -> dict:
    def text(name, value=None):
        value = data.get(prefix + name) if value is None else value
        return cells.text(form_class, prefix + name, value, section=section, row=row)

    if data.get(prefix + "deceased"):
        address = ", ".join(
            part
            for part in (
                DECEASED_LITERAL,
                data.get(prefix + "death_place"),
                data.get(prefix + "death_date"),
            )
            if part
        )
    else:
        address = data.get(prefix + "address") or ""
    email = data.get(prefix + "email") or (
        NONE_LITERAL if data.get(prefix + "email_unknown") or data.get(prefix + "deceased") else ""
    )
    return {
        "full_name": text("full_name"),
        "date_of_birth": data.get(prefix + "date_of_birth") or "",
        "country_of_birth": text("country_of_birth"),
        "marital_status": marital_label(data.get(prefix + "marital_status") or ""),
        "email": text("email", email),
        "address": text("address", address),
    }


def _printed_rows(cells, form_class, data: dict, table: str, *, section):
    rows = []
    for number, row in enumerate(data.get(table) or [], start=1):
        printed = _printed_member(cells, form_class, row, "", section=section, row=number)
        printed["relationship"] = cells.text(
            form_class, "relationship", row.get("relationship"), section=section, row=number
        )
        rows.append(printed)
    return rows


def print_context(answers: dict, context) -> dict:
    person = context.person
    cells = Cells(person_label=person.full_name, form_label="IMM 5406")
    family = answers.get("family", {})
    section_a, section_b, section_c = (f"{s.letter}. {s.title}" for s in SECTIONS)
    applicant = {
        "full_name": person.full_name,
        "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else "",
        "country_of_birth": cells.text(
            FamilyEditForm,
            "applicant_country_of_birth",
            family.get("applicant_country_of_birth"),
            section=section_a,
        ),
        "marital_status": marital_label(family.get("applicant_marital_status") or ""),
        "email": cells.text(
            FamilyEditForm, "applicant_email", family.get("applicant_email"), section=section_a
        ),
        "address": cells.text(
            FamilyEditForm, "applicant_address", family.get("applicant_address"), section=section_a
        ),
    }
    blocks = [(_("Applicant"), applicant)]
    if family.get("no_spouse"):
        blocks.append((_("Spouse or common-law partner"), {"full_name": NONE_LITERAL}))
    else:
        blocks.append(
            (
                _("Spouse or common-law partner"),
                _printed_member(cells, FamilyEditForm, family, "spouse_", section=section_a),
            )
        )
    for slot, label in (("mother", _("Mother")), ("father", _("Father"))):
        blocks.append(
            (label, _printed_member(cells, FamilyEditForm, family, f"{slot}_", section=section_a))
        )
    children = answers.get("children", {})
    siblings = answers.get("siblings", {})
    printed = {
        "person": person,
        "is_principal": person.is_principal,
        "blocks": blocks,
        "columns": PRINT_COLUMNS,
        "children": _printed_rows(cells, ChildEditForm, children, "children", section=section_b),
        "children_not_applicable": bool(children.get("not_applicable")),
        "siblings": _printed_rows(cells, SiblingEditForm, siblings, "siblings", section=section_c),
        "siblings_not_applicable": bool(siblings.get("not_applicable")),
        "not_applicable": NOT_APPLICABLE_LITERAL,
    }
    cells.build()
    printed["annex"] = cells.annex
    return printed


IMM5406 = FormSpec(
    key=FORM,
    number="IMM 5406",
    title=_("Additional Family Information"),
    sections=SECTIONS,
    print_template="forms_imm/print/imm5406.html",
    print_context=print_context,
)
