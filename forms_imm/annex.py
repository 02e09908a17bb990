"""The continuation annex (forms.md §2.8): text beyond a field's limit is moved, never cut.

The stored answer is always the full text. In every output (printable view, submission package)
a field that is too long shows the text that fits, cut at a word boundary and ending with a short
reference to the annex ("… (see annex A3)"), both within the limit; the annex lists each
continuation by person, form, section, row and field label.

Character counts are Python string lengths (Unicode code points) of the text as stored; stored
text is NFC (canonical.py), which is also what the live counter counts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.utils.translation import gettext_lazy

# Longest first: ``fit`` uses the longest marker that leaves at least half the field for text.
MARKERS = (
    gettext_lazy("… (see annex %(reference)s)"),
    gettext_lazy("… (annex %(reference)s)"),
)
SHORT_MARKER = "… (%(reference)s)"  # language-neutral: the last resort before the bare reference

_LAST_SPACE = re.compile(r"\s+(?=\S*$)")


def annex_marker(limit: int, reference: str) -> str:
    """The marker that ends a cut field, in the active language.

    The longest that leaves at least half the field for text: "… (see annex A3)" in a wide
    field, "… (A3)" in a 14-character one; "" when even the bare reference does not fit.
    """
    for template in MARKERS:
        marker = str(template) % {"reference": reference}
        if len(marker) <= limit // 2:
            return marker
    for marker in (SHORT_MARKER % {"reference": reference}, reference):
        if len(marker) <= limit:
            return marker
    return ""


def _cut(text: str, budget: int) -> int:
    """Where to cut ``text`` so that at most ``budget`` characters stay: a word boundary if any.

    A single word longer than the whole budget (a long URL, say) is cut inside the word.
    """
    if budget <= 0:
        return 0
    if text[budget].isspace():
        return budget
    match = _LAST_SPACE.search(text, 0, budget)
    if match and text[: match.start()].strip():
        return match.start()
    return budget


def fit(text: str, limit: int | None, *, reference: str) -> tuple[str, str | None]:
    """Split ``text`` into what a field of ``limit`` characters shows and what goes to the annex.

    Returns ``(shown, overflow)``. ``overflow`` is ``None`` when the text fits (then ``shown`` is
    ``text`` unchanged) or when there is no limit (``limit`` of 0 or ``None``). Otherwise
    ``shown`` is the start of the text, cut at a word boundary, followed by an annex marker in
    the active language, ``len(shown) <= limit``; ``overflow`` is the rest of the text. Nothing is
    lost: the shown part (without its marker) followed by the overflow is the original text,
    except for the whitespace at the cut.
    """
    if not limit or len(text) <= limit:
        return text, None
    marker = annex_marker(limit, reference)
    cut = _cut(text, limit - len(marker))
    return text[:cut].rstrip() + marker, text[cut:].lstrip()


@dataclass(frozen=True, kw_only=True)
class AnnexEntry:
    """One field of an output that may need the annex.

    Callers fill the description and ``full_text`` (the stored answer) and ``limit``;
    ``build_annex`` fills ``reference``, ``shown`` and ``overflow``. ``key`` is the caller's own
    identifier for the field (for example ``"imm5669:<person>:history:3:activity"``), so the
    renderer can find the shown text of each cell.
    """

    person_label: str
    form: str
    section: str
    row: int | None
    field_label: str
    full_text: str
    limit: int | None = None
    key: str = ""
    reference: str = ""
    shown: str = ""
    overflow: str = ""


def build_annex(entries: Iterable[AnnexEntry]) -> list[AnnexEntry]:
    """The annex: every entry whose text is over its limit, numbered A1, A2, … in input order.

    Pass the fields in the order the output prints them, so the numbers follow the pages and do
    not change when an unrelated answer changes length elsewhere later in the output.
    Each returned entry carries its ``reference``, the ``shown`` text (with the marker, in the
    active language) and the ``overflow``.
    """
    annex: list[AnnexEntry] = []
    for entry in entries:
        if not entry.limit or len(entry.full_text) <= entry.limit:
            continue
        reference = f"A{len(annex) + 1}"  # the same in both languages: outputs cite it
        shown, overflow = fit(entry.full_text, entry.limit, reference=reference)
        annex.append(replace(entry, reference=reference, shown=shown, overflow=overflow or ""))
    return annex


def shown_text(text: str, limit: int | None, annex: Iterable[AnnexEntry], key: str) -> str:
    """What a cell shows: its annex entry's ``shown`` text when it has one, else the text."""
    for entry in annex:
        if entry.key == key:
            return entry.shown
    if limit and len(text) > limit:
        raise ValueError(f"{key!r} is over its limit but not in the annex")
    return text
