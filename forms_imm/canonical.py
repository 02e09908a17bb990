"""Canonical JSON: the one serialisation that signing, invalidation and manifests hash.

QUALITY.md §5, after RFC 8785: keys sorted; no insignificant whitespace; UTF-8 without escapes;
strings in Unicode NFC; dates and times in ISO 8601; decimals as strings; floats refused (their
text is not stable); ``Month`` as ``"YYYY-MM"``; UUIDs as strings; lists kept in the order given
(callers order them by a stable ID). Anything else (sets, lazy translations, model instances)
is refused: a signed snapshot must hold values, never labels or objects.

Two small departures from RFC 8785, harmless for our data: keys are sorted by code point rather
than by UTF-16 unit (they differ only for keys mixing characters beyond U+FFFF with ones above
U+E000), and decimals keep their scale ("575.00" stays "575.00", since cents are meaningful).
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
import uuid
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from forms_imm.periods import Month


def _text(value: str) -> str:
    return unicodedata.normalize("NFC", str.__str__(value))


def _plain(value: Any) -> Any:
    """``value`` rebuilt from JSON's own types, with every rule above applied."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, float):
        raise TypeError("floats are not allowed in canonical JSON; use Decimal or int")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError("only finite decimals are allowed in canonical JSON")
        return format(value, "f")
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("datetimes in canonical JSON must be timezone-aware")
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Month):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        plain: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"canonical JSON keys must be strings, not {type(key).__name__}")
            normal = _text(key)
            if normal in plain:
                raise ValueError(f"two keys are the same once normalised: {normal!r}")
            plain[normal] = _plain(item)
        return plain
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    raise TypeError(f"{type(value).__name__} is not allowed in canonical JSON")


def canonical_json(value: Any) -> bytes:
    """The canonical UTF-8 bytes of ``value``. Raises ``TypeError`` or ``ValueError`` on values
    that have no canonical form (floats, sets, naive datetimes, lone surrogates...)."""
    text = json.dumps(
        _plain(value),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
    )
    return text.encode("utf-8")


def sha256_hex(value: Any) -> str:
    """SHA-256 of ``canonical_json(value)``, as 64 lowercase hex digits."""
    return hashlib.sha256(canonical_json(value)).hexdigest()
