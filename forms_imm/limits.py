"""Per-field character limits, kept as data (forms_imm/data/limits.json, forms.md §2.8).

A limit is shown as a live counter and never refuses a save: text beyond it goes to the
continuation annex (annex.py). A later step moves this data into a staff-editable table; until
then the JSON file is the only source, read once per process.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "limits.json"

TEXT = "text"  # free text: over the limit, the rest goes to the annex
CODE = "code"  # document numbers, postal codes, phone parts: format-checked, never annexed
DIGITS = "digits"  # numbers: ``max_length`` is the number of digits
KINDS = (TEXT, CODE, DIGITS)


@dataclass(frozen=True)
class Limit:
    form: str  # "imm0008", "imm5669", "imm5406", "imm5562"
    field: str  # "<section>.<field>", e.g. "history.activity"
    kind: str
    max_length: int | None  # None: no known limit, show a plain character count
    alternative: int | None  # the other reported value (uncertain); staff may switch to it
    effective_from: date
    source_note: str

    @property
    def annex_allowed(self) -> bool:
        return self.kind == TEXT


@cache
def all_limits() -> dict[tuple[str, str], Limit]:
    """Every limit by ``(form, field)``. Raises on a malformed or duplicated row."""
    rows = json.loads(DATA.read_text(encoding="utf-8"))["limits"]
    limits: dict[tuple[str, str], Limit] = {}
    for row in rows:
        limit = Limit(
            form=row["form"],
            field=row["field"],
            kind=row["kind"],
            max_length=row["max_length"],
            alternative=row["alternative"],
            effective_from=date.fromisoformat(row["effective_from"]),
            source_note=row["source_note"],
        )
        if limit.kind not in KINDS:
            raise ValueError(f"{limit.form}/{limit.field}: unknown kind {limit.kind!r}")
        if (limit.form, limit.field) in limits:
            raise ValueError(f"{limit.form}/{limit.field}: listed twice")
        limits[(limit.form, limit.field)] = limit
    return limits


def get_limit(form: str, field: str) -> Limit | None:
    """The whole limit record, or ``None`` for a field with no row."""
    return all_limits().get((form, field))


def limit_for(form: str, field: str) -> int | None:
    """The character limit of a field (the default value), or ``None`` when none is known."""
    limit = get_limit(form, field)
    return limit.max_length if limit is not None else None
