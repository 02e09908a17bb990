"""IMM 5669 rules: drafts take anything well-typed; Mark section complete enforces forms.md §4."""

from datetime import date

import pytest
import time_machine
from django.utils import translation

from applications.models import Person
from forms_imm.models import FormSection
from tests.forms_imm.helpers import (
    BORN,
    TODAY,
    address_row,
    background_post,
    complete_posts,
    full_history,
    history_row,
    personal_post,
    section_url,
    stored,
    table_post,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def pa(application_a):
    person = application_a.principal_applicant
    Person.objects.filter(pk=person.pk).update(date_of_birth=BORN)
    person.refresh_from_db()
    return person


def save(client, application, person, slug, data, *, complete=False):
    row = FormSection.objects.filter(person=person, section=slug).first()
    body = {
        **data,
        "expected_version": str(row.version if row else 0),
        "action": "complete" if complete else "save",
    }
    return client.post(section_url(application, person, slug), body)


def errors_on_page(client, application, person, slug) -> str:
    return client.get(section_url(application, person, slug)).content.decode()


# --- Section B: any yes needs details -------------------------------------------------------


def test_a_yes_without_details_saves_as_a_draft(rep_a, application_a, pa):
    response = save(rep_a, application_a, pa, "background", background_post(detention=True))
    assert response.status_code == 302
    row = stored(pa, "background")
    assert row.data["detention"] is True and row.data["details"] == ""
    assert row.state == FormSection.State.IN_PROGRESS


def test_a_yes_without_details_is_refused_at_mark_complete(rep_a, application_a, pa):
    post = background_post(criminal_abroad=True, detention=True)
    save(rep_a, application_a, pa, "background", post, complete=True)
    row = stored(pa, "background")
    assert row.state == FormSection.State.NEEDS_ATTENTION
    body = errors_on_page(rep_a, application_a, pa, "background")
    assert "You answered yes to (b), (j): give the details of each" in body
    assert 'href="#id_details"' in body


def test_a_yes_with_details_completes(rep_a, application_a, pa):
    post = {**background_post(detention=True), "details": "(j) Detained overnight, 2010."}
    save(rep_a, application_a, pa, "background", post, complete=True)
    assert stored(pa, "background").state == FormSection.State.COMPLETE


def test_every_question_must_be_answered_to_complete(rep_a, application_a, pa):
    post = background_post()
    del post["war_crimes"]
    save(rep_a, application_a, pa, "background", post, complete=True)
    body = errors_on_page(rep_a, application_a, pa, "background")
    assert 'href="#id_war_crimes_0"' in body and "Answer yes or no." in body


def test_the_details_box_keeps_text_beyond_679_characters(rep_a, application_a, pa):
    details = "(j) " + "word " * 300
    save(
        rep_a,
        application_a,
        pa,
        "background",
        {**background_post(detention=True), "details": details},
        complete=True,
    )
    row = stored(pa, "background")
    assert row.data["details"] == details.strip()
    assert row.state == FormSection.State.COMPLETE
    assert row.overflow == ["details"]


# --- Section D and H: the whole period, no gaps ----------------------------------------------


def test_a_two_month_gap_saves_as_a_draft(rep_a, application_a, pa):
    save(rep_a, application_a, pa, "history", table_post("history", full_history(gap=True)))
    assert stored(pa, "history").state == FormSection.State.IN_PROGRESS


def test_a_two_month_gap_is_reported_with_its_months_at_mark_complete(rep_a, application_a, pa):
    save(
        rep_a,
        application_a,
        pa,
        "history",
        table_post("history", full_history(gap=True)),
        complete=True,
    )
    row = stored(pa, "history")
    assert row.state == FormSection.State.NEEDS_ATTENTION
    (gap,) = row.problems["periods"]
    assert (gap["start"], gap["end"], gap["fix_row"]) == ("2019-03", "2019-04", 2)
    body = errors_on_page(rep_a, application_a, pa, "history")
    assert "The months from March 2019 to April 2019 are missing between row 1 and row 2" in body
    assert 'href="#id_history-1-start"' in body  # the row to fix
    with translation.override("fr"):
        french = rep_a.get(section_url(application_a, pa, "history").replace("/en/", "/fr/"))
    assert "mars 2019" in french.content.decode() and "avril 2019" in french.content.decode()


def test_fixing_the_gap_completes_the_section(rep_a, application_a, pa):
    save(
        rep_a,
        application_a,
        pa,
        "history",
        table_post("history", full_history(gap=True)),
        complete=True,
    )
    save(rep_a, application_a, pa, "history", table_post("history", full_history()), complete=True)
    row = stored(pa, "history")
    assert row.state == FormSection.State.COMPLETE and row.problems == {}


def test_a_history_that_starts_late_names_the_missing_months(rep_a, application_a, pa):
    rows = [history_row("2018-01", present=True)]
    save(rep_a, application_a, pa, "history", table_post("history", rows), complete=True)
    body = errors_on_page(rep_a, application_a, pa, "history")
    assert "The history must start in November 2016 or earlier" in body
    assert "November 2016 to December 2017" in body


def test_a_young_person_reports_from_their_18th_birthday(rep_a, application_a, pa):
    Person.objects.filter(pk=pa.pk).update(date_of_birth=date(2005, 6, 10))
    rows = [history_row("2023-06", present=True, activity="Student")]
    save(rep_a, application_a, pa, "history", table_post("history", rows), complete=True)
    assert stored(pa, "history").state == FormSection.State.COMPLETE


def test_overlapping_rows_are_refused(rep_a, application_a, pa):
    rows = [history_row("2016-01", "2020-01"), history_row("2019-01", present=True)]
    save(rep_a, application_a, pa, "history", table_post("history", rows), complete=True)
    body = errors_on_page(rep_a, application_a, pa, "history")
    assert "Rows 1 and 2 overlap from January 2019 to January 2020" in body


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        (history_row("2020-05", "2020-01"), "end", "The To month cannot be before the From month."),
        (history_row("2027-01", present=True), "start", "This month is in the future."),
        (history_row("2016-01"), "end", "Enter the To month, or tick “to present”."),
        (history_row("2016-01", "2020-01", present=True), "end", "Leave the To month empty"),
        (history_row("2016-01", "2027-02"), "end", "This month is in the future. Tick"),
    ],
)
def test_row_dates_are_checked_at_mark_complete(rep_a, application_a, pa, row, field, message):
    response = save(rep_a, application_a, pa, "history", table_post("history", [row]))
    assert response.status_code == 302  # a draft takes it
    save(rep_a, application_a, pa, "history", table_post("history", [row]), complete=True)
    body = errors_on_page(rep_a, application_a, pa, "history")
    assert message in body
    assert f'href="#id_history-0-{field}"' in body


@pytest.mark.parametrize("street", ["P.O. Box 12", "PO Box 5", "Case postale 44", "CP 12"])
def test_a_post_office_box_is_refused_in_addresses(rep_a, application_a, pa, street):
    rows = [address_row("2010-01", present=True, street=street)]
    save(rep_a, application_a, pa, "addresses", table_post("addresses", rows), complete=True)
    assert stored(pa, "addresses").state == FormSection.State.NEEDS_ATTENTION
    body = errors_on_page(rep_a, application_a, pa, "addresses")
    assert "A post office box is not accepted here." in body


def test_a_canadian_address_needs_a_valid_postal_code_and_a_province(rep_a, application_a, pa):
    rows = [address_row("2010-01", present=True, postal_code="12345", province="")]
    save(rep_a, application_a, pa, "addresses", table_post("addresses", rows), complete=True)
    body = errors_on_page(rep_a, application_a, pa, "addresses")
    assert "Enter a Canadian postal code such as K1A 0B1." in body
    assert "Enter the province, state or territory." in body


def test_a_foreign_address_needs_neither(rep_a, application_a, pa):
    rows = [address_row("2010-01", present=True, postal_code="", province="", country="France")]
    save(rep_a, application_a, pa, "addresses", table_post("addresses", rows), complete=True)
    assert stored(pa, "addresses").state == FormSection.State.COMPLETE


def test_addresses_must_cover_the_period_too(rep_a, application_a, pa):
    rows = [address_row("2010-01", "2018-05"), address_row("2018-08", present=True)]
    save(rep_a, application_a, pa, "addresses", table_post("addresses", rows), complete=True)
    body = errors_on_page(rep_a, application_a, pa, "addresses")
    assert "The months from June 2018 to July 2018 are missing between row 1 and row 2" in body


def test_a_postal_code_longer_than_its_box_is_a_type_error(rep_a, application_a, pa):
    rows = [address_row("2010-01", present=True, postal_code="1234567890")]
    response = save(rep_a, application_a, pa, "addresses", table_post("addresses", rows))
    assert response.status_code == 200
    assert "Use at most 9 characters (this has 10)." in response.content.decode()
    assert not FormSection.objects.exists()


# --- Sections C, E, F, G: the None control ----------------------------------------------------


@pytest.mark.parametrize(
    ("slug", "table"),
    [("membership", "memberships"), ("government", "positions"), ("military", "services")],
)
def test_none_or_at_least_one_row(rep_a, application_a, pa, slug, table):
    save(rep_a, application_a, pa, slug, table_post(table, []), complete=True)
    assert "Add at least one row, or tick “None”." in errors_on_page(rep_a, application_a, pa, slug)
    rows = [{"start": "2015-01", "end": "2016-01"}]
    save(
        rep_a, application_a, pa, slug, {"no_rows": "on", **table_post(table, rows)}, complete=True
    )
    assert "You ticked “None” but listed rows." in errors_on_page(rep_a, application_a, pa, slug)
    save(rep_a, application_a, pa, slug, {"no_rows": "on", **table_post(table, [])}, complete=True)
    assert stored(pa, slug).state == FormSection.State.COMPLETE


def test_education_years_are_0_to_20_even_in_a_draft(rep_a, application_a, pa):
    response = save(rep_a, application_a, pa, "education", {"years_secondary": "21"})
    assert response.status_code == 200
    assert "Enter a whole number of years from 0 to 20." in response.content.decode()
    assert not FormSection.objects.exists()


def test_post_secondary_years_need_the_schools(rep_a, application_a, pa):
    post = {**complete_posts()["education"], "no_rows": "on", **table_post("schools", [])}
    save(rep_a, application_a, pa, "education", post, complete=True)
    body = errors_on_page(rep_a, application_a, pa, "education")
    assert "You gave years of post-secondary education: list the schools." in body


def test_military_service_that_ended_needs_its_reason(rep_a, application_a, pa):
    row = {
        "country": "Canada",
        "branch": "Army",
        "start": "2000-01",
        "end": "2004-01",
        "rank": "Private",
        "combat": "N/A",
    }
    save(rep_a, application_a, pa, "military", table_post("services", [row]), complete=True)
    assert "Give the reason the service ended." in errors_on_page(
        rep_a, application_a, pa, "military"
    )


# --- Section A ------------------------------------------------------------------------------


def test_a_parent_born_after_the_applicant_is_refused(rep_a, application_a, pa):
    post = personal_post(mother_date_of_birth="1990-01-01")
    save(rep_a, application_a, pa, "personal", post, complete=True)
    body = errors_on_page(rep_a, application_a, pa, "personal")
    assert "A parent&#x27;s date of birth must be before the applicant&#x27;s (1985-04-23)." in body


def test_a_death_before_the_birth_is_refused(rep_a, application_a, pa):
    save(
        rep_a,
        application_a,
        pa,
        "personal",
        personal_post(father_date_of_death="1940-01-01"),
        complete=True,
    )
    assert "The date of death cannot be before the date of birth." in errors_on_page(
        rep_a, application_a, pa, "personal"
    )


def test_a_future_date_is_refused_even_in_a_draft(rep_a, application_a, pa):
    response = save(rep_a, application_a, pa, "personal", {"father_date_of_death": "2027-01-01"})
    assert response.status_code == 200
    assert "This date cannot be in the future." in response.content.decode()


def test_dates_typed_with_slashes_are_stored_as_iso(rep_a, application_a, pa):
    save(rep_a, application_a, pa, "personal", {"father_date_of_birth": "1950/02/03"})
    assert stored(pa, "personal").data["father_date_of_birth"] == "1950-02-03"
    rows = [history_row("2016/1", present=True)]
    save(rep_a, application_a, pa, "history", table_post("history", rows))
    assert stored(pa, "history").data["history"][0]["start"] == "2016-01"


def test_the_native_name_takes_any_script(rep_a, application_a, pa):
    save(
        rep_a,
        application_a,
        pa,
        "personal",
        personal_post(native_name="玛丽 特伦布莱"),
        complete=True,
    )
    assert stored(pa, "personal").state == FormSection.State.COMPLETE


# --- every message is translated ------------------------------------------------------------


def test_the_strict_messages_show_in_french(rep_a, application_a, pa):
    save(rep_a, application_a, pa, "background", background_post(detention=True), complete=True)
    url = section_url(application_a, pa, "background").replace("/en/", "/fr/")
    body = rep_a.get(url).content.decode()
    assert "Vous avez répondu oui à (j)" in body
    assert "Il y a un problème" in body
