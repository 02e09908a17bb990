"""Journey: one representative fills all four digital forms for a principal applicant and her
husband, from "not started" to "complete" in the task list.

IMM 0008 (the principal applicant's nine pages and her husband's dependant pages), IMM 5669
and IMM 5406 for both, IMM 5562 with the principal applicant (her travels and his). Each form
is opened from the digital-forms overview and its sections are reached through the section
navigation, as a representative moves through them. In the principal applicant's IMM 5669
personal history the first attempt leaves a two-month gap: "Mark section complete" names the
missing months and the row to fix, the task list repeats it, the French page says it in French,
and the summary's link leads to the From to change. Halfway through that section what autosave
stored survives a reload. axe checks every page visited in English, and the French one.
"""

import re

import pytest
from playwright.sync_api import expect

from forms_imm.models import FormSection
from tests.browser.conftest import assert_accessible
from tests.browser.forms_helpers import (
    JOIN,
    answer_5669_background_no,
    expect_complete,
    fill_0008_contact,
    fill_0008_education,
    fill_0008_languages,
    fill_0008_marital,
    fill_0008_passport,
    fill_0008_personal,
    fill_5406_family,
    fill_5406_father_death,
    fill_5406_member,
    fill_5669_address,
    fill_5669_education,
    fill_5669_parents,
    fill_history,
    fill_trip,
    gap_message,
    history_rows,
    in_french,
    make_couple,
    mark_complete,
    month,
    sign_in,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PA, SPOUSE = "Marie Tremblay", "Luc Tremblay"


@pytest.fixture
def couple(live_server):
    # A program that asks for IMM 5562 and has no program check of its own.
    return make_couple(email="rep-four@example.test", program="home_support_worker_pilot")


class Journey:
    """Moves through the forms the way the representative does, with axe on every page."""

    def __init__(self, page, application):
        self.page = page
        self.overview = f"/en/applications/{application.public_id}/forms/"
        self.detail = f"/en/applications/{application.public_id}/"

    def start(self, person, form, title):
        """From the overview, the form's first section for ``person``."""
        page = self.page
        page.goto(self.overview)
        card = page.locator(f"[data-form='{form}:{person.public_id}']")
        card.get_by_role("link", name=title).click()
        self._arrived(title)

    def next(self, letter, title):
        """Another section of the same form, through the section navigation."""
        self.page.locator(".section-nav").get_by_role("link", name=f"{letter}. {title}").click()
        self._arrived(f"Section {letter}: {title}")

    def _arrived(self, heading):
        expect(self.page.locator("h1")).to_have_text(heading)
        assert_accessible(self.page)

    def complete(self):
        mark_complete(self.page)
        expect_complete(self.page)


def fill_imm0008(journey, pa, spouse):
    page = journey.page
    journey.start(pa, "imm0008", "Section 1: Application details")
    page.select_option("#id_interview_language", "002")
    page.check("#id_interpreter_requested_1")
    page.select_option("#id_intended_province", "ON")
    page.select_option("#id_intended_city", "ottawa")
    journey.complete()
    for letter, title, fill in (
        ("2", "Personal details", fill_0008_personal),
        ("3", "Marital status", fill_0008_marital),
        ("4", "Contact information", fill_0008_contact),
        ("5", "Passport", fill_0008_passport),
        ("6", "National identity document", lambda page: page.check("#id_has_document_1")),
        ("7", "Education and occupation", fill_0008_education),
        ("8", "Languages", fill_0008_languages),
    ):
        journey.next(letter, title)
        fill(page)
        journey.complete()
    journey.next("9", "Dependants")
    page.check("#id_has_dependants_0")
    page.get_by_role("button", name="Add a family member").click()
    page.select_option("#id_dependants-0-person", str(spouse.public_id))
    journey.complete()

    # The husband's dependant pages: the same pages without the PA's own sections.
    journey.start(spouse, "imm0008", "Section 2: Personal details")
    expect(page.locator(".profile-values")).to_contain_text("Relationship to the principal")
    fill_0008_personal(page)
    journey.complete()
    for letter, title, fill in (
        ("3", "Marital status", fill_0008_marital),
        ("5", "Passport", lambda page: fill_0008_passport(page, number="FR7654321")),
        ("6", "National identity document", lambda page: page.check("#id_has_document_1")),
        ("7", "Education and occupation", lambda page: fill_0008_education(page, "Nurse")),
        ("8", "Languages", fill_0008_languages),
    ):
        journey.next(letter, title)
        fill(page)
        journey.complete()


def fill_imm5669_history_with_a_gap(journey, pa):
    """The PA's Section D: autosave through a reload, then the two-month gap and its fix."""
    page = journey.page
    journey.next("D", "Personal history")
    first = history_rows(gap=True)[0]
    page.get_by_role("button", name="Add a period").click()
    page.fill("#id_history-0-start", first[0].isoformat())
    page.fill("#id_history-0-activity", first[2])
    page.locator("#id_history-0-city_country").focus()  # leaving a field saves it
    expect(page.locator("[data-autosave-status]")).to_contain_text(re.compile(r"Saved at \d"))
    page.reload()
    expect(page.locator("#id_history-0-start")).to_have_value(first[0].isoformat())
    expect(page.locator("#id_history-0-activity")).to_have_value(first[2])
    stored = FormSection.objects.get(person=pa, form="imm5669", section="history").data
    assert stored["history"][0]["activity"] == first[2]

    fill_history(page, history_rows(gap=True))
    mark_complete(page)
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(gap_message("en"))
    expect(summary).to_contain_text(f"Change the From of row 2 to {JOIN.label()}")
    expect(page.get_by_test_id("section-state")).to_contain_text("Needs attention")
    assert_accessible(page)
    history = page.url

    # The French page says the same months in French (the one French axe check).
    page.goto(in_french(page))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator(".error-summary")).to_contain_text(gap_message("fr"))
    assert_accessible(page)

    # The application's task list names the months too.
    page.goto(journey.detail)
    expect(page.locator(".task-list")).to_contain_text(gap_message("en"))
    assert_accessible(page)

    # The summary links to the row to fix; one From changed closes the gap.
    page.goto(history)
    page.locator(".error-summary a", has_text="missing").click()
    expect(page.locator("#id_history-1-start")).to_be_focused()
    page.fill("#id_history-1-start", JOIN.isoformat())
    journey.complete()


def fill_imm5669(journey, person, *, with_gap=False):
    page = journey.page
    journey.start(person, "imm5669", "Section A: Personal details")
    fill_5669_parents(page)
    journey.complete()
    journey.next("B", "Background questions")
    answer_5669_background_no(page)
    journey.complete()
    journey.next("C", "Education")
    fill_5669_education(page)
    journey.complete()
    if with_gap:
        fill_imm5669_history_with_a_gap(journey, person)
    else:
        journey.next("D", "Personal history")
        fill_history(page, history_rows(gap=False))
        journey.complete()
    for letter, title in (
        ("E", "Membership"),
        ("F", "Government positions"),
        ("G", "Military and paramilitary service"),
    ):
        journey.next(letter, title)
        page.check("#id_no_rows")
        journey.complete()
    journey.next("H", "Addresses")
    fill_5669_address(page)
    journey.complete()


def fill_imm5406(journey, person, other_name):
    page = journey.page
    journey.start(
        person, "imm5406", "Section A: You, your spouse or partner, your mother and your father"
    )
    fill_5406_family(page, other_name)
    fill_5406_father_death(page)
    journey.complete()
    journey.next("B", "Children")
    page.check("#id_not_applicable")
    journey.complete()
    journey.next("C", "Brothers and sisters")
    page.get_by_role("button", name="Add a brother or sister").click()
    page.fill("#id_siblings-0-relationship", "Sister")
    fill_5406_member(page, "siblings-0-", f"Sister of {other_name}", "1984-01-02")
    journey.complete()


def fill_imm5562(journey, pa):
    page = journey.page
    journey.start(pa, "imm5562", "Section A: Principal applicant's travels")
    fill_trip(page, 0, month(-30), month(-29))
    journey.complete()
    journey.next("B", "Spouse's or common-law partner's travels")
    fill_trip(page, 0, month(-20), month(-19))
    journey.complete()


def test_all_four_forms_for_a_principal_applicant_and_her_spouse(page, live_server, couple):
    rep, application, spouse = couple
    pa = application.principal_applicant
    sign_in(page, live_server, rep.user)
    journey = Journey(page, application)
    page.goto(journey.overview)
    cards = page.locator("[data-form]")
    expect(cards).to_have_count(7)  # PA: four forms; spouse: IMM 0008 pages, 5669, 5406
    for card in cards.all():
        expect(card.locator("h3 .state-badge")).to_have_text("Not started")
    assert_accessible(page)

    fill_imm0008(journey, pa, spouse)
    fill_imm5669(journey, pa, with_gap=True)
    fill_imm5669(journey, spouse)
    fill_imm5406(journey, pa, SPOUSE)
    fill_imm5406(journey, spouse, PA)
    fill_imm5562(journey, pa)

    # The overview: every form of both people complete.
    page.goto(journey.overview)
    for card in cards.all():
        expect(card.locator("h3 .state-badge")).to_have_text("Complete")
    assert_accessible(page)

    # The application's task list: the seven form tasks done, and nothing to fix.
    page.goto(journey.detail)
    form_tasks = page.locator(".task-list [data-task^='form:']")
    expect(form_tasks).to_have_count(7)
    for task in form_tasks.all():
        expect(task.locator(".task-state")).to_have_text("Done")
    for name in (PA, SPOUSE):
        for form in ("IMM 0008", "IMM 5669", "IMM 5406"):
            expect(form_tasks.filter(has_text=form).filter(has_text=name)).to_have_count(1)
    expect(form_tasks.filter(has_text="IMM 5562").filter(has_text=PA)).to_have_count(1)
    expect(page.locator(".task-list")).not_to_contain_text("Needs attention")
    assert_accessible(page)

    sections = FormSection.objects.filter(application=application)
    assert set(sections.values_list("state", flat=True)) == {"complete"}
    assert sections.filter(person=pa).count() == 9 + 8 + 3 + 2
    assert sections.filter(person=spouse).count() == 6 + 8 + 3
