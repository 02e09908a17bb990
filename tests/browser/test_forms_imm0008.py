"""Journey: a representative fills IMM 0008 for a principal applicant with a spouse and a child.

Every page of the principal applicant's IMM 0008 is filled and marked complete (the dependants
yes/no with the keyboard), then the spouse's and the child's personal details pages. The
application page shows a cross-form inconsistency (the spouse's profile says single while the
principal applicant is married) with a link to the profile; fixing the profile removes it.
axe runs on every page, in English and in French.
"""

from datetime import date

import pytest
from playwright.sync_api import expect

from forms_imm.models import FormSection
from tests import factories
from tests.browser.forms_helpers import (
    check_both_languages,
    expect_complete,
    fill_0008_contact,
    fill_0008_education,
    fill_0008_languages,
    fill_0008_marital,
    fill_0008_passport,
    fill_0008_personal,
    make_couple,
    mark_complete,
    sign_in,
    tab_to,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_section(page, person_name, title):
    page.goto(page.forms_url)
    person = page.locator("section", has_text=person_name).filter(has_text="IMM 0008")
    person.get_by_role("link", name=title).first.click()
    expect(page.locator("h1")).to_have_text(title)


def complete(page):
    mark_complete(page)
    expect_complete(page)


@pytest.fixture
def family(live_server):
    # The spouse's profile says single: it disagrees with the principal applicant's "married".
    rep, application, spouse = make_couple(email="rep-0008@example.test", spouse_status="02")
    child = factories.make_person(
        application=application,
        relationship="02",
        family_name="Tremblay",
        given_names="Zoé",
        date_of_birth=date(2016, 6, 1),
        marital_status="02",
        accompanying=True,
    )
    return rep, application, spouse, child


def test_imm0008_for_a_principal_applicant_with_a_spouse_and_a_child(page, live_server, family):
    rep, application, spouse, child = family
    sign_in(page, live_server, rep.user)
    page.applications_url = f"/en/applications/{application.public_id}/"
    page.forms_url = f"/en/applications/{application.public_id}/forms/"
    page.goto(page.forms_url)
    check_both_languages(page)

    open_section(page, "Marie Tremblay", "Section 1: Application details")
    check_both_languages(page)
    page.select_option("#id_interview_language", "002")
    page.check("#id_interpreter_requested_1")
    page.select_option("#id_intended_province", "QC")
    page.select_option("#id_intended_city", "montreal")
    page.get_by_role("button", name="Mark section complete").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Quebec: give the CSQ number")
    check_both_languages(page)
    page.fill("#id_csq_applied_date", "2026-01-15")
    complete(page)

    open_section(page, "Marie Tremblay", "Section 2: Personal details")
    expect(page.get_by_text("Edit in profile")).to_be_visible()
    fill_0008_personal(page)
    complete(page)
    check_both_languages(page)

    open_section(page, "Marie Tremblay", "Section 3: Marital status")
    fill_0008_marital(page)
    complete(page)
    check_both_languages(page)

    open_section(page, "Marie Tremblay", "Section 4: Contact information")
    fill_0008_contact(page)
    complete(page)
    check_both_languages(page)

    open_section(page, "Marie Tremblay", "Section 5: Passport")
    fill_0008_passport(page)
    complete(page)

    open_section(page, "Marie Tremblay", "Section 6: National identity document")
    page.check("#id_has_document_1")
    complete(page)

    open_section(page, "Marie Tremblay", "Section 7: Education and occupation")
    fill_0008_education(page)
    complete(page)

    open_section(page, "Marie Tremblay", "Section 8: Languages")
    fill_0008_languages(page)
    complete(page)
    check_both_languages(page)

    # The dependants block, its yes/no with the keyboard.
    open_section(page, "Marie Tremblay", "Section 9: Dependants")
    tab_to(page, "#id_has_dependants_0")
    page.keyboard.press("Space")
    expect(page.locator("#id_has_dependants_0")).to_be_checked()
    page.get_by_role("button", name="Add a family member").click()
    page.select_option("#id_dependants-0-person", str(spouse.public_id))
    page.get_by_role("button", name="Add a family member").click()
    page.select_option("#id_dependants-1-person", str(child.public_id))
    page.select_option("#id_dependants-1-dependant_type", "01")
    complete(page)
    check_both_languages(page)

    for person in ("Luc Tremblay", "Zoé Tremblay"):
        open_section(page, person, "Section 2: Personal details")
        expect(page.locator(".profile-values")).to_contain_text("Relationship to the principal")
        fill_0008_personal(page)
        complete(page)
    check_both_languages(page)

    # The task list shows the disagreement and links to the profile to fix.
    page.goto(page.applications_url)
    item = page.locator(".task-list a", has_text="Marital status differs")
    expect(item).to_contain_text("Luc Tremblay is “Single”")
    check_both_languages(page)
    item.click()
    page.select_option("#id_marital_status", "01")
    page.get_by_role("button", name="Save the profile").click()
    page.goto(page.applications_url)
    expect(page.locator(".task-list")).not_to_contain_text("Marital status differs")
    task = page.locator(
        ".task-list li", has_text="IMM 0008 Generic Application Form for Canada for"
    )
    expect(task.first).to_contain_text("Marie Tremblay")

    # The printable view: the dependants block as a table.
    page.goto(
        f"/en/applications/{application.public_id}/forms/{application.principal_applicant.public_id}/imm0008/print/"
    )
    expect(page.locator("h1")).to_have_text("Generic Application Form for Canada")
    expect(page.locator("body")).to_contain_text("Zoé")
    check_both_languages(page)
    assert FormSection.objects.filter(form="imm0008", state="complete").count() == 11
