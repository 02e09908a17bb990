"""Months, the period a history covers, and the gap, overlap and trip checks.

forms.md §2.2-§2.4 and §6.

Pure functions with no database access: the form models and the submit gate build ``HistoryRow``
and ``TripRow`` values from their rows and show the problems returned here.

Conventions (forms.md §2.4, the real portal's table rule):

- History rows, IMM 5562 trips and the IMM 5444 tables are compared at **month precision**.
- A row covers every month from its From to its To, **both included**. The next row's From repeats
  the previous row's To: the same month appears in both rows (the month someone moved or changed
  jobs). A To of ``None`` means "present" and covers every month up to the current one.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

ERROR = "error"  # blocks the submit gate
WARNING = "warning"  # shown, never blocks

_MONTH_RE = re.compile(r"^\s*(\d{4})\s*[-/]\s*(\d{1,2})\s*$")


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month. Ordered, hashable, and stored as ``"YYYY-MM"``."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month must be 1-12, not {self.month}")
        if not 1 <= self.year <= 9999:
            raise ValueError(f"year must be 1-9999, not {self.year}")

    @classmethod
    def parse(cls, text: str) -> Month:
        """Read ``"YYYY-MM"`` (stored) or ``"YYYY/MM"`` (typed in the real portal).

        Raises ``ValueError`` on anything else.
        """
        match = _MONTH_RE.match(text or "")
        if not match:
            raise ValueError(f"not a month (YYYY-MM or YYYY/MM): {text!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def from_date(cls, value: date) -> Month:
        return cls(value.year, value.month)

    @classmethod
    def from_ordinal(cls, ordinal: int) -> Month:
        """The inverse of ``ordinal``."""
        year, month_index = divmod(ordinal, 12)
        return cls(year, month_index + 1)

    @property
    def ordinal(self) -> int:
        """Months since year 0: consecutive months have consecutive ordinals."""
        return self.year * 12 + self.month - 1

    def add(self, months: int) -> Month:
        """This month moved by ``months`` (negative to go back)."""
        return Month.from_ordinal(self.ordinal + months)

    def __add__(self, months: int) -> Month:
        if isinstance(months, bool) or not isinstance(months, int):
            return NotImplemented
        return self.add(months)

    def __sub__(self, other: Month | int) -> Any:
        """``month - month`` is the number of months between them; ``month - n`` moves back."""
        if isinstance(other, Month):
            return self.ordinal - other.ordinal
        if isinstance(other, int) and not isinstance(other, bool):
            return self.add(-other)
        return NotImplemented

    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    def last_day(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def isoformat(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def __str__(self) -> str:
        return self.isoformat()

    def label(self) -> str:
        """The month in the active language: "March 2021", "mars 2021"."""
        return date_format(self.first_day(), "YEAR_MONTH_FORMAT")


def anniversary(value: date, years: int) -> date:
    """``value`` moved by whole years; 29 February becomes 28 February in a common year.

    28 February rather than 1 March because every caller uses it to find where a period starts:
    the earlier day can only ask for a little more history, never leave a month out.
    """
    year = value.year + years
    if value.month == 2 and value.day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return value.replace(year=year)


def period_start(*, reference: date, date_of_birth: date | None, years: int = 10) -> Month:
    """First month a history must cover (forms.md §2.3).

    ``max(reference - years, date_of_birth + 18 years)`` at month precision: the past ``years``
    years, or since the 18th birthday when that is more recent, so anyone under 28 reports from
    the month they turned 18. ``reference`` is the signing date (recomputed at submission).
    ``date_of_birth=None`` skips the 18th-birthday rule (the IMM 5444 five-year tables).
    """
    start = Month.from_date(anniversary(reference, -years))
    if date_of_birth is not None:
        start = max(start, Month.from_date(anniversary(date_of_birth, 18)))
    return start


# --- Problems --------------------------------------------------------------------------------

MESSAGES: dict[str, Any] = {
    "row_end_before_start": _(
        "Row %(row)s: the To month (%(end)s) is before the From month (%(start)s)."
    ),
    "row_start_in_future": _("Row %(row)s: the From month (%(start)s) is in the future."),
    "row_end_in_future": _(
        'Row %(row)s: the To month (%(end)s) is in the future. Choose "present" for something '
        "that is still going on."
    ),
    "history_empty": _("Add rows that cover every month from %(start)s to the present."),
    "history_gap": _(
        "The months from %(start)s to %(end)s are missing between row %(previous)s and row "
        "%(row)s. Change the From of row %(row)s to %(expected)s, or add a row for those months."
    ),
    "history_gap_one": _(
        "%(start)s is missing between row %(previous)s and row %(row)s. Change the From of row "
        "%(row)s to %(expected)s, or add a row for that month."
    ),
    "history_starts_late": _(
        "The history must start in %(expected)s or earlier. The months from %(start)s to %(end)s "
        "are missing before row %(row)s: change its From to %(expected)s, or add a row for those "
        "months."
    ),
    "history_starts_late_one": _(
        "The history must start in %(expected)s or earlier. %(start)s is missing before row "
        "%(row)s: change its From to %(expected)s, or add a row for that month."
    ),
    "history_ends_early": _(
        'The last row must end in %(current)s or be marked "present". The months from %(start)s '
        'to %(end)s are missing after row %(previous)s: change its To to "present", or add a row '
        "for those months."
    ),
    "history_ends_early_one": _(
        'The last row must end in %(current)s or be marked "present". %(start)s is missing after '
        'row %(previous)s: change its To to "present", or add a row for that month.'
    ),
    "history_not_joined": _(
        "Row %(row)s starts in %(start)s but row %(previous)s ends in %(expected)s. Each From "
        "repeats the To of the row before it: change the From of row %(row)s to %(expected)s."
    ),
    "history_overlap": _(
        "Rows %(first)s and %(second)s overlap from %(start)s to %(end)s. Only the month one row "
        "ends and the next one starts may appear in both."
    ),
    "trips_missing": _('List every trip in the period, or answer "I did not travel".'),
    "trips_did_not_travel_with_rows": _(
        'You answered "I did not travel" but listed trips. Remove the trips or change the answer.'
    ),
    "trip_outside_period": _(
        "Row %(row)s: this trip ended before %(period_start)s, when the period starts. Remove it."
    ),
    "trip_starts_before_period": _(
        "Row %(row)s: this trip started before %(period_start)s, when the period starts. Check "
        "the From month."
    ),
    "trip_overlap": _(
        "Trips %(first)s and %(second)s overlap (%(start)s to %(end)s). Check the dates: two "
        "trips may only share the month one ends and the other starts."
    ),
}


@dataclass(frozen=True, kw_only=True)
class Problem:
    """One thing wrong with a table. ``code`` is stable; ``message`` is in the active language.

    ``rows`` holds the indexes (as given by the caller) of the rows to highlight, the row to fix
    first. ``params`` holds the values of the message; months stay ``Month`` objects and are
    named in the active language only when the message is read.
    """

    code: str
    severity: str = ERROR
    rows: tuple[int, ...] = ()
    params: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def message(self) -> str:
        values = {
            key: value.label() if isinstance(value, Month) else value
            for key, value in self.params.items()
        }
        return str(MESSAGES[self._message_key()]) % values

    def _message_key(self) -> str:
        return self.code

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True, kw_only=True)
class Gap(Problem):
    """Months no row accounts for: ``start`` to ``end``, both included.

    ``fix_row`` is the row to change (the row after the gap, or the last row when the history
    stops early); ``None`` means "add a row". ``previous_row`` is the row before the gap, if any.
    """

    start: Month
    end: Month
    previous_row: int | None = None
    fix_row: int | None = None

    @property
    def months(self) -> int:
        return self.end - self.start + 1

    def _message_key(self) -> str:
        if self.code != "history_empty" and self.start == self.end:
            return f"{self.code}_one"
        return self.code


@dataclass(frozen=True, kw_only=True)
class Overlap(Problem):
    """Two rows share months from ``start`` to ``end`` (both included)."""

    first_row: int
    second_row: int
    start: Month
    end: Month


@dataclass(frozen=True)
class HistoryRow:
    """One row of a history or address table.

    ``index`` identifies the row to the user (its row number as shown); ``end=None`` is "present".
    """

    index: int
    start: Month
    end: Month | None = None


@dataclass(frozen=True)
class TripRow:
    """One IMM 5562 trip; both months are required (forms.md §6)."""

    index: int
    start: Month
    end: Month


def _row_problems(rows: Iterable[HistoryRow | TripRow], current: Month) -> list[Problem]:
    problems: list[Problem] = []
    for row in rows:
        if row.start > current:
            problems.append(
                Problem(
                    code="row_start_in_future",
                    rows=(row.index,),
                    params={"row": row.index, "start": row.start},
                )
            )
        if row.end is not None and row.end < row.start:
            problems.append(
                Problem(
                    code="row_end_before_start",
                    rows=(row.index,),
                    params={"row": row.index, "start": row.start, "end": row.end},
                )
            )
        elif row.end is not None and row.end > current and row.start <= current:
            problems.append(
                Problem(
                    code="row_end_in_future",
                    rows=(row.index,),
                    params={"row": row.index, "end": row.end},
                )
            )
    return problems


def _sorted(rows: Iterable, current: Month) -> list:
    """By From, then by To ("present" last), then by index so the order never depends on input."""
    return sorted(rows, key=lambda r: (r.start, (r.end or current.add(1)).ordinal, r.index))


def check_history(
    rows: Sequence[HistoryRow],
    *,
    period_start: Month,
    current: Month,
    allow_overlap: bool = False,
    strict_join: bool = True,
) -> list[Problem]:
    """Every problem with a history or address table (forms.md §2.4).

    ``current`` is this month (the month of the reference date); ``period_start`` comes from
    ``period_start()``.

    - Each row: From ≤ To, neither in the future.
    - Coverage, checked once every row is valid on its own (so a typo in one row does not also
      show up as a gap): rows sorted by From; the first row starts in ``period_start`` or
      earlier; each From equals the To of the row before (``strict_join``; with
      ``strict_join=False`` a row may also start the month after); the last row ends in
      ``current`` or is "present". Each gap is a ``Gap`` with its first and last missing month
      and the row to fix; only months from ``period_start`` on count as missing.
    - Overlaps: two rows sharing more than the month one ends and the next starts are an
      ``Overlap`` (an error) unless ``allow_overlap`` is on (forms.md §2.4, uncertain setting).

    Problems come in this order: row problems, overlaps, then coverage from the oldest month.
    """
    problems = _row_problems(rows, current)
    if problems or period_start > current:
        return problems  # a period that starts after this month asks for nothing
    ordered = _sorted(rows, current)
    if not ordered:
        return [
            Gap(
                code="history_empty",
                start=period_start,
                end=current,
                params={"start": period_start},
            )
        ]
    if not allow_overlap:
        problems.extend(_overlaps(ordered, current, code="history_overlap", trips=False))
    problems.extend(
        _coverage(ordered, period_start=period_start, current=current, strict_join=strict_join)
    )
    return problems


def _gap(code: str, start: Month, end: Month, *, row, previous, params) -> Gap:
    return Gap(
        code=code,
        rows=(row.index,) if row is not None else (),
        start=start,
        end=end,
        previous_row=previous.index if previous is not None else None,
        fix_row=row.index if row is not None else None,
        params={"start": start, "end": end, **params},
    )


def _coverage(
    ordered: list[HistoryRow], *, period_start: Month, current: Month, strict_join: bool
) -> list[Problem]:
    problems: list[Problem] = []
    covered_until: Month | None = None  # the last month accounted for so far
    coverer: HistoryRow | None = None  # the last row (in order) that reaches covered_until
    for row in ordered:
        if coverer is not None and coverer.end is None:
            break  # "present" accounts for every later month
        if coverer is None:
            if row.start > period_start:
                problems.append(
                    _gap(
                        "history_starts_late",
                        period_start,
                        row.start.add(-1),
                        row=row,
                        previous=None,
                        params={"row": row.index, "expected": period_start},
                    )
                )
        elif row.start > covered_until.add(1):
            first_missing = max(covered_until.add(1), period_start)
            if first_missing < row.start:
                problems.append(
                    _gap(
                        "history_gap",
                        first_missing,
                        row.start.add(-1),
                        row=row,
                        previous=coverer,
                        params={
                            "row": row.index,
                            "previous": coverer.index,
                            "expected": coverer.end,
                        },
                    )
                )
        elif strict_join and row.start == covered_until.add(1):
            problems.append(
                Problem(
                    code="history_not_joined",
                    rows=(row.index, coverer.index),
                    params={
                        "row": row.index,
                        "start": row.start,
                        "previous": coverer.index,
                        "expected": coverer.end,
                    },
                )
            )
        row_end = current if row.end is None else row.end
        if coverer is None or row.end is None or row_end >= covered_until:
            covered_until, coverer = row_end, row
    if coverer.end is not None and covered_until < current:
        problems.append(
            _gap(
                "history_ends_early",
                max(covered_until.add(1), period_start),
                current,
                row=coverer,
                previous=coverer,
                params={"previous": coverer.index, "current": current},
            )
        )
    return problems


def _shares_only_an_edge(first, second, month: Month, *, trips: bool) -> bool:
    """Whether two rows that share exactly ``month`` are allowed to.

    History rows: the month the earlier row ends and the later one starts (the join).
    Trips: a month that is the first or last month of both trips (home on the 3rd, away again
    on the 20th); a month inside one of the trips means being on both at once.
    """
    if not trips:
        return first.end == month and second.start == month
    return month in (first.start, first.end) and month in (second.start, second.end)


def _overlaps(ordered: list, current: Month, *, code: str, trips: bool) -> list[Overlap]:
    found: list[Overlap] = []
    for i, first in enumerate(ordered):
        first_end = first.end or current
        for second in ordered[i + 1 :]:
            if second.start > first_end:
                break  # sorted by From: no later row can reach back into ``first``
            shared_end = min(first_end, second.end or current)
            if shared_end == second.start and _shares_only_an_edge(
                first, second, second.start, trips=trips
            ):
                continue
            found.append(
                Overlap(
                    code=code,
                    severity=WARNING if trips else ERROR,
                    rows=(first.index, second.index),
                    first_row=first.index,
                    second_row=second.index,
                    start=second.start,
                    end=shared_end,
                    params={
                        "first": first.index,
                        "second": second.index,
                        "start": second.start,
                        "end": shared_end,
                    },
                )
            )
    return found


def check_trips(
    trips: Sequence[TripRow],
    *,
    period_start: Month,
    current: Month,
    did_not_travel: bool,
) -> list[Problem]:
    """Every problem with an IMM 5562 trip table (forms.md §6). No gap rule.

    - "I did not travel" is an explicit answer: ticked with rows is an error; no rows and not
      ticked is an error (the section is unanswered).
    - Each trip: From ≤ To, neither in the future; a trip that ended before ``period_start`` is an
      error (remove it); one that started before it but ended inside is a warning.
    - Overlapping trips are warnings. Trips that share only a month that is the first or last
      month of both (home on the 3rd, away again on the 20th) do not overlap.
    """
    if did_not_travel:
        if trips:
            return [
                Problem(
                    code="trips_did_not_travel_with_rows",
                    rows=tuple(t.index for t in trips),
                )
            ]
        return []
    if not trips:
        return [Problem(code="trips_missing")]
    problems = _row_problems(trips, current)
    broken = {p.rows[0] for p in problems}
    valid = _sorted([t for t in trips if t.index not in broken], current)
    for trip in valid:
        if trip.end < period_start:
            problems.append(
                Problem(
                    code="trip_outside_period",
                    rows=(trip.index,),
                    params={"row": trip.index, "period_start": period_start},
                )
            )
        elif trip.start < period_start:
            problems.append(
                Problem(
                    code="trip_starts_before_period",
                    severity=WARNING,
                    rows=(trip.index,),
                    params={"row": trip.index, "period_start": period_start},
                )
            )
    problems.extend(_overlaps(valid, current, code="trip_overlap", trips=True))
    return problems
