"""What the digital-forms journeys share: signing in, axe in both languages, and filling each
section of IMM 0008, IMM 5669, IMM 5406 and IMM 5562 the way a representative does.

The fill helpers only type into the page; the journeys decide when to save, mark a section
complete and run axe, so each journey keeps its own pace (test_forms_four_forms_journey.py
runs axe once per page, the per-form journeys in both languages).
"""

import re
from datetime import date

from django.conf import settings
from playwright.sync_api import expect

from applications.models import Person, Program
from forms_imm.periods import Month
from tests import factories
from tests.browser.conftest import assert_accessible
from tests.conftest import signed_in


def sign_in(page, live_server, user):
    """The browser gets the session cookie of a completed sign-in (MFA step included)."""
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": signed_in(user).cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def tab_to(page, selector, limit=300):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def in_french(page):
    return re.sub(r"/en/", "/fr/", page.url, count=1)


def check_both_languages(page):
    """axe on the page as it is, then on the same address in French, then back."""
    assert_accessible(page)
    english = page.url
    page.goto(in_french(page))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert_accessible(page)
    page.goto(english)


def month(offset: int) -> Month:
    """This month moved by ``offset`` months."""
    return Month.from_date(date.today()).add(offset)


def mark_complete(page):
    page.get_by_role("button", name="Mark section complete").click()


def expect_complete(page):
    expect(page.get_by_test_id("section-state")).to_contain_text("Complete")
    expect(page.locator(".error-summary")).to_have_count(0)


def make_couple(*, email, program="family_spouse_partner_child", spouse_status="01"):
    """A representative (``email``) and an application for Marie Tremblay, born in France in
    1980, married, with her husband Luc Tremblay (born 1979, accompanying, his profile's
    marital status ``spouse_status``): ``(representative, application, spouse)``."""
    rep = factories.make_representative(email=email, full_name="Rep Forms")
    application = factories.make_application(
        representative=rep,
        family_name="Tremblay",
        given_names="Marie",
        program=Program.objects.get(code=program),
    )
    born_in_france = {"birth_country": "FR", "citizenship_1": "FR", "marital_status": "01"}
    Person.objects.filter(pk=application.principal_applicant_id).update(
        date_of_birth=date(1980, 5, 6), sex="F", correspondence_language="fr", **born_in_france
    )
    application.principal_applicant.refresh_from_db()
    spouse = factories.make_person(
        application=application,
        relationship="10",
        family_name="Tremblay",
        given_names="Luc",
        date_of_birth=date(1979, 8, 9),
        sex="M",
        accompanying=True,
        **{**born_in_france, "marital_status": spouse_status},
    )
    return rep, application, spouse


# --- IMM 0008 ------------------------------------------------------------------------------------


def fill_0008_personal(page):
    page.check("#id_other_name_used_1")
    page.select_option("#id_eye_colour", "03")
    page.fill("#id_height_cm", "170")
    page.select_option("#id_residence_country", "FR")
    page.select_option("#id_residence_status", "01")
    page.check("#id_previous_residence_1")


def fill_0008_marital(page, married_on="2008-07-12"):
    page.fill("#id_marriage_date", married_on)
    page.check("#id_previously_partnered_1")


def fill_0008_contact(page):
    page.fill("#id_mailing_street_number", "12")
    page.fill("#id_mailing_street_name", "Rue Sainte-Catherine")
    page.fill("#id_mailing_city", "Montréal")
    page.select_option("#id_mailing_country", "CA")
    page.select_option("#id_mailing_province", "QC")
    page.fill("#id_mailing_postal_code", "h2x 1k4")
    page.check("#id_residential_same_0")
    page.select_option("#id_phone_kind", "canada_us")
    page.select_option("#id_phone_type", "02")
    page.fill("#id_phone_number", "514-555-0123")
    page.check("#id_use_account_email_0")


def fill_0008_passport(page, number="FR1234567"):
    page.check("#id_has_document_0")
    page.fill("#id_number", number)
    page.select_option("#id_country", "FR")
    page.fill("#id_issue_date", "2020-03-01")
    page.fill("#id_expiry_date", "2030-03-01")


def fill_0008_education(page, occupation="Civil engineer"):
    page.select_option("#id_education_level", "07")
    page.fill("#id_years_total", "18")
    page.fill("#id_current_occupation", occupation)
    page.fill("#id_intended_occupation", occupation)


def fill_0008_languages(page):
    page.select_option("#id_native_language", "002")
    page.select_option("#id_communicate_in", "02")
    page.check("#id_language_test_1")


# --- IMM 5669 ------------------------------------------------------------------------------------

BACKGROUND_QUESTIONS = (
    "criminal_canada", "criminal_abroad", "refugee_claim", "refused_visa", "refused_admission",
    "war_crimes", "armed_struggle", "violent_group", "criminal_organization", "detention",
    "serious_disease",
)  # fmt: skip

# Someone over 28 covers the past ten years. Row 2 of the history should start in JOIN;
# starting it two months later leaves GAP_START and GAP_END out.
JOIN = month(-84)
GAP_START, GAP_END = JOIN.add(1), JOIN.add(2)


def fill_5669_parents(page):
    for parent, family, city, country in (
        ("father", "Tremblay", "Québec", "Canada"),
        ("mother", "Roy", "Lyon", "France"),
    ):
        page.fill(f"#id_{parent}_family_name", family)
        page.fill(f"#id_{parent}_given_names", "Alex")
        page.fill(f"#id_{parent}_date_of_birth", "1950-02-03")
        page.fill(f"#id_{parent}_birth_city", city)
        page.fill(f"#id_{parent}_birth_country", country)


def answer_5669_background_no(page):
    for code in BACKGROUND_QUESTIONS:
        page.check(f"#id_{code}_1")  # No


def fill_5669_education(page):
    for field, years in (("elementary", 6), ("secondary", 5), ("university", 4), ("trade", 0)):
        page.fill(f"#id_years_{field}", str(years))
    page.get_by_role("button", name="Add a school").click()
    expect(page.locator("#id_schools-0-start")).to_be_focused()
    page.fill("#id_schools-0-start", month(-140).isoformat())
    page.fill("#id_schools-0-end", month(-131).isoformat())
    page.fill("#id_schools-0-institution", "Carleton University")
    page.fill("#id_schools-0-city_country", "Ottawa, Canada")
    page.fill("#id_schools-0-field_of_study", "Computing")


def history_rows(*, gap: bool):
    """(From, To or None for present, activity) rows over the whole period."""
    second_start = GAP_END.add(1) if gap else JOIN
    return [
        (month(-130), JOIN, "Student"),
        (second_start, month(-24), "Software developer"),
        (month(-24), None, "Senior developer"),
    ]


def fill_history(page, rows, *, first=0):
    """Type ``rows`` into the personal history from row ``first``, adding rows as needed."""
    for index, (start, end, activity) in enumerate(rows, start=first):
        if page.locator(f"#id_history-{index}-start").count() == 0:
            page.get_by_role("button", name="Add a period").click()
        prefix = f"#id_history-{index}-"
        page.fill(prefix + "start", start.isoformat())
        if end is None:
            page.check(prefix + "present")
        else:
            page.fill(prefix + "end", end.isoformat())
        page.fill(prefix + "activity", activity)
        page.fill(prefix + "city_country", "Ottawa, Canada")
        page.fill(prefix + "status", "Citizen")
        page.fill(prefix + "employer", "Maple Software")


def gap_message(language="en"):
    """The gap checker's words for GAP_START to GAP_END (between rows 1 and 2), as shown."""
    from django.utils import translation

    with translation.override(language):
        start, end = GAP_START.label(), GAP_END.label()
    if language == "fr":
        return f"Il manque des mois entre la ligne 1 et la ligne 2 : {start} à {end}."
    return f"The months from {start} to {end} are missing between row 1 and row 2."


def fill_5669_address(page):
    page.get_by_role("button", name="Add an address").click()
    page.fill("#id_addresses-0-start", month(-150).isoformat())
    page.check("#id_addresses-0-present")
    page.fill("#id_addresses-0-street", "123 Main Street")
    page.fill("#id_addresses-0-city", "Ottawa")
    page.fill("#id_addresses-0-province", "ON")
    page.fill("#id_addresses-0-postal_code", "k1a 0b1")
    page.fill("#id_addresses-0-country", "Canada")


# --- IMM 5406 ------------------------------------------------------------------------------------


def fill_5406_member(page, prefix, name=None, born=None):
    if name:
        page.fill(f"#id_{prefix}full_name", name)
        page.fill(f"#id_{prefix}date_of_birth", born)
    page.fill(f"#id_{prefix}country_of_birth", "France")
    page.select_option(f"#id_{prefix}marital_status", "01")
    page.fill(f"#id_{prefix}email", "someone@example.com")
    page.fill(f"#id_{prefix}address", "1 rue Haute, Lyon, France")


def fill_5406_family(page, other_name):
    """Section A: the applicant, the spouse block (its name from ``other_name``'s profile,
    read-only), the mother, and a father who died, without the date and place of death."""
    expect(page.get_by_text(f"From the profile of {other_name}").first).to_be_visible()
    expect(page.locator("#id_spouse_full_name")).to_have_value(other_name)
    expect(page.locator("#id_spouse_full_name")).to_have_attribute("readonly", "")
    page.fill("#id_applicant_country_of_birth", "Canada")
    page.fill("#id_applicant_address", "12 Elm Street, Ottawa, Canada")
    page.fill("#id_applicant_email", "me@example.com")
    fill_5406_member(page, "spouse_")
    page.fill("#id_spouse_address", "12 Elm Street, Ottawa, Canada")
    fill_5406_member(page, "mother_", "Anne Lavoie", "1950-02-03")
    fill_5406_member(page, "father_", "Jean Tremblay", "1948-04-05")
    page.check("#id_father_deceased")
    page.fill("#id_father_address", "")
    page.fill("#id_father_email", "")


def fill_5406_father_death(page):
    page.fill("#id_father_death_date", "2015-06-07")
    page.fill("#id_father_death_place", "Québec")


# --- IMM 5562 ------------------------------------------------------------------------------------


def fill_trip(page, index, start, end):
    page.get_by_role("button", name="Add a trip").click()
    prefix = f"#id_trips-{index}-"
    page.fill(prefix + "start", start.isoformat())
    page.fill(prefix + "end", end.isoformat())
    page.fill(prefix + "length_of_stay", "3 months")
    page.fill(prefix + "destination", "Lyon, France")
    page.fill(prefix + "purpose", "Family visit")
