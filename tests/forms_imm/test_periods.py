"""Months, the period covered, and the gap, overlap and trip checks (forms.md §2.2-§2.4, §6)."""

from datetime import date

import pytest
from django.utils import translation
from hypothesis import assume, given
from hypothesis import strategies as st

from forms_imm.periods import (
    ERROR,
    MESSAGES,
    WARNING,
    Gap,
    HistoryRow,
    Month,
    Overlap,
    TripRow,
    anniversary,
    check_history,
    check_trips,
    period_start,
)

M = Month.parse
CURRENT = M("2025-06")
START = M("2015-06")


def codes(problems):
    return [p.code for p in problems]


def history(*spans):
    """Rows numbered from 1: ("2015-06", "2019-12"), ("2019-12", None) ..."""
    return [
        HistoryRow(i, M(start), M(end) if end else None) for i, (start, end) in enumerate(spans, 1)
    ]


# --- Month --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2021-03", Month(2021, 3)),
        ("2021/03", Month(2021, 3)),
        ("2021/3", Month(2021, 3)),
        (" 2021 / 12 ", Month(2021, 12)),
    ],
)
def test_month_parses_the_stored_and_the_typed_forms(text, expected):
    assert Month.parse(text) == expected


@pytest.mark.parametrize(
    "text", ["2021-13", "2021-00", "21-03", "2021-03-01", "March 2021", "", "0000-01"]
)
def test_month_refuses_anything_else(text):
    with pytest.raises(ValueError):
        Month.parse(text)


def test_month_edges_december_to_january():
    december = Month(2021, 12)
    assert december + 1 == Month(2022, 1)
    assert december.add(1) == Month(2022, 1)
    assert Month(2022, 1).add(-1) == december
    assert Month(2022, 1) - december == 1
    assert Month(2022, 1) - 13 == Month(2020, 12)
    assert december.last_day() == date(2021, 12, 31)
    assert Month(2024, 2).last_day() == date(2024, 2, 29)


def test_month_orders_by_year_then_month_and_prints_as_stored():
    assert Month(2020, 12) < Month(2021, 1) < Month(2021, 2)
    assert sorted([M("2021-02"), M("2019-11"), M("2020-01")]) == [
        M("2019-11"),
        M("2020-01"),
        M("2021-02"),
    ]
    assert str(Month(987, 3)) == "0987-03"
    assert Month.from_date(date(2021, 3, 31)) == Month(2021, 3)


def test_month_label_follows_the_active_language():
    with translation.override("en"):
        assert M("2021-03").label() == "March 2021"
    with translation.override("fr"):
        assert M("2021-03").label() == "mars 2021"


@given(st.integers(1000, 9000), st.integers(1, 12), st.integers(-5000, 5000))
def test_month_arithmetic_round_trips(year, month, k):
    m = Month(year, month)
    assert m.add(k).add(-k) == m
    assert m.add(k) - m == k
    assert (m.add(k) > m) == (k > 0)
    assert Month.parse(m.add(k).isoformat()) == m.add(k)


# --- period_start (§2.3) ------------------------------------------------------------------------


def test_period_is_the_past_ten_years_for_someone_over_28():
    assert period_start(reference=date(2025, 6, 15), date_of_birth=date(1980, 1, 1)) == START


def test_someone_under_28_reports_from_the_month_of_their_18th_birthday():
    start = period_start(reference=date(2025, 6, 15), date_of_birth=date(2000, 9, 10))
    assert start == M("2018-09")


def test_18th_birthday_boundary_at_month_precision():
    reference = date(2025, 6, 15)
    # Turned 18 in June 2015, the same month the ten-year window opens: either rule gives June.
    assert period_start(reference=reference, date_of_birth=date(1997, 6, 30)) == START
    # Turned 18 in July 2015: one month later than the ten-year window.
    assert period_start(reference=reference, date_of_birth=date(1997, 7, 1)) == M("2015-07")
    # Turned 18 in May 2015: the ten-year window is more recent.
    assert period_start(reference=reference, date_of_birth=date(1997, 5, 31)) == START


def test_29_february_birthday_turns_18_on_28_february():
    assert anniversary(date(2004, 2, 29), 18) == date(2022, 2, 28)
    assert anniversary(date(2004, 2, 29), 20) == date(2024, 2, 29)
    start = period_start(reference=date(2025, 1, 10), date_of_birth=date(2004, 2, 29))
    assert start == M("2022-02")


def test_29_february_reference_date_and_other_lengths():
    assert period_start(reference=date(2024, 2, 29), date_of_birth=None) == M("2014-02")
    assert period_start(reference=date(2025, 6, 1), date_of_birth=None, years=5) == M("2020-06")


@given(
    st.dates(date(1930, 1, 1), date(2030, 12, 31)),
    st.integers(18 * 366, 90 * 365),
)
def test_period_start_is_the_later_of_the_two_rules(reference, age_days):
    dob = date.fromordinal(reference.toordinal() - age_days)
    start = period_start(reference=reference, date_of_birth=dob)
    ten_years = Month.from_date(reference).add(-120)
    eighteen = Month(dob.year + 18, dob.month)
    assert start == max(ten_years, eighteen)
    if anniversary(dob, 28) > reference:
        assert start == eighteen


# --- check_history (§2.4) -----------------------------------------------------------------------


def check(rows, **kwargs):
    return check_history(rows, period_start=START, current=CURRENT, **kwargs)


def test_a_contiguous_history_to_present_has_no_problems():
    rows = history(("2014-01", "2017-08"), ("2017-08", "2019-12"), ("2019-12", None))
    assert check(rows) == []


def test_the_last_row_may_end_in_the_current_month_instead_of_present():
    assert check(history(("2015-06", "2020-01"), ("2020-01", "2025-06"))) == []


def test_same_month_in_to_and_next_from_across_a_year_end():
    assert check(history(("2015-01", "2019-12"), ("2019-12", "2020-01"), ("2020-01", None))) == []


def test_from_the_month_after_the_previous_to_is_not_joined_under_the_strict_rule():
    rows = history(("2015-01", "2019-12"), ("2020-01", None))
    [problem] = check(rows)
    assert problem.code == "history_not_joined"
    assert problem.rows == (2, 1)
    with translation.override("en"):
        assert "change the From of row 2 to December 2019" in problem.message
    assert check(rows, strict_join=False) == []


def test_a_two_month_gap_is_reported_with_exactly_those_months_and_the_row_to_fix():
    rows = history(("2015-01", "2019-03"), ("2019-06", None))
    [gap] = check(rows)
    assert isinstance(gap, Gap)
    assert (gap.code, gap.start, gap.end, gap.months) == (
        "history_gap",
        M("2019-04"),
        M("2019-05"),
        2,
    )
    assert (gap.previous_row, gap.fix_row, gap.rows) == (1, 2, (2,))
    assert gap.severity == ERROR
    with translation.override("en"):
        assert gap.message == (
            "The months from April 2019 to May 2019 are missing between row 1 and row 2. "
            "Change the From of row 2 to March 2019, or add a row for those months."
        )
    with translation.override("fr"):
        assert "avril 2019" in gap.message and "mai 2019" in gap.message
        assert "mars 2019" in gap.message


def test_a_one_month_gap_names_the_month():
    [gap] = check(history(("2015-01", "2019-03"), ("2019-05", None)))
    assert (gap.start, gap.end) == (M("2019-04"), M("2019-04"))
    with translation.override("en"):
        assert gap.message.startswith("April 2019 is missing between row 1 and row 2.")


def test_a_history_that_starts_after_the_period_start_is_a_gap_before_the_first_row():
    [gap] = check(history(("2015-09", None)))
    assert (gap.code, gap.start, gap.end, gap.fix_row, gap.previous_row) == (
        "history_starts_late",
        M("2015-06"),
        M("2015-08"),
        1,
        None,
    )
    with translation.override("en"):
        assert gap.message.startswith("The history must start in June 2015 or earlier.")


def test_a_history_that_stops_before_the_current_month_is_a_gap_after_the_last_row():
    [gap] = check(history(("2015-01", "2025-03")))
    assert (gap.code, gap.start, gap.end, gap.fix_row) == (
        "history_ends_early",
        M("2025-04"),
        CURRENT,
        1,
    )
    [gap] = check(history(("2015-01", "2025-05")))
    assert (gap.start, gap.end) == (CURRENT, CURRENT)


def test_an_empty_history_asks_for_rows_over_the_whole_period():
    [gap] = check([])
    assert (gap.code, gap.start, gap.end, gap.fix_row) == ("history_empty", START, CURRENT, None)
    with translation.override("fr"):
        assert "juin 2015" in gap.message


def test_rows_are_sorted_by_from_before_checking():
    rows = history(("2019-12", None), ("2015-01", "2017-08"), ("2017-08", "2019-12"))
    assert check(rows) == []
    rows = history(("2019-06", None), ("2015-01", "2019-03"))
    [gap] = check(rows)
    assert (gap.previous_row, gap.fix_row) == (2, 1)


def test_overlapping_rows_fail_under_the_strict_rule_and_pass_when_allowed():
    rows = history(("2015-01", "2020-06"), ("2018-01", None))
    [overlap] = check(rows)
    assert isinstance(overlap, Overlap)
    assert (overlap.code, overlap.first_row, overlap.second_row) == ("history_overlap", 1, 2)
    assert (overlap.start, overlap.end, overlap.severity) == (M("2018-01"), M("2020-06"), ERROR)
    with translation.override("fr"):
        assert "janvier 2018" in overlap.message and "juin 2020" in overlap.message
    assert check(rows, allow_overlap=True) == []


def test_an_open_ended_present_row_covers_everything_after_it():
    rows = history(("2015-01", None), ("2018-01", "2019-05"))
    [overlap] = check(rows)
    assert (overlap.first_row, overlap.second_row) == (1, 2)
    assert (overlap.start, overlap.end) == (M("2018-01"), M("2019-05"))
    # Working while studying, where overlaps are allowed: no gap after the inner row.
    assert check(rows, allow_overlap=True) == []


def test_gaps_are_measured_from_the_furthest_row_when_overlaps_are_allowed():
    rows = history(("2015-01", "2020-12"), ("2016-01", "2017-01"), ("2021-03", None))
    [gap] = check(rows, allow_overlap=True)
    assert (gap.start, gap.end, gap.previous_row, gap.fix_row) == (
        M("2021-01"),
        M("2021-02"),
        1,
        3,
    )


def test_row_problems_come_first_and_hold_back_the_coverage_check():
    rows = history(("2015-01", "2014-12"), ("2015-01", None))
    assert codes(check(rows)) == ["row_end_before_start"]
    rows = history(("2015-01", "2025-09"))
    [problem] = check(rows)
    assert (problem.code, problem.rows) == ("row_end_in_future", (1,))
    rows = history(("2015-01", "2025-06"), ("2025-07", None))
    assert codes(check(rows)) == ["row_start_in_future"]


def test_a_period_that_starts_after_this_month_asks_for_nothing():
    assert check_history([], period_start=M("2026-01"), current=CURRENT) == []


def test_rows_before_the_period_do_not_count_as_missing_months():
    rows = history(("2000-01", "2003-01"), ("2010-01", None))
    assert check(rows) == []  # the gap 2003-2009 lies before June 2015


def test_every_message_has_a_template():
    produced = {"history_gap_one", "history_starts_late_one", "history_ends_early_one"}
    assert produced <= set(MESSAGES)


# --- Hypothesis ---------------------------------------------------------------------------------


@st.composite
def contiguous_cover(draw):
    """(rows, period_start, current): rows joined month to month, covering the whole period."""
    start = Month(draw(st.integers(1990, 2015)), draw(st.integers(1, 12)))
    current = start.add(draw(st.integers(0, 240)))
    first = start.add(-draw(st.integers(0, 36)))
    inner = sorted(
        draw(st.lists(st.integers(start.ordinal, current.ordinal), min_size=0, max_size=12))
    )
    bounds = [first, *(Month.from_ordinal(o) for o in inner)]
    ends_present = draw(st.booleans())
    rows = [HistoryRow(i + 1, bounds[i], bounds[i + 1]) for i in range(len(bounds) - 1)]
    rows.append(HistoryRow(len(bounds), bounds[-1], None if ends_present else current))
    return rows, start, current


@given(contiguous_cover(), st.randoms())
def test_a_contiguous_cover_has_no_problems_in_any_order(cover, random):
    rows, start, current = cover
    random.shuffle(rows)
    assert check_history(rows, period_start=start, current=current) == []


@given(contiguous_cover(), st.data())
def test_removing_an_inner_row_leaves_exactly_its_inner_months_missing(cover, data):
    rows, start, current = cover
    assume(len(rows) >= 3)
    k = data.draw(st.integers(1, len(rows) - 2))
    before, removed, after = rows[k - 1], rows[k], rows[k + 1]
    remaining = rows[:k] + rows[k + 1 :]
    problems = check_history(remaining, period_start=start, current=current)
    span = removed.end - removed.start
    if span >= 2:
        [gap] = problems
        assert isinstance(gap, Gap) and gap.code == "history_gap"
        assert (gap.start, gap.end) == (removed.start.add(1), removed.end.add(-1))
        assert (gap.previous_row, gap.fix_row) == (before.index, after.index)
    elif span == 1:
        assert codes(problems) == ["history_not_joined"]
        assert (
            check_history(remaining, period_start=start, current=current, strict_join=False) == []
        )
    else:
        assert problems == []


def months_of(row, current):
    end = row.end or current
    return set(range(row.start.ordinal, end.ordinal + 1))


@st.composite
def any_rows(draw):
    start = Month(2010, 1)
    current = Month(2015, 1)
    n = draw(st.integers(0, 6))
    rows = []
    for i in range(n):
        a = draw(st.integers(start.ordinal - 12, current.ordinal))
        b = draw(st.one_of(st.none(), st.integers(a, current.ordinal)))
        rows.append(
            HistoryRow(i + 1, Month.from_ordinal(a), None if b is None else Month.from_ordinal(b))
        )
    return rows, start, current


@given(any_rows(), st.booleans())
def test_gaps_are_exactly_the_months_no_row_covers(case, allow_overlap):
    rows, start, current = case
    problems = check_history(rows, period_start=start, current=current, allow_overlap=allow_overlap)
    reported = set()
    for gap in (p for p in problems if isinstance(p, Gap)):
        months = set(range(gap.start.ordinal, gap.end.ordinal + 1))
        assert not months & reported  # each missing month reported once
        reported |= months
    covered = set().union(*(months_of(r, current) for r in rows)) if rows else set()
    expected = set(range(start.ordinal, current.ordinal + 1)) - covered
    assert reported == expected


def shares_only_the_join(p, q, shared):
    if len(shared) != 1:
        return False
    [month] = shared
    return (p.end is not None and p.end.ordinal == month and q.start.ordinal == month) or (
        q.end is not None and q.end.ordinal == month and p.start.ordinal == month
    )


@given(any_rows())
def test_overlaps_are_exactly_the_pairs_sharing_more_than_a_join(case):
    rows, start, current = case
    problems = check_history(rows, period_start=start, current=current)
    reported = {frozenset((p.first_row, p.second_row)) for p in problems if isinstance(p, Overlap)}
    expected = set()
    for i, p in enumerate(rows):
        for q in rows[i + 1 :]:
            shared = months_of(p, current) & months_of(q, current)
            if shared and not shares_only_the_join(p, q, shared):
                expected.add(frozenset((p.index, q.index)))
    assert reported == expected
    assert not any(
        isinstance(p, Overlap)
        for p in check_history(rows, period_start=start, current=current, allow_overlap=True)
    )


# --- check_trips (§6) ---------------------------------------------------------------------------


def trips(*spans):
    return [TripRow(i, M(a), M(b)) for i, (a, b) in enumerate(spans, 1)]


def check_t(rows, did_not_travel=False):
    return check_trips(rows, period_start=START, current=CURRENT, did_not_travel=did_not_travel)


def test_did_not_travel_is_an_explicit_answer():
    assert check_t([], did_not_travel=True) == []
    assert codes(check_t([])) == ["trips_missing"]
    [problem] = check_t(trips(("2020-01", "2020-02")), did_not_travel=True)
    assert (problem.code, problem.rows, problem.severity) == (
        "trips_did_not_travel_with_rows",
        (1,),
        ERROR,
    )


def test_trips_inside_the_period_without_overlap_pass():
    assert (
        check_t(trips(("2016-03", "2016-04"), ("2019-12", "2020-01"), ("2025-06", "2025-06"))) == []
    )


def test_trips_that_share_only_an_edge_month_do_not_overlap():
    assert check_t(trips(("2020-03", "2020-04"), ("2020-04", "2020-06"))) == []
    assert check_t(trips(("2020-04", "2020-04"), ("2020-04", "2020-04"))) == []
    assert check_t(trips(("2020-03", "2020-05"), ("2020-03", "2020-03"))) == []


def test_overlapping_trips_are_a_warning():
    [overlap] = check_t(trips(("2020-03", "2020-05"), ("2020-04", "2020-04")))
    assert (overlap.code, overlap.severity, overlap.rows) == ("trip_overlap", WARNING, (1, 2))
    [overlap] = check_t(trips(("2020-03", "2020-05"), ("2020-04", "2020-08")))
    assert (overlap.start, overlap.end) == (M("2020-04"), M("2020-05"))
    with translation.override("fr"):
        assert "avril 2020" in overlap.message


def test_trips_outside_the_period():
    [problem] = check_t(trips(("2014-01", "2015-05")))
    assert (problem.code, problem.severity) == ("trip_outside_period", ERROR)
    [problem] = check_t(trips(("2015-04", "2015-07")))
    assert (problem.code, problem.severity) == ("trip_starts_before_period", WARNING)
    with translation.override("en"):
        assert "June 2015" in problem.message


def test_trip_dates_in_order_and_not_in_the_future():
    assert codes(check_t(trips(("2020-05", "2020-03")))) == ["row_end_before_start"]
    assert codes(check_t(trips(("2025-05", "2025-07")))) == ["row_end_in_future"]
    assert codes(check_t(trips(("2025-07", "2025-08")))) == ["row_start_in_future"]


@st.composite
def any_trips(draw):
    n = draw(st.integers(1, 6))
    rows = []
    for i in range(n):
        a = draw(st.integers(START.ordinal, CURRENT.ordinal))
        b = draw(st.integers(a, min(a + 6, CURRENT.ordinal)))
        rows.append(TripRow(i + 1, Month.from_ordinal(a), Month.from_ordinal(b)))
    return rows


@given(any_trips())
def test_trip_overlaps_are_pairs_sharing_more_than_an_edge_month_of_both(rows):
    problems = check_t(rows)
    assert all(p.severity == WARNING for p in problems)
    reported = {frozenset(p.rows) for p in problems}
    expected = set()
    for i, p in enumerate(rows):
        for q in rows[i + 1 :]:
            shared = months_of(p, CURRENT) & months_of(q, CURRENT)
            edges = {p.start.ordinal, p.end.ordinal} & {q.start.ordinal, q.end.ordinal}
            if len(shared) > 1 or (shared and not shared <= edges):
                expected.add(frozenset((p.index, q.index)))
    assert reported == expected


def test_every_problem_message_renders_in_both_languages():
    samples = check(history(("2015-09", "2019-03"), ("2019-06", "2020-01"), ("2020-02", "2025-01")))
    samples += check(history(("2015-01", "2020-06"), ("2018-01", None)))
    samples += check_t(
        trips(("2014-01", "2015-01"), ("2020-03", "2020-05"), ("2020-04", "2020-04"))
    )
    samples += check_t([]) + check_t(trips(("2020-01", "2020-01")), did_not_travel=True)
    assert len({p.code for p in samples}) >= 8
    for language in ("en", "fr"):
        with translation.override(language):
            for problem in samples:
                assert "%(" not in problem.message and str(problem) == problem.message
