"""Canonical JSON and its hash (QUALITY.md §5): one serialisation for signing and manifests."""

import copy
import json
import unicodedata
import uuid
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy
from hypothesis import given
from hypothesis import strategies as st

from forms_imm.canonical import canonical_json, sha256_hex
from forms_imm.periods import Month


def test_known_bytes():
    value = {
        "b": [3, 1, 2],
        "a": {"z": None, "y": True},
        "name": "Ce\u0301line",  # decomposed: stored as NFC
        "born": date(1990, 2, 28),
        "fee": Decimal("575.00"),
        "from": Month(2021, 3),
        "id": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "at": datetime(2025, 6, 10, 12, 0, tzinfo=timezone(timedelta(hours=-4))),
        "t": time(9, 30),
        "é": "ü",
    }
    expected = (
        '{"a":{"y":true,"z":null},"at":"2025-06-10T16:00:00+00:00","b":[3,1,2],'
        '"born":"1990-02-28","fee":"575.00","from":"2021-03",'
        '"id":"12345678-1234-5678-1234-567812345678","name":"Céline","t":"09:30:00","é":"ü"}'
    )
    assert canonical_json(value) == expected.encode("utf-8")
    assert sha256_hex(value) == __import__("hashlib").sha256(expected.encode()).hexdigest()
    assert len(sha256_hex(value)) == 64


def test_lists_keep_their_order_and_tuples_are_lists():
    assert canonical_json([2, 1]) != canonical_json([1, 2])
    assert canonical_json((1, 2)) == canonical_json([1, 2]) == b"[1,2]"


def test_choice_values_are_plain_strings():
    from django.db import models

    class Colour(models.TextChoices):
        HAZEL = "05", "Hazel"

    assert canonical_json({"eye": Colour.HAZEL}) == b'{"eye":"05"}'


@pytest.mark.parametrize(
    "bad",
    [
        1.5,
        {"x": 0.1},
        {1: "a"},
        {"a", "b"},
        gettext_lazy("Hazel"),
        datetime(2025, 1, 1, 12, 0),  # naive
        Decimal("NaN"),
        object(),
        b"bytes",
    ],
)
def test_values_without_a_canonical_form_are_refused(bad):
    with pytest.raises((TypeError, ValueError)):
        canonical_json(bad)


def test_keys_equal_after_normalisation_are_refused():
    with pytest.raises(ValueError):
        canonical_json({"é": 1, "e\u0301": 2})


def test_a_lone_surrogate_is_refused():
    with pytest.raises(ValueError):
        canonical_json({"x": "\ud800"})


def test_decimals_keep_their_scale_without_exponents():
    assert canonical_json(Decimal("1E+2")) == b'"100"'
    assert canonical_json(Decimal("0.10")) == b'"0.10"'


# --- Hypothesis --------------------------------------------------------------------------------

text = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=12)
leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    text,
    st.dates(),
    st.decimals(allow_nan=False, allow_infinity=False, places=2),
    st.builds(Month, st.integers(1, 9999), st.integers(1, 12)),
    st.uuids(),
)
keys = st.text(alphabet="abcdefghijéèü_", min_size=1, max_size=6).map(
    lambda k: unicodedata.normalize("NFC", k)
)
values = st.recursive(
    leaves,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=4)
    ),
    max_leaves=20,
)


def reorder(value, random):
    """The same value with every dict rebuilt in another insertion order."""
    if isinstance(value, dict):
        items = list(value.items())
        random.shuffle(items)
        return {k: reorder(v, random) for k, v in items}
    if isinstance(value, list):
        return [reorder(v, random) for v in value]
    return value


def renormalise(value, form):
    if isinstance(value, dict):
        return {unicodedata.normalize(form, k): renormalise(v, form) for k, v in value.items()}
    if isinstance(value, list):
        return [renormalise(v, form) for v in value]
    if isinstance(value, str):
        return unicodedata.normalize(form, value)
    return value


@given(values, st.randoms(), st.sampled_from(["NFC", "NFD"]))
def test_equal_values_give_equal_bytes(value, random, form):
    expected = canonical_json(value)
    assert canonical_json(reorder(value, random)) == expected
    assert canonical_json(renormalise(value, form)) == expected
    assert canonical_json(copy.deepcopy(value)) == expected
    parsed = json.loads(expected)  # valid JSON, compact, UTF-8
    assert (
        json.dumps(parsed, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
        == expected
    )


def leaf_paths(value, path=()):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from leaf_paths(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from leaf_paths(v, (*path, i))
    else:
        yield path


def changed(leaf):
    """A different leaf of the same kind whose canonical text differs."""
    if leaf is None:
        return False
    if isinstance(leaf, bool):
        return not leaf
    if isinstance(leaf, int):
        return leaf + 1
    if isinstance(leaf, str):
        return leaf + "x"
    if isinstance(leaf, Decimal):
        return leaf + Decimal("0.01")
    if isinstance(leaf, date):
        return leaf + timedelta(days=1) if leaf < date.max else leaf - timedelta(days=1)
    if isinstance(leaf, Month):
        return leaf.add(1) if leaf < Month(9999, 12) else leaf.add(-1)
    if isinstance(leaf, uuid.UUID):
        return uuid.UUID(int=(leaf.int + 1) % 2**128)
    raise AssertionError(leaf)


def replaced(value, path, new):
    if not path:
        return new
    copied = copy.copy(value)
    copied[path[0]] = replaced(value[path[0]], path[1:], new)
    return copied


@given(values, st.data())
def test_any_change_to_any_leaf_changes_the_hash(value, data):
    paths = list(leaf_paths(value))
    path = data.draw(st.sampled_from(paths)) if paths else ()
    leaf = value
    for step in path:
        leaf = leaf[step]
    if isinstance(leaf, dict | list):  # an empty container: add something to it
        new = {**leaf, "new": 1} if isinstance(leaf, dict) else [*leaf, 1]
    else:
        new = changed(leaf)
    assert sha256_hex(replaced(value, path, new)) != sha256_hex(value)


def test_aware_datetimes_in_any_zone_hash_the_same():
    moment = datetime(2025, 6, 10, 16, 0, tzinfo=UTC)
    toronto = moment.astimezone(timezone(timedelta(hours=-4)))
    assert sha256_hex({"at": moment}) == sha256_hex({"at": toronto})
