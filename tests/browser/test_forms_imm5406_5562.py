"""Journey: a principal applicant and a spouse fill IMM 5406 and IMM 5562.

The spouse block of the PA's IMM 5406 comes from the spouse's profile (read-only) and the
other way round. IMM 5562 is one form with the PA: two overlapping trips get a warning on the
page, which goes once the dates are fixed; the spouse's Section B answers "Did not travel".
axe runs on every page in English and in French.
"""

from datetime import date

import pytest
from playwright.sync_api import expect

from applications.models import Person, Program
from forms_imm.models import FormSection
from forms_imm.periods import Month
from tests import factories
from tests.browser.forms_helpers import (
    check_both_languages,
    fill_5406_family,
    fill_5406_father_death,
    fill_5406_member,
    fill_trip,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def couple(live_server):
    rep = factories.make_representative(email="rep-5406@example.test", full_name="Rep Family")
    application = factories.make_application(
        representative=rep,
        family_name="Tremblay",
        given_names="Paul",
        program=Program.objects.get(code="start_up_visa"),
    )
    Person.objects.filter(pk=application.principal_applicant_id).update(
        date_of_birth=date(1980, 5, 6), sex="M", marital_status="01"
    )
    spouse = factories.make_person(
        application=application,
        relationship="10",
        family_name="Roy",
        given_names="Marie",
        sex="F",
        marital_status="01",
        date_of_birth=date(1982, 8, 9),
    )
    return rep, application, spouse


def url(application, person, form, section):
    return f"/en/applications/{application.public_id}/forms/{person.public_id}/{form}/{section}/"


def complete(page):
    page.get_by_role("button", name="Mark section complete").click()
    expect(page.locator(".error-summary")).to_have_count(0)
    expect(page.get_by_test_id("section-state")).to_contain_text("Complete")
    expect(page.locator(".error-summary")).to_have_count(0)
    check_both_languages(page)


def fill_section_a(page, other_name):
    expect(page.locator("h1")).to_contain_text("Section A")
    check_both_languages(page)
    fill_5406_family(page, other_name)
    page.get_by_role("button", name="Mark section complete").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Enter the date of death.")
    expect(summary).to_contain_text("Enter the city or town of death.")
    check_both_languages(page)
    fill_5406_father_death(page)
    complete(page)


def test_imm5406_and_imm5562_for_a_pa_and_a_spouse(page, live_server, couple):
    rep, application, spouse = couple
    pa = application.principal_applicant
    sign_in(page, live_server, rep.user)

    # IMM 5406 of the principal applicant.
    page.goto(url(application, pa, "imm5406", "family"))
    fill_section_a(page, "Marie Roy")
    page.goto(url(application, pa, "imm5406", "children"))
    check_both_languages(page)
    page.check("#id_not_applicable")
    complete(page)
    page.goto(url(application, pa, "imm5406", "siblings"))
    page.get_by_role("button", name="Add a brother or sister").click()
    page.fill("#id_siblings-0-relationship", "Half-sister")
    fill_5406_member(page, "siblings-0-", "Lise Tremblay", "1984-01-02")
    complete(page)

    # IMM 5406 of the spouse: the spouse block is the principal applicant.
    page.goto(url(application, spouse, "imm5406", "family"))
    fill_section_a(page, "Paul Tremblay")

    # IMM 5562, Section A: overlapping trips are a warning, then fixed.
    this_month = Month.from_date(date.today())
    first = (this_month.add(-30), this_month.add(-27))
    second = (this_month.add(-28), this_month.add(-26))
    page.goto(url(application, pa, "imm5562", "applicant"))
    expect(page.locator("h1")).to_contain_text("Section A")
    check_both_languages(page)
    for index, (start, end) in enumerate((first, second)):
        fill_trip(page, index, start, end)
    page.get_by_role("button", name="Save draft").first.click()
    warning = page.locator("[data-table-warnings]")
    expect(warning).to_contain_text("Trips 1 and 2 overlap")
    check_both_languages(page)
    page.fill("#id_trips-1-start", first[1].isoformat())
    complete(page)
    expect(page.locator("[data-table-warnings]")).to_have_count(0)

    # Section B: the spouse did not travel.
    page.goto(url(application, pa, "imm5562", "spouse"))
    expect(page.locator("h1")).to_contain_text("Section B")
    page.get_by_role("button", name="Mark section complete").click()
    expect(page.locator(".error-summary")).to_contain_text("Did not travel")
    page.check("#id_did_not_travel")
    complete(page)

    # The spouse has no IMM 5562 of their own.
    response = page.goto(url(application, spouse, "imm5562", "applicant"))
    assert response.status == 404
    states = dict(
        FormSection.objects.filter(application=application).values_list("section", "state")
    )
    assert set(states.values()) == {"complete"}

    # The printable view shows the spouse's "did not travel".
    page.goto(f"/en/applications/{application.public_id}/forms/{pa.public_id}/imm5562/print/")
    expect(page.get_by_text("Did not travel in the period")).to_be_visible()
