"""Journey: a PR card application fills IMM 5444 page 1 and the residency page.

The residency figure under the absences table updates live while an absence is typed (and is
announced politely), autosave keeps the row, and after a reload the server's figure is the
same. A figure under 730 days says what it means. One page is used with the keyboard alone.
axe runs in English and in French.
"""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from applications.models import Person, Program
from forms_imm.imm5444 import residency_result
from forms_imm.models import FormSection
from tests import factories
from tests.browser.forms_helpers import check_both_languages, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def card(live_server):
    rep = factories.make_representative(email="rep-5444@example.test", full_name="Rep Card")
    application = factories.make_application(
        representative=rep,
        family_name="Nguyen",
        given_names="Linh",
        program=Program.objects.get(code="pr_card"),
    )
    Person.objects.filter(pk=application.principal_applicant_id).update(
        date_of_birth=date(1980, 5, 6), sex="F"
    )
    return rep, application


def url(application, section):
    person = application.principal_applicant
    return f"/en/applications/{application.public_id}/forms/{person.public_id}/imm5444/{section}/"


def saved_whole_row(page):
    """Wait until autosave has stored the whole row (an earlier save may have said "Saved")."""
    for _ in range(80):  # up to 20 s on a loaded machine
        row = (FormSection.objects.filter(section="residency").first() or FormSection()).data
        if row and row.get("absences") and row["absences"][0].get("explanation"):
            page.wait_for_timeout(300)
            return
        page.wait_for_timeout(250)
    raise AssertionError("autosave did not store the absence")


def test_the_residency_figure_updates_live_and_survives_a_reload(page, live_server, card):
    rep, application = card
    sign_in(page, live_server, rep.user)
    today = timezone.localdate()
    became = date(today.year - 10, 3, 4)

    # Page 1, with the keyboard only: the date of becoming a permanent resident.
    page.goto(url(application, "situation"))
    expect(page.locator("h1")).to_contain_text("Section 1")
    check_both_languages(page)
    page.locator("#id_became_pr_date").focus()
    page.keyboard.type(became.isoformat())
    page.keyboard.press("Enter")  # the hidden first button saves a draft
    expect(page.locator(".alert-success, .alert").first).to_contain_text("Draft saved")
    expect(page.locator("#id_became_pr_date")).to_have_value(became.isoformat())

    # Page 5: no absence yet, every day of the window in Canada.
    page.goto(url(application, "residency"))
    result = page.locator("[data-residency-result]")
    expect(result).to_contain_text(residency_result([], became, today)["lines"][0])
    expect(result).to_contain_text("The residency obligation is met.")
    check_both_languages(page)

    page.locator("#id_outside_canada_0").check()
    for code in ("employed_abroad", "accompanying_citizen", "accompanying_employed_pr"):
        page.locator(f"#id_{code}_1").check()
    page.get_by_role("button", name="Add an absence").click()
    left = today - timedelta(days=4 * 365)
    back = today - timedelta(days=200)
    page.fill("#id_absences-0-start", left.isoformat())
    page.fill("#id_absences-0-end", back.isoformat())
    row = {"start": left.isoformat(), "end": back.isoformat(), "present": False}
    expected = residency_result([row], became, today)
    assert expected["status"] == "not_met"
    # Live, before anything is saved: the figure and what it means.
    expect(result).to_contain_text(expected["lines"][0])
    expect(result).to_contain_text("the residency obligation is not met")
    expect(result).to_have_class(re.compile(r"alert-warning"))
    expect(page.locator("[data-residency-announcer]")).to_contain_text(expected["lines"][0])
    check_both_languages(page)

    page.fill("#id_absences-0-location", "Hanoi, Viet Nam")
    page.select_option("#id_absences-0-reason", "other")
    page.fill("#id_absences-0-explanation", "Caring for a parent")
    page.locator("#id_absences-0-explanation").blur()  # leaving the field saves at once
    expect(page.locator("[data-autosave-status]")).to_contain_text(re.compile(r"Saved at \d"))
    saved_whole_row(page)
    page.reload()
    expect(page.locator("#id_absences-0-start")).to_have_value(left.isoformat())
    expect(result).to_contain_text(expected["lines"][0])
    expect(result).to_contain_text("the residency obligation is not met")
    stored = FormSection.objects.get(section="residency").data
    assert stored["absences"][0]["end"] == back.isoformat()

    # The reasons: with them the section completes.
    page.fill("#id_humanitarian", "My mother needed care during her illness.")
    page.locator("#id_humanitarian").blur()
    expect(page.locator("[data-autosave-status]")).to_contain_text(re.compile(r"Saved at \d"))
    page.get_by_role("button", name="Mark section complete").click()
    expect(page.get_by_test_id("section-state")).to_contain_text("Complete")
    check_both_languages(page)
