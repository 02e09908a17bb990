"""Journey: a representative fills IMM 5406 and IMM 5562 for a principal applicant and a spouse.

IMM 5406 for both people: the spouse block of each comes from the other's profile (name and
date of birth read-only), the parents are typed, Section B is "Not applicable" and Section C
gets a brother added as a row. IMM 5562 is kept with the principal applicant: Section A first
lists two overlapping trips, the page reports the overlap, fixing a month makes it go; Section B
(the spouse) is answered "I did not travel". axe runs on every page, in English and in French.
"""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from applications.models import Person, Program
from forms_imm.models import FormSection
from forms_imm.periods import Month
from tests import factories
from tests.browser.test_forms_imm5669 import check_both_languages, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FAMILY_A = "Section A: You, your spouse or partner, your mother and your father"


def month(offset: int) -> Month:
    return Month.from_date(date.today()).add(offset)


@pytest.fixture
def couple(live_server):
    rep = factories.make_representative(email="rep-family@example.test", full_name="Rep Family")
    application = factories.make_application(
        representative=rep,
        family_name="Tremblay",
        given_names="Marie",
        program=Program.objects.get(code="start_up_visa"),
    )
    Person.objects.filter(pk=application.principal_applicant_id).update(
        date_of_birth=date(1980, 5, 6), sex="F", marital_status="01", birth_country="FR"
    )
    spouse = factories.make_person(
        application=application,
        relationship="10",
        family_name="Tremblay",
        given_names="Luc",
        sex="M",
        date_of_birth=date(1979, 8, 9),
        marital_status="01",
        birth_country="CA",
    )
    return rep, application, spouse


def open_section(page, person_name, title):
    page.goto(page.forms_url)
    page.locator("section", has_text=person_name).get_by_role("link", name=title).click()
    expect(page.locator("h1")).to_have_text(title)
    check_both_languages(page)


def mark_complete(page):
    page.get_by_role("button", name="Mark section complete").click()


def expect_complete(page):
    expect(page.get_by_test_id("section-state")).to_contain_text("Complete")
    expect(page.locator(".error-summary")).to_have_count(0)
    check_both_languages(page)


def fill_member(page, prefix, name, born, country):
    page.fill(f"#id_{prefix}full_name", name)
    page.fill(f"#id_{prefix}date_of_birth", born)
    page.fill(f"#id_{prefix}country_of_birth", country)
    page.select_option(f"#id_{prefix}marital_status", "01")
    page.check(f"#id_{prefix}email_unknown")
    page.fill(f"#id_{prefix}address", "1 rue Haute, Lyon, France")


def fill_imm5406(page, name, partner):
    open_section(page, name, FAMILY_A)
    # The spouse block is the partner's profile, read-only.
    expect(page.locator("#id_spouse_full_name")).to_have_value(partner)
    expect(page.locator("#id_spouse_full_name")).to_have_attribute("readonly", "")
    page.fill("#id_applicant_email", "me@example.com")
    page.fill("#id_applicant_address", "12 Elm Street, Ottawa, Canada")
    page.check("#id_spouse_email_unknown")
    page.fill("#id_spouse_address", "12 Elm Street, Ottawa, Canada")
    fill_member(page, "mother_", "Anne Roy", "1950-06-07", "France")
    fill_member(page, "father_", "Paul Roy", "1948-01-02", "France")
    # A deceased father without the date of death is refused, next to the field.
    page.check("#id_father_deceased")
    page.fill("#id_father_address", "")
    page.fill("#id_father_death_place", "Lyon")
    mark_complete(page)
    expect(page.locator(".error-summary")).to_contain_text("Enter the date of death.")
    expect(page.locator("#id_father_full_name")).to_have_value("Paul Roy")  # nothing lost
    page.fill("#id_father_death_date", "2015-04-03")
    mark_complete(page)
    expect_complete(page)

    open_section(page, name, "Section B: Children")
    page.check("#id_not_applicable")
    mark_complete(page)
    expect_complete(page)

    open_section(page, name, "Section C: Brothers and sisters")
    page.get_by_role("button", name="Add a brother or sister").click()
    expect(page.locator("#id_siblings-0-relationship")).to_be_focused()
    page.fill("#id_siblings-0-relationship", "Brother")
    fill_member(page, "siblings-0-", "Jean Roy", "1983-02-03", "France")
    mark_complete(page)
    expect_complete(page)


def fill_trip(page, index, start, end):
    if page.locator(f"#id_trips-{index}-start").count() == 0:
        page.get_by_role("button", name="Add a trip").click()
    prefix = f"#id_trips-{index}-"
    page.fill(prefix + "start", start.isoformat())
    page.fill(prefix + "end", end.isoformat())
    page.fill(prefix + "length_of_stay", "12 days")
    page.fill(prefix + "destination", "Paris, France")
    page.fill(prefix + "purpose", "Tourism")


def test_imm5406_and_imm5562_for_a_principal_applicant_and_a_spouse(page, live_server, couple):
    rep, application, spouse = couple
    sign_in(page, live_server, rep.user)
    page.forms_url = f"/en/applications/{application.public_id}/forms/"
    page.goto(page.forms_url)
    check_both_languages(page)

    fill_imm5406(page, "Marie Tremblay", "Luc Tremblay")
    fill_imm5406(page, "Luc Tremblay", "Marie Tremblay")

    # IMM 5562 is with the principal applicant only.
    page.goto(page.forms_url)
    luc = page.locator("section", has_text="Luc Tremblay")
    expect(luc.get_by_role("link", name="Section A: Principal applicant's travels")).to_have_count(
        0
    )

    open_section(page, "Marie Tremblay", "Section A: Principal applicant's travels")
    fill_trip(page, 0, month(-30), month(-27))
    fill_trip(page, 1, month(-28), month(-26))
    mark_complete(page)
    warnings = page.locator(".table-warnings")
    expect(warnings).to_be_visible()
    expect(warnings).to_contain_text("Check these rows")
    check_both_languages(page)
    warnings.get_by_role("link").first.click()
    page.fill("#id_trips-1-start", month(-27).isoformat())  # home and away again that month
    page.fill("#id_trips-1-end", month(-26).isoformat())
    mark_complete(page)
    expect(page.locator(".table-warnings")).to_have_count(0)
    expect_complete(page)

    open_section(page, "Marie Tremblay", "Section B: Spouse's or common-law partner's travels")
    mark_complete(page)  # neither trips nor "did not travel": refused
    expect(page.locator(".error-summary")).to_contain_text("or tick “Did not travel”")
    page.check("#id_did_not_travel")
    mark_complete(page)
    expect_complete(page)

    page.goto(page.forms_url)
    for person_form in page.locator("[data-form]").all():
        expect(person_form.locator("h3 .state-badge")).to_have_text(
            re.compile("Complete|Not started")
        )
    marie = application.principal_applicant
    for who in (marie, spouse):
        states = FormSection.objects.filter(person=who, form="imm5406").values_list(
            "state", flat=True
        )
        assert sorted(states) == ["complete"] * 3
    trips = FormSection.objects.get(person=marie, form="imm5562", section="applicant")
    assert trips.state == "complete" and len(trips.data["trips"]) == 2
    spouse_trips = FormSection.objects.get(person=marie, form="imm5562", section="spouse")
    assert spouse_trips.data["did_not_travel"] is True

    for form, heading in (
        ("imm5406", "Additional Family Information"),
        ("imm5562", "Supplementary Information: Your Travels"),
    ):
        page.goto(f"{page.forms_url}{marie.public_id}/{form}/print/")
        expect(page.locator("h1")).to_have_text(heading)
        expect(page.locator("body")).not_to_contain_text("Draft:")
        check_both_languages(page)
    expect(page.locator("body")).to_contain_text("Paris, France")
