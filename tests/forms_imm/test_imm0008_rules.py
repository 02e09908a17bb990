"""IMM 0008 Submit rules (forms.md §3): required and conditional fields, sane dates, codes."""

from datetime import date

import pytest
import time_machine
from django.http import QueryDict

from applications.models import Person
from forms_imm.imm0008 import IMM0008
from forms_imm.spec import SectionContext
from tests import factories
from tests.forms_imm import imm0008_data as data
from tests.forms_imm.helpers import BORN, TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def application():
    application = factories.make_application()
    Person.objects.filter(pk=application.principal_applicant.pk).update(
        date_of_birth=BORN, marital_status="01"
    )
    application.principal_applicant.refresh_from_db()
    return application


@pytest.fixture
def pa(application):
    return application.principal_applicant


def _post(values: dict) -> QueryDict:
    post = QueryDict(mutable=True)
    for key, value in values.items():
        post[key] = value
    return post


def check(person, slug, values, *, strict=True):
    """The (field, code) pairs of every error of one section bound with ``values``."""
    section = IMM0008.section(slug)
    context = SectionContext(
        application=person.application, person=person, today=TODAY, people=None
    )
    for table in section.tables:
        values = {f"{table.name}-TOTAL_FORMS": "0", f"{table.name}-INITIAL_FORMS": "0", **values}
    bound = section.bind(_post(values), context=context, strict=strict)
    bound.is_valid()
    found = {
        (field, error.code)
        for field, errors in bound.form.errors.as_data().items()
        for error in errors
    }
    for name, formset in bound.tables.items():
        for number, form in enumerate(formset.forms, start=1):
            found |= {
                (f"{name}.{number}.{field}", error.code)
                for field, errors in form.errors.as_data().items()
                for error in errors
            }
    return found


@pytest.mark.parametrize(
    ("slug", "post"),
    [
        ("application", data.application_post()),
        ("personal", data.personal_post()),
        ("marital", data.marital_post()),
        ("contact", data.contact_post()),
        ("passport", data.passport_post()),
        ("national-id", data.national_id_post()),
        ("education", data.education_post()),
        ("languages", data.languages_post()),
        ("dependants", data.dependants_post()),
    ],
)
def test_complete_answers_pass(pa, slug, post):
    assert check(pa, slug, post) == set()


@pytest.mark.parametrize(
    ("slug", "required"),
    [
        ("application", {"interview_language", "interpreter_requested", "intended_province"}),
        ("personal", {"other_name_used", "eye_colour", "height_cm", "residence_country"}),
        ("marital", {"previously_partnered", "marriage_date"}),
        ("contact", {"mailing_city", "mailing_country", "residential_same", "phone_number"}),
        ("passport", {"has_document"}),
        ("education", {"education_level", "years_total", "current_occupation"}),
        ("languages", {"native_language", "communicate_in", "language_test"}),
        ("dependants", {"has_dependants"}),
    ],
)
def test_empty_sections_name_every_required_answer(pa, slug, required):
    fields = {field for field, _code in check(pa, slug, {})}
    assert required <= fields


@pytest.mark.parametrize("slug", ["application", "personal", "contact", "education"])
def test_a_draft_of_an_empty_section_is_accepted(pa, slug):
    assert check(pa, slug, {}, strict=False) == set()


def test_a_draft_still_refuses_what_is_not_of_its_type(pa):
    found = check(pa, "personal", {"height_cm": "tall", "residence_country": "ZZ"}, strict=False)
    assert ("height_cm", "invalid") in found
    assert ("residence_country", "invalid_choice") in found


def test_interview_language_other_needs_its_name_and_an_interpreter(pa):
    found = check(
        pa,
        "application",
        data.application_post(interview_language="499", interpreter_requested="False"),
    )
    assert ("interview_language_other", "required") in found
    assert ("interpreter_requested", "interpreter_needed") in found
    assert (
        check(
            pa,
            "application",
            data.application_post(
                interview_language="499",
                interview_language_other="Basque",
                interpreter_requested="True",
            ),
        )
        == set()
    )


def test_the_city_must_belong_to_the_intended_province(pa):
    found = check(pa, "application", data.application_post(intended_city="montreal"))
    assert found == {("intended_city", "city_not_in_province")}


def test_quebec_needs_the_csq_number_or_the_date_applied(pa):
    quebec = data.application_post(intended_province="QC", intended_city="montreal")
    assert check(pa, "application", quebec) == {("csq_applied_date", "csq_required")}
    assert check(pa, "application", {**quebec, "csq_number": "Q1234567"}) == set()
    assert check(pa, "application", {**quebec, "csq_applied_date": "2026-01-10"}) == set()


def test_other_name_yes_needs_the_family_name(pa):
    found = check(pa, "personal", data.personal_post(other_name_used="True"))
    assert found == {("other_family_name", "required")}


def test_residence_dates_in_order_and_entry_not_before_birth(pa):
    found = check(
        pa,
        "personal",
        data.personal_post(residence_to="2022-01-01", last_entry_date="1980-01-01"),
    )
    assert ("residence_to", "order") in found
    assert ("last_entry_date", "before_birth") in found


def test_last_entry_to_canada_cannot_be_in_the_future(pa):
    found = check(pa, "personal", data.personal_post(last_entry_date="2027-01-01"))
    assert ("last_entry_date", "future_date") in found


def test_living_outside_canada_needs_no_entry_details(pa):
    post = data.personal_post(
        residence_country="FR", residence_status="01", last_entry_date="", last_entry_place=""
    )
    assert check(pa, "personal", post) == set()


def test_other_status_needs_its_explanation(pa):
    found = check(pa, "personal", data.personal_post(residence_status="06"))
    assert found == {("residence_other_status", "required")}


def _country(country="US", start="2022-01-01", end="2022-12-31", **extra):
    return {"country": country, "status": "04", "start": start, "end": end, **extra}


def test_previous_countries_yes_needs_rows_and_at_most_two(pa):
    assert ("previous_residence", "rows_required") in check(
        pa, "personal", data.personal_post(previous_residence="True")
    )
    three = [_country(), _country("GB"), _country("DE")]
    found = check(pa, "personal", data.personal_post(previous=three))
    assert ("previous_residence", "too_many_rows") in found
    assert check(pa, "personal", data.personal_post(previous=three[:2])) == set()


def test_previous_country_rows_are_dated_within_five_years(pa):
    rows = [_country(start="2015-01-01", end="2016-01-01"), _country(end="2021-01-01")]
    found = check(pa, "personal", data.personal_post(previous=rows))
    assert ("previous_countries.1.end", "too_old") in found
    assert ("previous_countries.2.end", "order") in found


def test_no_previous_country_with_rows_is_refused(pa):
    post = data.personal_post(previous=[_country()], previous_residence="False")
    assert ("previous_residence", "rows_with_no") in check(pa, "personal", post)


def test_married_needs_the_date_of_marriage_after_birth(pa):
    assert check(pa, "marital", data.marital_post(marriage_date="")) == {
        ("marriage_date", "required")
    }
    assert ("marriage_date", "before_birth") in check(
        pa, "marital", data.marital_post(marriage_date="1980-01-01")
    )


def test_a_divorced_person_was_previously_married(pa):
    Person.objects.filter(pk=pa.pk).update(marital_status="04")
    pa.refresh_from_db()
    found = check(pa, "marital", data.marital_post(marriage_date=""))
    assert ("previously_partnered", "status_means_yes") in found


def test_a_previous_relationship_needs_its_details_and_sane_dates(pa):
    found = check(pa, "marital", data.marital_post(previously_partnered="True"))
    assert {field for field, _ in found} == {
        "previous_family_name",
        "previous_type",
        "previous_from",
        "previous_to",
        "previous_date_of_birth",
    }
    found = check(
        pa,
        "marital",
        data.marital_post(
            previously_partnered="True",
            previous_family_name="Roy",
            previous_date_of_birth="1984-01-01",
            previous_type="01",
            previous_from="2012-01-01",
            previous_to="2011-01-01",
        ),
    )
    assert found == {("previous_to", "order")}


def test_a_dependant_gives_no_date_of_birth_of_a_previous_partner(application):
    child = factories.make_person(
        application=application, date_of_birth=date(2000, 1, 1), marital_status="04"
    )
    post = data.marital_post(
        marriage_date="",
        previously_partnered="True",
        previous_family_name="Roy",
        previous_type="01",
        previous_from="2019-01-01",
        previous_to="2020-01-01",
    )
    assert check(child, "marital", post) == set()


def test_marital_status_must_be_in_the_profile(pa):
    Person.objects.filter(pk=pa.pk).update(marital_status="")
    pa.refresh_from_db()
    assert ("__all__", "no_status") in check(pa, "marital", data.marital_post())


def test_passport_details_are_required_with_a_passport(pa):
    found = check(pa, "passport", {"has_document": "True"})
    assert {f for f, _ in found} == {"number", "country", "issue_date", "expiry_date"}
    assert check(pa, "passport", {"has_document": "False"}) == set()


def test_passport_dates_and_number_are_sane(pa):
    found = check(
        pa,
        "passport",
        data.passport_post(number="AB 123", issue_date="2020-03-01", expiry_date="2019-03-01"),
    )
    assert found == {("number", "number_spaces"), ("expiry_date", "expiry_before_issue")}
    found = check(pa, "passport", data.passport_post(issue_date="2027-01-01"))
    assert ("issue_date", "future_date") in found


def test_passport_number_over_its_limit_is_refused_even_in_a_draft(pa):
    found = check(pa, "passport", {"number": "A" * 21}, strict=False)
    assert found == {("number", "code_too_long")}


def test_an_expired_passport_is_accepted_by_the_form(pa):
    post = data.passport_post(issue_date="2010-01-01", expiry_date="2020-01-01")
    assert check(pa, "passport", post) == set()


def test_national_identity_document_rules(pa):
    found = check(pa, "national-id", {"has_document": "True", "number": "X1"})
    assert {f for f, _ in found} == {"country", "issue_date", "expiry_date"}


def test_years_of_education_are_plausible(pa):
    found = check(pa, "education", data.education_post(years_total="45"))
    assert found == {("years_total", "years_implausible")}
    found = check(pa, "education", data.education_post(years_total="100"), strict=False)
    assert ("years_total", "max_value") in found


def test_language_most_at_ease_only_for_both(pa):
    assert check(pa, "languages", data.languages_post(at_ease_in="")) == {
        ("at_ease_in", "required")
    }
    assert check(pa, "languages", data.languages_post(communicate_in="01", at_ease_in="")) == set()


def test_mailing_address_needs_a_street_or_po_box_and_canadian_rules(pa):
    found = check(
        pa,
        "contact",
        data.contact_post(mailing_street_name="", mailing_postal_code="12345", mailing_province=""),
    )
    assert ("mailing_street_name", "street_required") in found
    assert ("mailing_postal_code", "postal_code") in found
    assert ("mailing_province", "required") in found
    post = data.contact_post(mailing_street_name="", mailing_street_number="", mailing_po_box="55")
    assert check(pa, "contact", post) == set()


def test_residential_address_has_no_po_box(pa):
    post = data.contact_post(
        residential_same="False",
        residential_street_name="PO Box 12",
        residential_city="Ottawa",
        residential_country="CA",
        residential_province="ON",
        residential_postal_code="K1A 0B1",
    )
    assert check(pa, "contact", post) == {("residential_street_name", "po_box")}


def test_residential_address_required_when_not_the_mailing_one(pa):
    found = check(pa, "contact", data.contact_post(residential_same="False"))
    assert {"residential_city", "residential_country", "residential_street_name"} <= {
        f for f, _ in found
    }


def test_telephone_numbers(pa):
    assert ("phone_number", "phone_north_american") in check(
        pa, "contact", data.contact_post(phone_number="555-01")
    )
    found = check(pa, "contact", data.contact_post(phone_kind="other", phone_number="1234567"))
    assert found == {("phone_country_code", "required")}
    post = data.contact_post(alternate_phone_number="613 555 0199")
    assert {f for f, _ in check(pa, "contact", post)} == {
        "alternate_phone_kind",
        "alternate_phone_type",
    }


def test_email_other_than_the_profile_one_is_required_when_asked(pa):
    found = check(pa, "contact", data.contact_post(use_account_email="False"))
    assert found == {("other_email", "required")}


def test_dependants_yes_needs_rows_and_a_type_for_children(application, pa):
    child = factories.make_person(application=application, date_of_birth=date(2015, 1, 1))
    spouse = factories.make_person(application=application, relationship="10")
    assert ("has_dependants", "rows_required") in check(
        pa, "dependants", {"has_dependants": "True"}
    )
    rows = [{"person": str(child.public_id)}, {"person": str(spouse.public_id)}]
    found = check(pa, "dependants", data.dependants_post(rows))
    assert found == {("dependants.1.dependant_type", "required")}
    rows[0]["dependant_type"] = "01"
    assert check(pa, "dependants", data.dependants_post(rows)) == set()


def test_a_family_member_listed_twice_is_refused(application, pa):
    child = factories.make_person(application=application, date_of_birth=date(2015, 1, 1))
    row = {"person": str(child.public_id), "dependant_type": "01"}
    found = check(pa, "dependants", data.dependants_post([row, dict(row)]))
    assert ("__all__", "duplicate_dependant") in found


def test_the_dependants_block_offers_only_this_applications_family(application, pa):
    stranger = factories.make_person(application=factories.make_application())
    found = check(pa, "dependants", data.dependants_post([{"person": str(stranger.public_id)}]))
    assert ("dependants.1.person", "invalid_choice") in found
