"""IMM 5562: one form with the principal applicant, "did not travel", periods and overlaps."""

import pytest
import time_machine
from hypothesis import given, settings
from hypothesis import strategies as st

from applications.tasks_list import forms_for_person
from forms_imm.imm5562 import SECTIONS
from forms_imm.periods import Month
from forms_imm.spec import SectionContext
from tests.forms_imm.family_helpers import TODAY, family, section_url, table_post, trip

pytestmark = pytest.mark.django_db
SECTION = {section.slug: section for section in SECTIONS}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def people(application_a):
    return family(application_a)


def bound_for(application, person, slug, rows, **main):
    context = SectionContext(application=application, person=person, today=TODAY)
    bound = SECTION[slug].bind({**main, **table_post("trips", rows)}, context=context, strict=True)
    bound.is_valid()
    return bound


def error_codes(bound) -> set[str]:
    found = {e.code for errors in bound.form.errors.as_data().values() for e in errors}
    for form in bound.tables["trips"].forms:
        found |= {e.code for errors in form.errors.as_data().values() for e in errors}
    return found | {p.code for p in bound.period_problems()}


def test_only_the_principal_applicant_has_the_form(application_a, people):
    program = application_a.program
    assert ("imm5562", True) in forms_for_person(people["pa"], program, TODAY)
    assert "imm5562" not in dict(forms_for_person(people["spouse"], program, TODAY))
    assert "imm5562" not in dict(forms_for_person(people["child"], program, TODAY))


def test_unknown_programs_make_it_optional(application_a, people):
    from applications.models import Program

    program = Program.objects.get(code="atlantic_immigration_program")
    assert ("imm5562", False) in forms_for_person(people["pa"], program, TODAY)


def test_sections_b_and_c_only_with_a_spouse_and_an_adult_child(rep_a, application_a, people):
    people["spouse"].delete()
    people["child"].delete()
    url = section_url(application_a, people["pa"], "spouse", form="imm5562")
    assert rep_a.get(url).status_code == 404
    assert (
        rep_a.get(section_url(application_a, people["pa"], "children", form="imm5562")).status_code
        == 404
    )


def test_did_not_travel_is_an_explicit_answer(application_a, people):
    pa = people["pa"]
    assert bound_for(application_a, pa, "applicant", [], did_not_travel="on").is_valid()
    assert "trips_missing" in error_codes(bound_for(application_a, pa, "applicant", []))
    assert "did_not_travel_with_rows" in error_codes(
        bound_for(application_a, pa, "applicant", [trip("2020-01", "2020-02")], did_not_travel="on")
    )


def test_a_trip_before_the_period_is_an_error_one_overlapping_it_a_warning(application_a, people):
    pa = people["pa"]  # born 1985: the period starts 2016-11
    assert "trip_outside_period" in error_codes(
        bound_for(application_a, pa, "applicant", [trip("2015-01", "2015-02")])
    )
    bound = bound_for(application_a, pa, "applicant", [trip("2016-10", "2016-12")])
    assert bound.is_valid()
    assert [p.code for p in bound.warnings()["trips"]] == ["trip_starts_before_period"]


def test_overlapping_trips_are_a_warning_that_does_not_block(application_a, people):
    rows = [trip("2020-01", "2020-04"), trip("2020-03", "2020-05")]
    bound = bound_for(application_a, people["pa"], "applicant", rows)
    assert bound.is_valid()
    assert [p.code for p in bound.warnings()["trips"]] == ["trip_overlap"]


def test_the_spouse_period_starts_at_the_spouse_18th_birthday_or_10_years(application_a, people):
    # spouse born 1987-08: over 28, so the period is the past 10 years (from 2016-11)
    assert "trip_outside_period" in error_codes(
        bound_for(application_a, people["pa"], "spouse", [trip("2016-01", "2016-03")])
    )


def test_child_rows_name_a_child_and_use_that_child_period(application_a, people):
    child = str(people["child"].public_id)  # born 2006-03: the period starts 2024-03
    rows = [trip("2023-01", "2023-02", child=child)]
    assert "trip_outside_period" in error_codes(
        bound_for(application_a, people["pa"], "children", rows)
    )
    assert "required" in error_codes(
        bound_for(application_a, people["pa"], "children", [trip("2025-01", "2025-02")])
    )
    ok = [trip("2025-01", "2025-02", child=child)]
    assert bound_for(application_a, people["pa"], "children", ok).is_valid()


def test_the_overlap_warning_shows_on_the_page_and_goes_once_fixed(rep_a, application_a, people):
    url = section_url(application_a, people["pa"], "applicant", form="imm5562")
    rows = [trip("2020-01", "2020-04"), trip("2020-03", "2020-05")]
    rep_a.post(url, {**table_post("trips", rows), "expected_version": "0", "action": "save"})
    assert "Trips 1 and 2 overlap" in rep_a.get(url).content.decode()
    rows[1]["start"] = "2020-04"
    rep_a.post(url, {**table_post("trips", rows), "expected_version": "1", "action": "complete"})
    page = rep_a.get(url).content.decode()
    assert "overlap" not in page and "Complete" in page


months = st.builds(Month, st.integers(2010, 2026), st.integers(1, 12))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(months, months), min_size=1, max_size=6))
def test_hypothesis_trips_inside_the_period_never_error_and_overlaps_only_warn(trips):
    from forms_imm.imm5562 import _trip_problems

    class Person:
        pk = 1
        date_of_birth = None

    class Context:
        today = TODAY
        current = Month(2026, 11)

    rows = [
        {"start": min(a, b).isoformat(), "end": max(a, b).isoformat()}
        for a, b in trips
        if max(a, b) <= Month(2026, 11)
    ]
    problems = _trip_problems(rows, Context, lambda row, context: Person)
    start = Month(2016, 11)
    for problem in problems:
        if problem.code == "trip_outside_period":
            assert Month.parse(rows[problem.rows[0] - 1]["end"]) < start
        elif problem.code == "trip_overlap":
            first, second = (rows[i - 1] for i in problem.rows)
            assert Month.parse(first["start"]) <= Month.parse(second["end"])
            assert Month.parse(second["start"]) <= Month.parse(first["end"])
        else:
            assert problem.code == "trip_starts_before_period"
    ordered = sorted(rows, key=lambda r: r["start"])
    disjoint = all(a["end"] < b["start"] for a, b in zip(ordered, ordered[1:], strict=False))
    if disjoint:
        assert not [p for p in problems if p.code == "trip_overlap"]
