"""Journey: a representative fills IMM 5669 for a principal applicant and a spouse.

Every section of both forms is filled and marked complete. The personal history first leaves
a deliberate two-month gap: "Mark section complete" reports it with its months, in English and
in French, and the task list names them too; fixing the From month completes the section.
Mid-section, what autosave stored survives a reload. One section is filled with the keyboard
only. Two tabs on the same section get the conflict message instead of overwriting each
other. axe runs on every page, in English and in French.
"""

import re

import pytest
from playwright.sync_api import expect

from forms_imm.models import FormSection
from tests.browser.conftest import assert_accessible
from tests.browser.forms_helpers import (
    BACKGROUND_QUESTIONS,
    JOIN,
    answer_5669_background_no,
    check_both_languages,
    fill_5669_address,
    fill_5669_education,
    fill_5669_parents,
    fill_history,
    gap_message,
    history_rows,
    in_french,
    make_couple,
    mark_complete,
    month,
    sign_in,
    tab_to,
)
from tests.browser.forms_helpers import expect_complete as expect_section_complete

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_section(page, person_name, title):
    page.goto(page.forms_url)
    page.locator("section", has_text=person_name).get_by_role("link", name=title).click()
    expect(page.locator("h1")).to_have_text(title)
    check_both_languages(page)


def expect_complete(page):
    expect_section_complete(page)
    check_both_languages(page)


def fill_person(page, name):
    """Every section for one person; the history first with a two-month gap."""
    open_section(page, name, "Section A: Personal details")
    expect(page.get_by_text("Edit in profile")).to_be_visible()
    fill_5669_parents(page)
    mark_complete(page)
    expect_complete(page)

    open_section(page, name, "Section B: Background questions")
    answer_5669_background_no(page)
    mark_complete(page)
    expect_complete(page)

    open_section(page, name, "Section C: Education")
    fill_5669_education(page)
    mark_complete(page)
    expect_complete(page)

    open_section(page, name, "Section D: Personal history")
    fill_history(page, history_rows(gap=True))
    mark_complete(page)
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    english, french = gap_message("en"), gap_message("fr")
    expect(summary).to_contain_text(english)
    expect(page.get_by_test_id("section-state")).to_contain_text("Needs attention")
    assert page.title().startswith("Error:")
    assert_accessible(page)
    history_url = page.url
    page.goto(in_french(page))
    expect(page.locator(".error-summary")).to_contain_text(french)
    assert_accessible(page)
    page.goto(page.applications_url)
    expect(page.locator(".task-list")).to_contain_text(english)
    page.goto(history_url)
    # The summary links to the row to fix.
    page.locator(".error-summary a", has_text="missing").click()
    expect(page.locator("#id_history-1-start")).to_be_focused()
    page.fill("#id_history-1-start", JOIN.isoformat())
    mark_complete(page)
    expect_complete(page)

    for slug_title in (
        "Section E: Membership",
        "Section F: Government positions",
        "Section G: Military and paramilitary service",
    ):
        open_section(page, name, slug_title)
        page.check("#id_no_rows")
        mark_complete(page)
        expect_complete(page)

    open_section(page, name, "Section H: Addresses")
    fill_5669_address(page)
    mark_complete(page)
    expect_complete(page)


@pytest.fixture
def family(live_server):
    return make_couple(email="rep-forms@example.test")


def test_imm5669_for_a_principal_applicant_and_a_spouse(page, live_server, family):
    rep, application, spouse = family
    sign_in(page, live_server, rep.user)
    page.applications_url = f"/en/applications/{application.public_id}/"
    page.forms_url = f"/en/applications/{application.public_id}/forms/"
    page.goto(page.applications_url)
    page.get_by_role("link", name="Digital forms").click()
    expect(page.locator("h1")).to_have_text("Digital forms")
    check_both_languages(page)

    fill_person(page, "Marie Tremblay")

    # Mid-section, autosave keeps what was typed through a reload.
    open_section(page, "Luc Tremblay", "Section D: Personal history")
    page.get_by_role("button", name="Add a period").click()
    page.fill("#id_history-0-start", month(-130).isoformat())
    page.fill("#id_history-0-activity", "Typed before the reload")
    page.locator("#id_history-0-city_country").focus()  # leaving the field saves
    expect(page.locator("[data-autosave-status]")).to_contain_text(re.compile(r"Saved at \d"))
    page.reload()
    expect(page.locator("#id_history-0-activity")).to_have_value("Typed before the reload")
    expect(page.locator("#id_history-0-start")).to_have_value(month(-130).isoformat())
    stored = FormSection.objects.get(person=spouse, section="history").data["history"][0]
    assert stored["activity"] == "Typed before the reload"

    fill_person(page, "Luc Tremblay")

    page.goto(page.forms_url)
    imm5669_forms = page.locator("[data-form^='imm5669:']")
    expect(imm5669_forms).to_have_count(2)  # the other forms are other journeys
    for person_form in imm5669_forms.all():
        expect(person_form.locator("h3 .state-badge")).to_have_text("Complete")
    check_both_languages(page)
    page.locator("section", has_text="Luc Tremblay").get_by_role(
        "link", name=re.compile("Printable view of IMM 5669")
    ).click()
    expect(page.locator("h1")).to_have_text("Schedule A – Background/Declaration")
    expect(page.locator("body")).not_to_contain_text("Draft:")
    expect(page.locator("body")).to_contain_text("Luc")
    check_both_languages(page)
    assert FormSection.objects.filter(state="complete").count() == 16


def test_a_section_filled_with_the_keyboard_only(page, live_server, family):
    rep, application, spouse = family
    sign_in(page, live_server, rep.user)
    page.goto(f"/en/applications/{application.public_id}/forms/")
    tab_to(page, f"a[href$='/{spouse.public_id}/imm5669/background/']")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Section B: Background questions")
    tab_to(page, "#id_criminal_canada_0")
    for index, code in enumerate(BACKGROUND_QUESTIONS):
        page.keyboard.press("ArrowDown")  # from "Yes" to "No", which the arrow also selects
        expect(page.locator(f"#id_{code}_1")).to_be_checked()
        if index < len(BACKGROUND_QUESTIONS) - 1:
            page.keyboard.press("Tab")
    tab_to(page, "#id_details")
    page.keyboard.type("Nothing to declare.")
    tab_to(page, ".form-actions button[value=complete]")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("section-state")).to_contain_text("Complete")
    row = FormSection.objects.get(person=spouse, section="background")
    assert row.state == "complete" and row.data["detention"] is False
    assert row.data["details"] == "Nothing to declare."
    check_both_languages(page)


def test_two_tabs_on_one_section_get_the_conflict_message(page, live_server, family):
    rep, application, spouse = family
    sign_in(page, live_server, rep.user)
    url = f"/en/applications/{application.public_id}/forms/{spouse.public_id}/imm5669/background/"
    first = page
    second = page.context.new_page()
    first.goto(url)
    second.goto(url)

    first.fill("#id_details", "Typed in the first tab")
    first.locator("#id_criminal_canada_1").focus()
    expect(first.locator("[data-autosave-status]")).to_contain_text("Saved at")

    second.fill("#id_details", "Typed in the second tab")
    second.locator("#id_criminal_canada_1").focus()
    status = second.locator("[data-autosave-status]")
    expect(status).to_contain_text("Automatic saving has stopped")
    assert_accessible(second)
    assert (
        FormSection.objects.get(person=spouse, section="background").data["details"]
        == "Typed in the first tab"
    )
    second.fill("#id_details", "Typed in the second tab, more")
    second.locator("#id_criminal_canada_1").focus()
    status.get_by_role("button", name="Compare both versions").click()
    expect(second.locator("h1")).to_have_text("This section was changed elsewhere")
    table = second.locator("table")
    expect(table).to_contain_text("Typed in the first tab")
    expect(table).to_contain_text("Typed in the second tab, more")
    assert_accessible(second)
    second.get_by_role("button", name="Keep my version").click()
    expect(second.locator("h1")).to_have_text("Section B: Background questions")
    expect(second.locator("#id_details")).to_have_value("Typed in the second tab, more")
    second.close()


def test_autosave_flushes_when_the_session_is_about_to_end(page, live_server, family):
    rep, application, spouse = family
    sign_in(page, live_server, rep.user)
    page.goto(
        f"/en/applications/{application.public_id}/forms/{spouse.public_id}/imm5669/education/"
    )
    page.fill("#id_years_secondary", "5")
    flushed = page.evaluate(
        """() => new Promise((resolve) => {
            const pending = [];
            document.dispatchEvent(new CustomEvent("session:expiring", {
                detail: {waitUntil: (p) => pending.push(p)}
            }));
            Promise.all(pending).then(() => resolve(pending.length));
        })"""
    )
    assert flushed == 1
    expect(page.locator("[data-autosave-status]")).to_contain_text("Saved at")
    assert FormSection.objects.get(person=spouse, section="education").data["years_secondary"] == 5


def test_rows_are_added_moved_and_removed_without_a_reload(page, live_server, family):
    rep, application, spouse = family
    sign_in(page, live_server, rep.user)
    page.goto(
        f"/en/applications/{application.public_id}/forms/{spouse.public_id}/imm5669/membership/"
    )
    page.evaluate("window.notReloaded = true")
    for index, name in enumerate("ABC"):
        page.get_by_role("button", name="Add a membership").click()
        expect(page.locator(f"#id_memberships-{index}-start")).to_be_focused()
        page.fill(f"#id_memberships-{index}-organization", name)
    expect(page.locator("[data-live-announcer]")).to_have_text("Row 3 added.")
    page.get_by_role("button", name="Move up (row 3)").click()
    expect(page.locator("[data-live-announcer]")).to_have_text("Row moved to position 2.")
    page.fill("#id_memberships-0-organization", "A2")  # a counter announcement is now pending
    page.get_by_role("button", name="Remove (row 1)").click()
    expect(page.locator("[data-live-announcer]")).to_have_text("Row 1 removed.")
    page.wait_for_timeout(1300)  # the counter's delayed announcement must not overwrite it
    expect(page.locator("[data-live-announcer]")).to_have_text("Row 1 removed.")
    expect(page.locator("#id_memberships-0-organization")).to_have_value("C")
    expect(page.locator("#id_memberships-1-organization")).to_have_value("B")
    expect(page.locator("#memberships-row-1 legend")).to_have_text("Row 1")
    expect(page.get_by_role("button", name="Move up (row 1)")).to_be_hidden()
    expect(page.locator("input[name=memberships-TOTAL_FORMS]")).to_have_value("2")
    expect(page.locator("[data-autosave-status]")).to_contain_text("Saved at")
    assert page.evaluate("window.notReloaded") is True
    rows = FormSection.objects.get(person=spouse, section="membership").data["memberships"]
    assert [row["organization"] for row in rows] == ["C", "B"]
    assert all(len(row["id"]) == 32 for row in rows)
    assert_accessible(page)
