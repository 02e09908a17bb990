"""The residency-obligation calculator of the IMM 5444 PR card form (forms.md §8, IRPA s. 28).

A permanent resident must be physically present in Canada for at least 730 days in every
five-year period. The form has no days column: this module counts the days from the absence rows.

Counting rules (forms.md §8):

- An absence runs from the day of departure to the day of return. Both of those days count as
  days in Canada, so an absence from ``d1`` to ``d2`` removes ``d2 - d1 - 1`` days; a day trip
  (or an overnight one) removes none.
- Overlapping absences are merged (a day abroad is counted once); absences are clipped to the
  window.
- An absence with no return date (still outside Canada) removes every day after departure up
  to the end of the window, today included.

The window (a documented choice: IRCC does not define its ends) is the five years that end
today, today included: from the day after the date five years ago to today, 1,826 or 1,827
days. For someone who became a permanent resident less than five years ago it starts on the
day they became one (a day in Canada).

Within the first five years the obligation is met when it can still be met: the days present
so far plus every day left until the fifth anniversary reach 730 (IRPA s. 28(2)(b)(i)). After
five years it is met when the days present in the window reach 730.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from forms_imm.periods import anniversary

DAYS_REQUIRED = 730
WINDOW_YEARS = 5
_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Absence:
    """A stay outside Canada: left on ``start``, came back on ``end`` (``None``: not back yet)."""

    start: date
    end: date | None

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise ValueError("an absence cannot end before it starts")


@dataclass(frozen=True, kw_only=True)
class ResidencyResult:
    """What the calculator found; every count is in days.

    - ``days_present``: days in Canada in the window (``window_start`` to ``window_end``, both
      included).
    - ``days_still_needed``: how far ``days_present`` is below 730 (0 when it is not).
    - ``within_first_five_years``: became a permanent resident less than five years ago; then
      ``days_remaining`` is the number of days after today up to the last day of the first five
      years (``first_period_end``), which can still be spent in Canada.
    - ``shortfall``: the days that can no longer be made up (0 when ``met``).
    """

    window_start: date
    window_end: date
    days_present: int
    met: bool
    shortfall: int
    days_still_needed: int
    within_first_five_years: bool = False
    days_remaining: int = 0
    first_period_end: date | None = None
    days_required: int = DAYS_REQUIRED


def _absent_ranges(
    absences: Iterable[Absence], window_start: date, window_end: date
) -> list[tuple[date, date]]:
    """The days spent wholly abroad, as merged, sorted, inclusive ranges inside the window."""
    ranges = []
    for absence in absences:
        first = max(absence.start + _ONE_DAY, window_start)
        last = window_end if absence.end is None else min(absence.end - _ONE_DAY, window_end)
        if first <= last:
            ranges.append((first, last))
    merged: list[tuple[date, date]] = []
    for first, last in sorted(ranges):
        if merged and first <= merged[-1][1] + _ONE_DAY:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def days_in_canada(*, window_start: date, window_end: date, absences: Iterable[Absence]) -> int:
    """Days from ``window_start`` to ``window_end`` (both included) not spent wholly abroad."""
    if window_end < window_start:
        raise ValueError("the window cannot end before it starts")
    total = (window_end - window_start).days + 1
    absent = sum(
        (last - first).days + 1
        for first, last in _absent_ranges(absences, window_start, window_end)
    )
    return total - absent


def residency_obligation(
    *, today: date, became_pr: date, absences: Iterable[Absence]
) -> ResidencyResult:
    """Whether the residency obligation is met on ``today`` (see the module docstring)."""
    if became_pr > today:
        raise ValueError("the date of becoming a permanent resident cannot be after today")
    absences = list(absences)
    five_years_start = anniversary(today, -WINDOW_YEARS) + _ONE_DAY
    within_first = became_pr > five_years_start
    window_start = became_pr if within_first else five_years_start
    present = days_in_canada(window_start=window_start, window_end=today, absences=absences)
    still_needed = max(0, DAYS_REQUIRED - present)
    if within_first:
        first_period_end = anniversary(became_pr, WINDOW_YEARS) - _ONE_DAY
        remaining = (first_period_end - today).days
        shortfall = max(0, still_needed - remaining)
        return ResidencyResult(
            window_start=window_start,
            window_end=today,
            days_present=present,
            met=shortfall == 0,
            shortfall=shortfall,
            days_still_needed=still_needed,
            within_first_five_years=True,
            days_remaining=remaining,
            first_period_end=first_period_end,
        )
    return ResidencyResult(
        window_start=window_start,
        window_end=today,
        days_present=present,
        met=still_needed == 0,
        shortfall=still_needed,
        days_still_needed=still_needed,
    )
