"""Field validators of the digital forms (forms.md §2), each with a stable code and French.

Validators take one value and raise ``ValidationError`` (use them in ``validators=[...]`` or in
``clean_*``). Normalisers (``normalize_*``) validate and return the value to store; forms call them
from ``clean_*``. Cross-field helpers (``date_order``, ``passport_dates``) take keyword arguments
and raise one ``ValidationError`` that a form's ``clean()`` attaches to the right field.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# forms.md §2.7, plus the usual foreign forms of a post office box, since IMM 5669 addresses
# are worldwide: GPO Box (Australia), B.P. / Boîte postale (French-speaking Africa), Apartado,
# Caixa postal, Casilla, Postfach. "BP" counts only before a number, so "BP" alone (a brand, an
# initial) passes; the spec's "C.P." counts on its own.
PO_BOX_RE = re.compile(
    r"\b(?:"
    r"(?:G\.?\s*)?P\.?\s*O\.?\s*Box"
    r"|Post\s+Office\s+Box"
    r"|Case\s+postale"
    r"|C\.?P\.?"
    r"|Bo[iî]te\s+postale"
    r"|B\.?\s?P\.?\s*\d+"
    r"|Apartado(?:\s+postal)?"
    r"|Apdo\.?"
    r"|Caixa\s+postal"
    r"|Casilla(?:\s+de\s+correos?)?"
    r"|Postfach"
    r")\b",
    re.IGNORECASE,
)
# Canada Post never uses D, F, I, O, Q or U, nor W or Z as the first letter.
POSTAL_CODE_RE = re.compile(r"^([ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z])(\d[ABCEGHJ-NPRSTV-Z]\d)$")
APPLICATION_NUMBER_RE = re.compile(r"^[A-Z][0-9]{9}$")
_SEPARATORS_RE = re.compile(r"[\s\-]+")
_PHONE_CHARS_RE = re.compile(r"^\+?[\d\s\-().]+$")
# Letters of English and French: A-Z and the accented letters French uses.
_LATIN_LETTERS = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZàâäçéèêëîïôöùûüÿæœÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸÆŒ"
)
_NAME_PUNCTUATION = frozenset(" -'’")


def no_po_box(value: str) -> None:
    """Street fields where a post office box is not allowed (forms.md §2.7)."""
    if value and PO_BOX_RE.search(value):
        raise ValidationError(
            _("Enter a street address. A post office box is not accepted here."),
            code="po_box",
        )


def normalize_postal_code(value: str) -> str:
    """A Canadian postal code as stored: ``"k1a0b1"`` becomes ``"K1A 0B1"``."""
    compact = _SEPARATORS_RE.sub("", value or "").upper()
    match = POSTAL_CODE_RE.match(compact)
    if not match:
        raise ValidationError(
            _("Enter a Canadian postal code such as K1A 0B1."),
            code="postal_code",
        )
    return f"{match.group(1)} {match.group(2)}"


def canadian_postal_code(value: str) -> None:
    normalize_postal_code(value)


def normalize_uci(value: str) -> str:
    """A client identifier (UCI) as stored: digits only, 8 or 10 of them.

    Typed as ``0000-0000`` or ``00-0000-0000``, with or without dashes or spaces.
    """
    digits = _SEPARATORS_RE.sub("", value or "")
    if not digits.isascii() or not digits.isdigit() or len(digits) not in (8, 10):
        raise ValidationError(
            _("Enter the UCI: 8 digits (0000-0000) or 10 digits (00-0000-0000)."),
            code="uci",
        )
    return digits


def uci(value: str) -> None:
    normalize_uci(value)


def not_in_future(value: date | None) -> None:
    """Dates that cannot be later than today (forms.md §2.2; not expiry dates)."""
    if value is not None and value > timezone.localdate():
        raise ValidationError(_("This date cannot be in the future."), code="future_date")


def date_order(*, start: date | None, end: date | None, strict: bool = False) -> None:
    """``start`` on or before ``end`` (strictly before with ``strict``); blanks are not checked."""
    if start is None or end is None:
        return
    if end < start or (strict and end == start):
        raise ValidationError(
            _("The end date must be after the start date.")
            if strict
            else _("The end date cannot be before the start date."),
            code="date_order",
        )


def passport_dates(*, issue_date: date | None, expiry_date: date | None) -> None:
    """Issue date not in the future; expiry date after the issue date (forms.md §3.6, §3.7).

    An expiry date in the past is allowed (the form warns: see ``is_expired``).
    """
    if issue_date is not None and issue_date > timezone.localdate():
        raise ValidationError(
            _("The issue date cannot be in the future."), code="issue_date_future"
        )
    if issue_date is not None and expiry_date is not None and expiry_date <= issue_date:
        raise ValidationError(
            _("The expiry date must be after the issue date."), code="expiry_before_issue"
        )


def is_expired(expiry_date: date | None) -> bool:
    """For the warning on an expired passport or identity document."""
    return expiry_date is not None and expiry_date < timezone.localdate()


def normalize_phone(value: str, *, north_american: bool) -> str:
    """A telephone number as stored: digits only.

    Canada/US: 10 digits, typed as ``xxx-xxx-xxxx`` or similar (a leading 1 is dropped).
    Other countries: the number without its country code, 4 to 15 digits.
    """
    text = (value or "").strip()
    if not text or not _PHONE_CHARS_RE.match(text):
        raise ValidationError(
            _("Enter the telephone number with digits only (spaces and dashes are fine)."),
            code="phone_characters",
        )
    digits = re.sub(r"\D", "", text)
    if north_american:
        if len(digits) == 11 and digits.startswith("1"):
            digits = digits[1:]
        if len(digits) != 10:
            raise ValidationError(
                _("Enter a 10-digit Canada or US number, such as 613-555-0123."),
                code="phone_north_american",
            )
    elif not 4 <= len(digits) <= 15:
        raise ValidationError(_("Enter a telephone number of 4 to 15 digits."), code="phone_length")
    return digits


def phone_digits(value: str) -> None:
    """A telephone number of another country: digits, spaces, dashes, dots, brackets."""
    normalize_phone(value, north_american=False)


def _name_characters_ok(value: str, allowed) -> bool:
    text = unicodedata.normalize("NFC", value)
    return bool(text.strip()) and all(allowed(char) for char in text)


def latin_name(value: str) -> None:
    """A name in English or French letters, with spaces, hyphens and apostrophes (§2.1)."""
    if value and not _name_characters_ok(
        value, lambda c: c in _LATIN_LETTERS or c in _NAME_PUNCTUATION
    ):
        raise ValidationError(
            _(
                "Use only English or French letters, spaces, hyphens and apostrophes, as in "
                "the passport."
            ),
            code="latin_name",
        )


def native_script_name(value: str) -> None:
    """A name in any writing system: letters and their marks, spaces, hyphens, apostrophes, dots.

    Marks (Unicode category M) are needed by most scripts (Devanagari vowel signs, Arabic
    harakat); the dots are the name separators some scripts use (·, ・).
    """
    if value and not _name_characters_ok(
        value,
        lambda c: unicodedata.category(c)[0] in "LM" or c in _NAME_PUNCTUATION or c in "·・.",
    ):
        raise ValidationError(
            _("Use only letters (in any alphabet), spaces, hyphens and apostrophes."),
            code="native_script_name",
        )


def normalize_application_number(value: str) -> str:
    """An IRCC application number: a letter and nine digits, such as E001234567."""
    text = (value or "").strip().upper()
    if not APPLICATION_NUMBER_RE.match(text):
        raise ValidationError(
            _("Enter the application number: a letter followed by 9 digits, such as E001234567."),
            code="application_number",
        )
    return text


def application_number(value: str) -> None:
    normalize_application_number(value)
