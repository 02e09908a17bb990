"""The continuation annex (forms.md §2.8): over-long text is moved, never cut or hidden."""

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from forms_imm.annex import AnnexEntry, annex_marker, build_annex, fit, shown_text

ACTIVITY = "Senior software developer at a large bank"


def split(shown, limit, reference):
    """(head, marker) of a shown value."""
    marker = annex_marker(limit, reference)
    assert shown.endswith(marker)
    return shown[: len(shown) - len(marker)], marker


def test_text_within_the_limit_is_unchanged():
    assert fit("Student", 21, reference="A1") == ("Student", None)
    assert fit("x" * 21, 21, reference="A1") == ("x" * 21, None)


@pytest.mark.parametrize("limit", [None, 0])
def test_no_limit_means_no_cut(limit):
    assert fit(ACTIVITY * 20, limit, reference="A1") == (ACTIVITY * 20, None)


def test_long_text_is_cut_at_a_word_boundary_with_a_reference_to_the_annex():
    with translation.override("en"):
        shown, overflow = fit(ACTIVITY, 30, reference="A3")
    assert shown == "Senior software… (annex A3)"
    assert overflow == "developer at a large bank"
    assert len(shown) <= 30


def test_wide_fields_use_the_long_marker_in_the_active_language():
    text = "word " * 200
    with translation.override("en"):
        shown, _ = fit(text, 679, reference="A12")
        assert shown.endswith("word… (see annex A12)")
    with translation.override("fr"):
        shown, overflow = fit(text, 679, reference="A12")
        assert shown.endswith("word… (voir l’annexe A12)")
    assert len(shown) <= 679
    assert shown.count("word") + overflow.count("word") == 200


def test_narrow_fields_use_the_short_marker():
    with translation.override("fr"):
        shown, overflow = fit("Étudiant à temps plein", 14, reference="A2")
    assert (shown, overflow) == ("Étudiant… (A2)", "à temps plein")


def test_a_single_word_longer_than_the_field_is_cut_inside_the_word():
    shown, overflow = fit("Internationalisation", 14, reference="A1")
    assert (shown, overflow) == ("Internat… (A1)", "ionalisation")


def test_tiny_limits_still_respect_the_limit():
    assert fit("abcdef", 5, reference="A1") == ("abcA1", "def")
    assert fit("abcdef", 1, reference="A1") == ("a", "bcdef")


def test_build_annex_numbers_only_overflowing_fields_in_input_order():
    def entry(key, text, limit):
        return AnnexEntry(
            person_label="Principal applicant",
            form="IMM 5669",
            section="Personal history",
            row=1,
            field_label="Activity",
            full_text=text,
            limit=limit,
            key=key,
        )

    entries = [
        entry("a", ACTIVITY, 21),
        entry("b", "Student", 21),
        entry("c", "Unemployed and looking for work", 21),
        entry("d", "x" * 900, None),
    ]
    with translation.override("en"):
        annex = build_annex(entries)
    assert [(e.key, e.reference) for e in annex] == [("a", "A1"), ("c", "A2")]
    first = annex[0]
    assert first.full_text == ACTIVITY and len(first.shown) <= 21
    assert first.shown.endswith("… (A1)") and first.overflow
    assert shown_text("Student", 21, annex, "b") == "Student"
    assert shown_text(ACTIVITY, 21, annex, "a") == first.shown
    with pytest.raises(ValueError):
        shown_text(ACTIVITY, 21, [], "a")


def test_build_annex_is_stable():
    entries = [
        AnnexEntry(
            person_label="Spouse",
            form="IMM 5406",
            section="B",
            row=i,
            field_label="Address",
            full_text="12 Long Street, Some City " * 5,
            limit=80,
        )
        for i in range(3)
    ]
    assert build_annex(entries) == build_annex(entries)
    assert [e.reference for e in build_annex(entries)] == ["A1", "A2", "A3"]


words = st.text(
    alphabet=st.characters(categories=["L", "N", "P"], exclude_characters="…"),
    min_size=1,
    max_size=15,
)
texts = st.lists(words, max_size=40).flatmap(
    lambda ws: st.lists(
        st.sampled_from([" ", "  ", "\n", " \n "]), min_size=len(ws), max_size=len(ws)
    ).map(lambda seps: "".join(w + s for w, s in zip(ws, seps, strict=True)))
)


@given(
    st.one_of(texts, st.text(max_size=300)),
    st.integers(1, 200),
    st.integers(1, 120),
    st.sampled_from(["en", "fr"]),
)
def test_fit_never_exceeds_the_limit_and_loses_nothing(text, limit, number, language):
    reference = f"A{number}"
    with translation.override(language):
        shown, overflow = fit(text, limit, reference=reference)
        if len(text) <= limit:
            assert (shown, overflow) == (text, None)
            return
        assert len(shown) <= limit
        assert overflow is not None
        head, _ = split(shown, limit, reference)
    # The text is the head, the whitespace at the cut, then the overflow.
    assert text.startswith(head) and text.endswith(overflow)
    middle = text[len(head) : len(text) - len(overflow)]
    assert middle.strip() == ""
    # Every word of the original, in order, is in the head followed by the overflow...
    if middle:
        assert (head + " " + overflow).split() == text.split()
    else:
        # ...and a word is split only when the head holds a single word too long for the field.
        assert len(head.split()) <= 1


@given(texts, st.integers(20, 200))
def test_fit_cuts_between_words_when_it_can(text, limit):
    shown, overflow = fit(text, limit, reference="A1")
    if overflow is None:
        return
    head, _ = split(shown, limit, "A1")
    if head.strip() and len(head.split()) > 1:
        assert (head + " " + overflow).split() == text.split()
