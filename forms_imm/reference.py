"""Coded choice lists of the digital forms, with English and French labels (data/reference.json).

The portal stores codes and shows labels. ``choices()`` returns lists ready for a Django form
field's ``choices``; their labels follow the language active when they are rendered, like
``gettext_lazy``. Countries are not here: use ``django_countries.countries`` (forms.md §2.10).

Derived lists: ``native_language`` is ``language`` without the interview-only choice
"Interpreter not required"; ``interview_language`` is all of ``language``.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.functional import lazy
from django.utils.translation import get_language

DATA = Path(__file__).resolve().parent / "data" / "reference.json"
LANGUAGES = ("en", "fr")

# name -> (list in the data file, whether to keep the interview-only items)
_DERIVED = {
    "native_language": ("language", False),
    "interview_language": ("language", True),
}


@cache
def _data() -> dict[str, Any]:
    return json.loads(DATA.read_text(encoding="utf-8"))["lists"]


def _language(language: str | None) -> str:
    return "fr" if (language or get_language() or "en").startswith("fr") else "en"


def _pick(english: str, french: str) -> str:
    return french if _language(None) == "fr" else english


_lazy_pick = lazy(_pick, str)


def _label(item: dict[str, Any], language: str | None):
    if language is None:
        return _lazy_pick(item["en"], item["fr"])
    return item[_language(language)]


def list_names() -> list[str]:
    """Every name ``choices`` accepts (``city`` goes through ``cities``)."""
    return sorted([name for name in _data() if name != "city"] + list(_DERIVED))


def items(name: str) -> list[dict[str, Any]]:
    """The raw items of a list (code, en, fr and any extra keys such as ``ircc_code``)."""
    source, keep_interview_only = _DERIVED.get(name, (name, True))
    if source == "city":
        raise KeyError("use cities(province) for the city list")
    try:
        raw = _data()[source]["items"]
    except KeyError:
        raise KeyError(f"no choice list named {name!r}") from None
    return [item for item in raw if keep_interview_only or not item.get("interview_only")]


def choices(name: str, language: str | None = None) -> list[tuple[str, Any]]:
    """``[(code, label), ...]`` in the form's order.

    With ``language=None`` each label is lazy and resolves in the language active when it is
    shown; with ``"en"`` or ``"fr"`` the labels are plain strings in that language.
    """
    return [(item["code"], _label(item, language)) for item in items(name)]


def codes(name: str) -> set[str]:
    return {item["code"] for item in items(name)}


def label(name: str, code: str, language: str | None = None) -> str:
    """The label of one code, in ``language`` or the active one. Raises ``KeyError`` if unknown."""
    for item in items(name):
        if item["code"] == code:
            return str(_label(item, language))
    raise KeyError(f"{code!r} is not in {name!r}")


def item(name: str, code: str) -> dict[str, Any]:
    """One raw item, e.g. ``item("province", "QC")["ircc_code"] == "05"``."""
    for candidate in items(name):
        if candidate["code"] == code:
            return candidate
    raise KeyError(f"{code!r} is not in {name!r}")


def cities(province: str, language: str | None = None) -> list[tuple[str, Any]]:
    """The city choices of one province or territory (two-letter code such as ``"ON"``)."""
    try:
        raw = _data()["city"]["by_province"][province]
    except KeyError:
        raise KeyError(f"no city list for province {province!r}") from None
    return [(city["code"], _label(city, language)) for city in raw]


def background_stem(language: str | None = None):
    """The sentence the IMM 5669 background questions complete."""
    return _label(_data()["background_question"]["stem"], language)
