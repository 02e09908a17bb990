"""Helpers for the printable views: cells that fit their box, and the continuation annex.

A print context builder registers every limited text cell in the order the page prints them
(``cells.text(...)``), then calls ``cells.build()``; each cell then renders as the text that
fits its box, ending with "… (see annex A3)" when it had to be cut (forms.md §2.8), and
``cells.annex`` lists the continuations for the annex pages at the end.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from . import annex as annex_module
from .limits import TEXT

# The literals IRCC's own portal expects in empty parts (forms.md §2.6). They are IRCC's
# values, not labels, so they are not translated.
NONE_LITERAL = "none"
NOT_APPLICABLE = "N/A"


class Cell:
    """A printed value; ``str(cell)`` is what fits (after ``Cells.build()``)."""

    def __init__(self, cells: Cells, key: str, text: str):
        self._cells = cells
        self.key = key
        self.full_text = text

    def __str__(self) -> str:
        return self._cells.shown.get(self.key, self.full_text)

    def __bool__(self) -> bool:
        return bool(self.full_text)

    @property
    def continues(self) -> bool:
        return self.key in self._cells.shown


class Cells:
    def __init__(self, *, person_label: str, form_label: str):
        self.person_label = person_label
        self.form_label = form_label
        self.entries: list[annex_module.AnnexEntry] = []
        self.shown: dict[str, str] = {}
        self.annex: list[annex_module.AnnexEntry] = []

    def text(self, form_class, name, value, *, section, row=None, key="") -> Cell:
        """Register the text of field ``name`` of ``form_class`` (its limit comes from it)."""
        text = value if isinstance(value, str) else ("" if value is None else str(value))
        key = key or f"{section}:{row or 0}:{name}"
        limit = form_class.limit_of(name)
        if limit is not None and limit.kind == TEXT and limit.max_length:
            self.entries.append(
                annex_module.AnnexEntry(
                    person_label=self.person_label,
                    form=self.form_label,
                    section=str(section),
                    row=row,
                    field_label=str(form_class.base_fields[name].label),
                    full_text=text,
                    limit=limit.max_length,
                    key=key,
                )
            )
        return Cell(self, key, text)

    def build(self) -> None:
        self.annex = annex_module.build_annex(self.entries)
        self.shown = {entry.key: entry.shown for entry in self.annex}


def month_text(value: str) -> str:
    """Months print as the form writes them: YYYY-MM."""
    return value or ""


PRESENT = _("Present")
