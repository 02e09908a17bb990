"""Journey: fields that apply only for some answers show and hide with the answer.

On the principal applicant's IMM 0008 personal details, "Other family name(s)" appears when
"Have you ever used any other name?" is answered yes with the keyboard, and goes again on "No"
without losing what was typed; the places of last entry follow the country of residence (a
select). On IMM 5406 the date and place of death follow the "Deceased" checkbox, whose
aria-expanded says so. Without JavaScript every field shows. axe runs in English and French.
"""

import pytest
from playwright.sync_api import expect

from forms_imm.models import FormSection
from tests.browser.forms_helpers import check_both_languages, make_couple, sign_in, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def couple(live_server):
    return make_couple(email="rep-shown@example.test")


def section_url(application, form, section):
    person = application.principal_applicant
    return f"/en/applications/{application.public_id}/forms/{person.public_id}/{form}/{section}/"


def test_a_yes_shows_the_fields_it_asks_for_and_a_no_hides_them(page, live_server, couple):
    rep, application, spouse = couple
    sign_in(page, live_server, rep.user)
    page.goto(section_url(application, "imm0008", "personal"))
    other_name = page.locator("#id_other_family_name_block")
    expect(other_name).to_be_hidden()
    expect(page.locator("#id_residence_other_status_block")).to_be_hidden()
    check_both_languages(page)
    yes = page.locator("#id_other_name_used_0")
    expect(yes).to_have_attribute(
        "aria-controls", "id_other_family_name_block id_other_given_names_block"
    )

    # With the keyboard: Space answers yes, and the next Tab lands in the field it showed.
    tab_to(page, "#id_other_name_used_0")
    page.keyboard.press("Space")
    expect(other_name).to_be_visible()
    page.keyboard.press("Tab")
    expect(page.locator("#id_other_family_name")).to_be_focused()
    page.keyboard.type("Roy")
    page.check("#id_other_name_used_1")
    expect(other_name).to_be_hidden()
    expect(page.locator("#id_other_given_names_block")).to_be_hidden()
    expect(page.locator("[data-autosave-status]")).to_contain_text("Saved at")
    stored = FormSection.objects.get(section="personal").data
    assert stored["other_family_name"] == "Roy"  # hidden is not lost
    page.check("#id_other_name_used_0")
    expect(page.locator("#id_other_family_name")).to_have_value("Roy")

    # A select: the last entry to Canada applies to someone who lives in Canada.
    entry = page.locator("#id_last_entry_date_block")
    expect(entry).to_be_hidden()
    page.select_option("#id_residence_country", "CA")
    expect(entry).to_be_visible()
    expect(page.locator("#id_last_entry_place_block")).to_be_visible()
    page.select_option("#id_residence_country", "FR")
    expect(entry).to_be_hidden()
    check_both_languages(page)


def test_a_checkbox_says_whether_it_expanded_its_fields(page, live_server, couple):
    rep, application, spouse = couple
    sign_in(page, live_server, rep.user)
    page.goto(section_url(application, "imm5406", "family"))
    deceased = page.locator("#id_father_deceased")
    expect(deceased).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#id_father_death_date_block")).to_be_hidden()
    deceased.check()
    expect(deceased).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#id_father_death_date_block")).to_be_visible()
    expect(page.locator("#id_father_death_place_block")).to_be_visible()
    expect(page.locator("#id_mother_death_date_block")).to_be_hidden()
    check_both_languages(page)


def test_without_javascript_every_field_shows(browser, live_server, couple):
    rep, application, spouse = couple
    context = browser.new_context(
        base_url=live_server.url, locale="en-CA", java_script_enabled=False
    )
    page = context.new_page()
    sign_in(page, live_server, rep.user)
    page.goto(section_url(application, "imm0008", "personal"))
    for block in ("other_family_name", "residence_other_status", "last_entry_date"):
        expect(page.locator(f"#id_{block}_block")).to_be_visible()
    page.check("#id_other_name_used_1")
    page.fill("#id_other_family_name", "Roy")
    page.locator(".form-actions button[value=save]").click()
    expect(page.locator("#id_other_family_name")).to_have_value("Roy")
    expect(page.locator("#id_other_family_name_block")).to_be_visible()
    context.close()
