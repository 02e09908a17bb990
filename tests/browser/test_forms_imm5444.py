"""Journey: a representative fills IMM 5444 for a PR card application.

Page 1 gives the date the applicant became a permanent resident; page 5 lists an absence from
Canada. The residency calculator under the absences table changes as the dates are typed (no
reload), agrees with the server's calculator, tells what a figure under 730 days means and says
it in a polite live region; after autosave and a reload the server-rendered figure is the same.
axe runs on every page, in English and in French; page 5 is completed with the keyboard only.
"""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from applications.models import Person, Program
from forms_imm.imm5444 import residency_result
from forms_imm.models import FormSection
from tests import factories
from tests.browser.test_forms_imm5669 import check_both_languages, sign_in, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BECAME_PR = date(2015, 3, 4)


@pytest.fixture
def pr_card(live_server):
    rep = factories.make_representative(email="rep-card@example.test", full_name="Rep Card")
    application = factories.make_application(
        representative=rep,
        family_name="Nguyen",
        given_names="Minh",
        program=Program.objects.get(code="pr_card"),
    )
    Person.objects.filter(pk=application.principal_applicant_id).update(
        date_of_birth=date(1980, 5, 6), sex="M", marital_status="02"
    )
    return rep, application


def days_in_canada(absences):
    """The server's figure for these (start, end) absences."""
    rows = [{"start": a.isoformat(), "end": b.isoformat()} for a, b in absences]
    return residency_result(rows, BECAME_PR, date.today())["result"].days_present


def test_imm5444_residency_calculator_live_and_after_a_reload(page, live_server, pr_card):
    rep, application = pr_card
    pa = application.principal_applicant
    sign_in(page, live_server, rep.user)
    forms_url = f"/en/applications/{application.public_id}/forms/"
    page.goto(forms_url)
    page.get_by_role("link", name="Section 1: Applicant situation").click()
    expect(page.locator("h1")).to_have_text("Section 1: Applicant situation")
    check_both_languages(page)
    page.select_option("#id_situation", "renew")
    page.fill("#id_uci", "1234-5678")
    page.select_option("#id_correspondence_language", "01")
    page.fill("#id_became_pr_date", BECAME_PR.isoformat())
    page.fill("#id_became_pr_city", "Ottawa")
    page.select_option("#id_became_pr_province", "ON")
    page.check("#id_urgent_1")
    page.get_by_role("button", name="Mark section complete").click()
    expect(page.get_by_test_id("section-state")).to_contain_text("Complete")
    check_both_languages(page)

    title = "Section 5: Residency obligation: time spent outside Canada"
    page.goto(forms_url)
    page.get_by_role("link", name=title).click()
    expect(page.locator("h1")).to_have_text(title)
    result = page.locator("[data-residency-result]")
    full = days_in_canada([])
    expect(result).to_contain_text(f": {full} (at least 730 needed)")
    expect(result).to_contain_text("The residency obligation is met.")
    check_both_languages(page)

    page.evaluate("window.notReloaded = true")
    page.check("#id_outside_canada_0")
    for name in ("employed_abroad", "accompanying_citizen", "accompanying_employed_pr"):
        page.check(f"#id_{name}_1")
    page.get_by_role("button", name="Add an absence").click()
    today = date.today()
    short = (today - timedelta(days=400), today - timedelta(days=100))
    page.fill("#id_absences-0-start", short[0].isoformat())
    page.fill("#id_absences-0-end", short[1].isoformat())
    expect(result).to_contain_text(f": {days_in_canada([short])} (at least 730 needed)")
    expect(result).to_contain_text("The residency obligation is met.")

    # A long absence: under 730 days, shown at once and said politely.
    long = (today - timedelta(days=1500), today - timedelta(days=50))
    page.fill("#id_absences-0-start", long[0].isoformat())
    page.fill("#id_absences-0-end", long[1].isoformat())
    figure = days_in_canada([long])
    assert figure < 730
    expect(result).to_contain_text(f": {figure} (at least 730 needed)")
    expect(result).to_contain_text("Under 730 days: the residency obligation is not met")
    expect(result).to_have_attribute("data-status", "not_met")
    announcer = page.locator("[data-residency-announcer]")
    expect(announcer).to_have_attribute("aria-live", "polite")
    expect(announcer).to_contain_text(f"{figure}")
    assert page.evaluate("window.notReloaded") is True

    page.fill("#id_absences-0-location", "Hanoi, Vietnam")
    page.select_option("#id_absences-0-reason", "other")
    page.fill("#id_absences-0-explanation", "Caring for a parent")
    page.locator("#id_absences-0-location").focus()  # leaving a field saves
    expect(page.locator("[data-autosave-status]")).to_contain_text(re.compile(r"Saved at \d"))
    assert_stored = FormSection.objects.get(person=pa, form="imm5444", section="residency")
    assert assert_stored.data["absences"][0]["start"] == long[0].isoformat()

    page.reload()
    expect(page.locator("#id_absences-0-end")).to_have_value(long[1].isoformat())
    expect(result).to_contain_text(f": {figure} (at least 730 needed)")
    expect(result).to_contain_text("Under 730 days")
    check_both_languages(page)
    page.goto(re.sub("/en/", "/fr/", page.url, count=1))
    expect(result).to_contain_text(f"{figure}")
    expect(result).to_contain_text("Moins de 730 jours")
    page.goto(re.sub("/fr/", "/en/", page.url, count=1))

    # Completed with the keyboard alone: Tab to the button and press Enter.
    tab_to(page, ".form-actions button[value=complete]")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("section-state")).to_contain_text("Complete")
    row = FormSection.objects.get(person=pa, form="imm5444", section="residency")
    assert row.state == "complete" and row.data["outside_canada"] is True
    expect(page.locator("[data-residency-result]")).to_contain_text(f": {figure} ")
    check_both_languages(page)
