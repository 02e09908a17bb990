"""Field validators of the digital forms (forms.md §2)."""

import re
from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation

from forms_imm import validators as v

SPEC_PO_BOX = re.compile(r"\b(P\.?\s*O\.?\s*Box|Post Office Box|Case postale|C\.?P\.?)\b", re.I)


def code_of(call, *args, **kwargs):
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    return caught.value.code


@pytest.mark.parametrize(
    "street",
    [
        "PO Box 12",
        "P.O. Box 12",
        "p.o.box 7",
        "P. O. Box 3",
        "POBox 44",
        "Pobox Street",  # decided: reads as "PO Box"; no real street is named so
        "po box",
        "Post Office Box 55",
        "Case postale 45",
        "CASE POSTALE 9",
        "C.P. 123",
        "CP 123",
        "c.p.123",
        "GPO Box 100",
        "B.P. 1234",
        "BP 1234",
        "Boîte postale 17",
        "Apartado 33",
        "Apartado postal 8",
        "Apdo. 90",
        "Caixa Postal 1010",
        "Casilla 5",
        "Casilla de correo 77",
        "Postfach 10 12 34",
        "12 Main St, PO Box 5",
    ],
)
def test_po_boxes_are_refused_in_street_fields(street):
    assert code_of(v.no_po_box, street) == "po_box"


@pytest.mark.parametrize(
    "street",
    [
        "123 Main Street",
        "45 Boxwood Road",
        "7 Poplar Avenue",
        "1 Postal Lane",
        "12 Copper St",
        "CPR Station Road",
        "88 Rue Champlain",
        "10 Capstone Crescent",
        "3 BP Way",  # "BP" without a number is not a box
        "Apartment 4, 20 King St",
        "Casillas Avenue 3",
        "",
    ],
)
def test_ordinary_streets_pass(street):
    v.no_po_box(street)


def test_every_spec_match_is_still_refused():
    samples = ["PO Box 1", "P.O.Box", "Post Office Box", "Case postale", "C.P.", "CP", "cp 9"]
    for sample in samples:
        assert SPEC_PO_BOX.search(sample)
        assert code_of(v.no_po_box, sample) == "po_box"


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("k1a0b1", "K1A 0B1"),
        ("K1A 0B1", "K1A 0B1"),
        (" h2x-1y4 ", "H2X 1Y4"),
        ("v6b  3k9", "V6B 3K9"),
    ],
)
def test_canadian_postal_codes_are_normalised(typed, stored):
    assert v.normalize_postal_code(typed) == stored
    v.canadian_postal_code(typed)


@pytest.mark.parametrize(
    "typed", ["K1A0B", "12345", "D1A 0B1", "W1A 0B1", "K1O 0B1", "K1A 0B1 1", "", "KIA OBI"]
)
def test_bad_postal_codes_are_refused(typed):
    assert code_of(v.normalize_postal_code, typed) == "postal_code"


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("1234-5678", "12345678"),
        ("12345678", "12345678"),
        ("12-3456-7890", "1234567890"),
        (" 12 3456 7890 ", "1234567890"),
    ],
)
def test_uci_is_stored_as_digits(typed, stored):
    assert v.normalize_uci(typed) == stored
    v.uci(typed)


@pytest.mark.parametrize(
    "typed", ["1234567", "123456789", "12345678901", "1234-567a", "", "١٢٣٤٥٦٧٨"]
)
def test_bad_uci_is_refused(typed):
    assert code_of(v.normalize_uci, typed) == "uci"


@time_machine.travel("2025-06-10 12:00:00-04:00", tick=False)
def test_dates_not_in_the_future():
    v.not_in_future(date(2025, 6, 10))
    v.not_in_future(None)
    assert code_of(v.not_in_future, date(2025, 6, 11)) == "future_date"


def test_date_order():
    v.date_order(start=date(2020, 1, 1), end=date(2020, 1, 1))
    v.date_order(start=None, end=date(2020, 1, 1))
    assert code_of(v.date_order, start=date(2020, 1, 2), end=date(2020, 1, 1)) == "date_order"
    assert (
        code_of(v.date_order, start=date(2020, 1, 1), end=date(2020, 1, 1), strict=True)
        == "date_order"
    )


@time_machine.travel("2025-06-10 12:00:00-04:00", tick=False)
def test_passport_dates():
    v.passport_dates(issue_date=date(2020, 1, 1), expiry_date=date(2030, 1, 1))
    v.passport_dates(
        issue_date=date(2010, 1, 1), expiry_date=date(2020, 1, 1)
    )  # expired: warn only
    assert v.is_expired(date(2020, 1, 1)) and not v.is_expired(date(2025, 6, 10))
    assert (
        code_of(v.passport_dates, issue_date=date(2025, 7, 1), expiry_date=date(2035, 7, 1))
        == "issue_date_future"
    )
    assert (
        code_of(v.passport_dates, issue_date=date(2020, 1, 1), expiry_date=date(2020, 1, 1))
        == "expiry_before_issue"
    )


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("613-555-0123", "6135550123"),
        ("(613) 555 0123", "6135550123"),
        ("+1 613.555.0123", "6135550123"),
    ],
)
def test_canada_us_phone_numbers(typed, stored):
    assert v.normalize_phone(typed, north_american=True) == stored


def test_other_phone_numbers_and_bad_ones():
    assert v.normalize_phone("020 7946 0958", north_american=False) == "02079460958"
    v.phone_digits("12 34")
    assert code_of(v.normalize_phone, "555-0123", north_american=True) == "phone_north_american"
    assert code_of(v.normalize_phone, "123", north_american=False) == "phone_length"
    assert code_of(v.phone_digits, "613-CALL-NOW") == "phone_characters"
    assert code_of(v.phone_digits, "") == "phone_characters"


@pytest.mark.parametrize(
    "name", ["Tremblay", "Côté-Lévesque", "O'Brien", "D’Arcy", "Zoë Anne", "Œuvre", "Jean-François"]
)
def test_latin_names(name):
    v.latin_name(name)


@pytest.mark.parametrize(
    "name", ["Müller2", "Ñúñez", "Łukasz", "李", "Smith.", "<b>", "   ", "Anna\u0000"]
)
def test_names_outside_english_and_french_letters(name):
    assert code_of(v.latin_name, name) == "latin_name"


def test_a_decomposed_accent_is_a_french_letter():
    v.latin_name("Ce\u0301line")  # "Céline" typed with a combining acute accent


@pytest.mark.parametrize(
    "name",
    [
        "李小龍",
        "Ñúñez",
        "Łukasz",
        "محمد",
        "देवनागरी",
        "Иван-Петров",
        "Леся Українка",
        "マイケル・ジャクソン",
        "O'Brien",
    ],
)
def test_native_script_names(name):
    v.native_script_name(name)


@pytest.mark.parametrize("name", ["Anna1", "😀", "<script>", "a\u202eb", "   "])
def test_native_script_names_refuse_digits_symbols_and_controls(name):
    assert code_of(v.native_script_name, name) == "native_script_name"


def test_application_numbers():
    assert v.normalize_application_number(" e001234567 ") == "E001234567"
    v.application_number("F123456789")
    for bad in ["E00123456", "E0012345678", "1001234567", "EE01234567", ""]:
        assert code_of(v.application_number, bad) == "application_number"


def test_messages_are_translated():
    with translation.override("fr"):
        with pytest.raises(ValidationError) as caught:
            v.no_po_box("PO Box 1")
        assert "case postale" in caught.value.messages[0]
        with pytest.raises(ValidationError) as caught:
            v.normalize_postal_code("nope")
        assert "code postal" in caught.value.messages[0]
