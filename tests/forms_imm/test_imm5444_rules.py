"""IMM 5444: who fills it, page rules, the five-year tables and the residency calculator."""

from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from applications.models import Person, Program
from applications.tasks_list import forms_for_person
from forms_imm.imm5444 import SECTIONS, residency_result
from forms_imm.models import FormSection
from forms_imm.residency import Absence, residency_obligation
from forms_imm.spec import SectionContext
from tests import factories
from tests.forms_imm.family_helpers import BORN, TODAY, section_url, table_post

pytestmark = pytest.mark.django_db
SECTION = {section.slug: section for section in SECTIONS}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def pa(application_a):
    application_a.program = Program.objects.get(code="pr_card")
    application_a.save(update_fields=["program"])
    person = application_a.principal_applicant
    Person.objects.filter(pk=person.pk).update(date_of_birth=BORN, sex="F", marital_status="02")
    person.refresh_from_db()
    return person


def bound_for(application, person, slug, data):
    context = SectionContext(application=application, person=person, today=TODAY)
    bound = SECTION[slug].bind(data, context=context, strict=True)
    bound.is_valid()
    return bound


def error_codes(bound) -> set[str]:
    found = {e.code for errors in bound.form.errors.as_data().values() for e in errors}
    for formset in bound.tables.values():
        for form in formset.forms:
            found |= {e.code for errors in form.errors.as_data().values() for e in errors}
    return found | {p.code for p in bound.period_problems()}


def test_only_the_document_programs_use_it(application_a, pa):
    assert forms_for_person(pa, application_a.program, TODAY) == [("imm5444", True)]
    other = Program.objects.get(code="start_up_visa")
    assert "imm5444" not in dict(forms_for_person(pa, other, TODAY))


SITUATION = {
    "situation": "renew",
    "uci": "1234-5678",
    "correspondence_language": "01",
    "became_pr_date": "2015-03-04",
    "became_pr_city": "Ottawa",
    "became_pr_province": "ON",
    "urgent": "False",
}


def test_situation_rules(application_a, pa):
    bound = bound_for(application_a, pa, "situation", SITUATION)
    assert bound.is_valid()
    assert bound.to_data()["uci"] == "12345678"
    assert "required" in error_codes(
        bound_for(application_a, pa, "situation", {**SITUATION, "urgent": "True"})
    )
    assert "became_before_birth" in error_codes(
        bound_for(application_a, pa, "situation", {**SITUATION, "became_pr_date": "1980-01-01"})
    )
    assert not bound_for(application_a, pa, "situation", {**SITUATION, "uci": "12"}).is_valid()


def test_immigration_history_yes_needs_details(application_a, pa):
    answers = {
        "removal_order": "True",
        "inadmissibility_report": "False",
        "lost_pr_status": "False",
        "appeal": "False",
    }
    assert "yes_needs_details" in error_codes(bound_for(application_a, pa, "immigration", answers))
    assert bound_for(application_a, pa, "immigration", {**answers, "details": "2019"}).is_valid()


def address(start, end="", present=False):
    return {
        "start": start,
        "end": end,
        "present": present,
        "address": "12 Elm Street",
        "city": "Ottawa",
        "province_state": "Ontario",
        "country": "CA",
    }


def activity(start, end="", present=False):
    return {
        "start": start,
        "end": end,
        "present": present,
        "employer": "Maple Software",
        "activity": "Employed",
        "city": "Ottawa",
        "country": "CA",
    }


def test_five_year_tables_use_full_dates_and_may_start_the_day_after(application_a, pa):
    data = {
        **table_post(
            "addresses", [address("2020-01-15", "2023-05-31"), address("2023-06-01", present=True)]
        ),
        **table_post("activities", [activity("2021-11-01", present=True)]),
    }
    assert bound_for(application_a, pa, "history", data).is_valid()


def test_a_gap_in_the_five_years_is_reported_with_its_months(application_a, pa):
    data = {
        **table_post(
            "addresses", [address("2020-01-15", "2023-02-28"), address("2023-06-01", present=True)]
        ),
        **table_post("activities", [activity("2022-01-01", present=True)]),
    }
    bound = bound_for(application_a, pa, "history", data)
    assert not bound.is_valid()
    codes = [p.code for p in bound.period_problems()]
    assert "history_gap" in codes and "history_starts_late" in codes


def absence(start, end="", present=False, reason="A", **extra):
    return {
        "start": start,
        "end": end,
        "present": present,
        "location": "Paris, France",
        "reason": reason,
        **extra,
    }


RESIDENCY_YES = {
    "outside_canada": "True",
    "employed_abroad": "False",
    "accompanying_citizen": "False",
    "accompanying_employed_pr": "False",
}


def test_residency_rules(application_a, pa):
    assert "absences_missing" in error_codes(
        bound_for(application_a, pa, "residency", {**RESIDENCY_YES, **table_post("absences", [])})
    )
    rows = [absence("2024-01-01", "2024-02-01")]
    assert "absences_with_no" in error_codes(
        bound_for(
            application_a,
            pa,
            "residency",
            {"outside_canada": "False", **table_post("absences", rows)},
        )
    )
    other = [absence("2024-01-01", "2024-02-01", reason="other")]
    assert "explanation_required" in error_codes(
        bound_for(
            application_a, pa, "residency", {**RESIDENCY_YES, **table_post("absences", other)}
        )
    )
    overlapping = [absence("2024-01-01", "2024-04-01"), absence("2024-02-01", "2024-05-01")]
    assert "trip_overlap" in error_codes(
        bound_for(
            application_a, pa, "residency", {**RESIDENCY_YES, **table_post("absences", overlapping)}
        )
    )
    assert bound_for(
        application_a, pa, "residency", {**RESIDENCY_YES, **table_post("absences", rows)}
    ).is_valid()


def test_the_page_shows_the_days_in_canada_and_what_under_730_means(rep_a, application_a, pa):
    FormSection.objects.create(
        application=application_a,
        person=pa,
        form="imm5444",
        section="situation",
        data={"became_pr_date": "2015-03-04"},
    )
    url = section_url(application_a, pa, "residency", form="imm5444")
    today = timezone.localdate()  # the view's today (Ottawa time)
    page = rep_a.get(url).content.decode()
    for line in residency_result([], date(2015, 3, 4), today)["lines"]:
        assert line in page
    assert "The residency obligation is met." in page
    rows = [absence("2022-01-01", "2025-06-01")]
    response = rep_a.post(
        url,
        {
            **RESIDENCY_YES,
            **table_post("absences", rows),
            "expected_version": "0",
            "action": "save",
        },
    )
    assert response.status_code == 302
    page = rep_a.get(url).content.decode()
    expected = residency_result(rows, date(2015, 3, 4), today)
    assert expected["status"] == "not_met" and expected["result"].days_present == 580
    for line in expected["lines"]:
        assert line in page
    assert "the residency obligation is not met (150 days short)" in page
    assert "humanitarian and compassionate reasons" in page
    assert 'src="/static/js/residency.js"' in page


def test_within_the_first_five_years_the_days_left_count(application_a, pa):
    result = residency_result([], date(2025, 1, 10), TODAY)
    assert result["status"] == "first"
    assert "until 2030-01-09" in result["lines"][1]


def test_no_date_assumes_more_than_five_years_and_says_so(application_a, pa):
    result = residency_result([], None, TODAY)
    assert result["result"].days_present == 1826 and len(result["lines"]) == 3


dates = st.dates(date(2018, 1, 1), TODAY)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(dates, dates), max_size=5), st.dates(date(2000, 1, 1), TODAY))
def test_hypothesis_the_window_is_five_years_and_absences_only_remove_days(pairs, became):
    rows = [
        {"start": min(a, b).isoformat(), "end": max(a, b).isoformat(), "present": False}
        for a, b in pairs
    ]
    result = residency_result(rows, became, TODAY)["result"]
    assert result.window_end == TODAY
    assert result.window_start >= date(2021, 11, 26)
    assert result.window_start == max(became, date(2021, 11, 26))
    full = (TODAY - result.window_start).days + 1
    assert 0 <= result.days_present <= full
    # each absence removes at most the days strictly between departure and return
    removed = sum(max(0, (max(a, b) - min(a, b)).days - 1) for a, b in pairs)
    assert result.days_present >= full - removed
    expected = residency_obligation(
        today=TODAY,
        became_pr=became,
        absences=[Absence(min(a, b), max(a, b)) for a, b in pairs],
    )
    assert result == expected


def test_a_dependent_profile_does_not_get_the_form(application_a, pa):
    spouse = factories.make_person(
        application=application_a, relationship="10", date_of_birth=BORN + timedelta(days=9)
    )
    assert forms_for_person(spouse, application_a.program, TODAY) == []
