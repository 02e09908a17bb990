"""The residency-obligation calculator (forms.md §8, IRPA s. 28)."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forms_imm.residency import Absence, days_in_canada, residency_obligation

TODAY = date(2025, 6, 10)
LONG_AGO = date(2010, 1, 1)


def window(absences, start=date(2024, 1, 1), end=date(2024, 12, 31)):
    return days_in_canada(window_start=start, window_end=end, absences=absences)


def test_the_window_is_the_five_years_ending_today():
    result = residency_obligation(today=TODAY, became_pr=LONG_AGO, absences=[])
    assert (result.window_start, result.window_end) == (date(2020, 6, 11), TODAY)
    assert result.days_present == 1826  # 2020-06-11 .. 2025-06-10 holds one 29 February
    assert result.met and result.shortfall == 0 and result.days_still_needed == 0
    assert result.days_required == 730
    assert not result.within_first_five_years and result.first_period_end is None


def test_departure_and_return_days_count_as_days_in_canada():
    assert window([Absence(date(2024, 3, 1), date(2024, 3, 11))]) == 366 - 9


def test_day_trips_and_overnight_trips_are_not_absences():
    assert window([Absence(date(2024, 3, 1), date(2024, 3, 1))]) == 366
    assert window([Absence(date(2024, 3, 1), date(2024, 3, 2))]) == 366


def test_overlapping_absences_are_merged():
    absences = [
        Absence(date(2024, 1, 1), date(2024, 1, 11)),
        Absence(date(2024, 1, 5), date(2024, 1, 20)),
    ]
    assert window(absences) == 366 - 18  # 2 to 19 January


def test_a_return_day_that_is_also_the_next_departure_day_counts_in_canada():
    absences = [
        Absence(date(2024, 1, 1), date(2024, 1, 10)),
        Absence(date(2024, 1, 10), date(2024, 1, 20)),
    ]
    assert window(absences) == 366 - 8 - 9


def test_absences_are_clipped_to_the_window():
    # Left in 2023, back on 10 January 2024: 1 to 9 January are inside the window.
    assert window([Absence(date(2023, 11, 1), date(2024, 1, 10))]) == 366 - 9
    # Away over the window's last day.
    assert window([Absence(date(2024, 12, 20), date(2025, 2, 1))]) == 366 - 11
    # Entirely outside.
    assert window([Absence(date(2022, 1, 1), date(2023, 1, 1))]) == 366


def test_an_absence_with_no_return_runs_to_the_end_of_the_window():
    assert window([Absence(date(2024, 12, 1), None)]) == 366 - 30


def test_exactly_730_days_meets_the_obligation_and_729_does_not():
    start = date(2020, 6, 11)
    # Away from the day after 730 days in Canada to today, still abroad.
    leave = start + timedelta(days=729)
    met = residency_obligation(today=TODAY, became_pr=LONG_AGO, absences=[Absence(leave, None)])
    assert (met.days_present, met.met, met.shortfall) == (730, True, 0)
    short = residency_obligation(
        today=TODAY, became_pr=LONG_AGO, absences=[Absence(leave - timedelta(days=1), None)]
    )
    assert (short.days_present, short.met, short.shortfall, short.days_still_needed) == (
        729,
        False,
        1,
        1,
    )


def test_within_the_first_five_years_the_window_starts_on_becoming_a_resident():
    became = date(2023, 6, 10)
    result = residency_obligation(today=TODAY, became_pr=became, absences=[])
    assert result.within_first_five_years
    assert (result.window_start, result.window_end) == (became, TODAY)
    assert result.days_present == 732
    assert result.first_period_end == date(2028, 6, 9)
    assert result.met


def test_within_the_first_five_years_it_is_met_while_730_days_can_still_be_reached():
    became = date(2023, 6, 10)
    # In Canada only on the landing day; 1,095 days are left in the first five years.
    away = [Absence(became, None)]
    result = residency_obligation(today=TODAY, became_pr=became, absences=away)
    assert result.days_present == 1
    assert result.days_remaining == (date(2028, 6, 9) - TODAY).days == 1095
    assert result.met and result.shortfall == 0 and result.days_still_needed == 729


def test_within_the_first_five_years_it_fails_once_730_days_are_out_of_reach():
    became = date(2020, 6, 20)  # the fifth anniversary is ten days away
    away = [Absence(became, None)]
    result = residency_obligation(today=TODAY, became_pr=became, absences=away)
    assert result.within_first_five_years
    assert result.first_period_end == date(2025, 6, 19)
    assert result.days_remaining == 9  # 11 to 19 June 2025
    assert result.days_present == 1
    assert not result.met
    assert result.shortfall == 730 - 1 - 9


def test_29_february_today():
    result = residency_obligation(today=date(2028, 2, 29), became_pr=LONG_AGO, absences=[])
    # Five years back from 29 February is 28 February 2023; the window starts the day after.
    assert result.window_start == date(2023, 3, 1)
    assert result.days_present == (date(2028, 2, 29) - date(2023, 3, 1)).days + 1 == 1827


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        Absence(date(2024, 1, 10), date(2024, 1, 9))
    with pytest.raises(ValueError):
        residency_obligation(today=TODAY, became_pr=TODAY + timedelta(days=1), absences=[])
    with pytest.raises(ValueError):
        days_in_canada(window_start=TODAY, window_end=TODAY - timedelta(days=1), absences=[])


@st.composite
def absences(draw):
    base = date(2024, 1, 1)
    out = []
    for _ in range(draw(st.integers(0, 6))):
        start = base + timedelta(days=draw(st.integers(-30, 120)))
        end = draw(st.one_of(st.none(), st.integers(0, 60)))
        out.append(Absence(start, None if end is None else start + timedelta(days=end)))
    return out


@given(absences(), st.integers(0, 60), st.integers(0, 90))
def test_days_in_canada_matches_a_day_by_day_count(rows, offset, length):
    start = date(2024, 1, 1) + timedelta(days=offset)
    end = start + timedelta(days=length)
    abroad = set()
    for absence in rows:
        last = absence.end - timedelta(days=1) if absence.end else end
        day = absence.start + timedelta(days=1)
        while day <= last:
            abroad.add(day)
            day += timedelta(days=1)
    expected = sum(1 for i in range(length + 1) if start + timedelta(days=i) not in abroad)
    assert days_in_canada(window_start=start, window_end=end, absences=rows) == expected
