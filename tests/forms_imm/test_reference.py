"""Coded choice lists (data/reference.json) and character limits (data/limits.json)."""

import json
from datetime import date

import pytest
from django import forms
from django.utils import translation

from forms_imm import limits, reference


def all_item_lists():
    data = json.loads(reference.DATA.read_text(encoding="utf-8"))["lists"]
    for name, body in data.items():
        if name == "city":
            for province, cities in body["by_province"].items():
                yield f"city:{province}", cities
        else:
            yield name, body["items"]


@pytest.mark.parametrize("name, items", list(all_item_lists()))
def test_every_list_has_unique_codes_and_both_labels(name, items):
    assert items, name
    codes = [item["code"] for item in items]
    assert len(codes) == len(set(codes)), name
    for item in items:
        assert isinstance(item["code"], str) and item["code"].strip() == item["code"] != ""
        assert item["en"].strip() and item["fr"].strip(), (name, item["code"])


def test_every_list_says_where_it_comes_from():
    data = json.loads(reference.DATA.read_text(encoding="utf-8"))["lists"]
    assert all(body["source_note"].strip() for body in data.values())


def test_choices_follow_the_active_language():
    provinces = reference.choices("province")
    with translation.override("en"):
        assert dict((c, str(label)) for c, label in provinces)["QC"] == "Quebec"
    with translation.override("fr"):
        assert dict((c, str(label)) for c, label in provinces)["QC"] == "Québec"
        assert reference.label("marital_status", "03") == "Union de fait"
    assert reference.label("marital_status", "03", language="en") == "Common-law"
    assert reference.choices("sex", language="fr")[0] == ("F", "Féminin")


def test_choices_plug_into_a_django_form_field():
    class Form(forms.Form):
        eye_colour = forms.ChoiceField(choices=reference.choices("eye_colour"))

    with translation.override("fr"):
        html = str(Form()["eye_colour"])
        assert "Noisette" in html and 'value="05"' in html
        assert Form({"eye_colour": "05"}).is_valid()
        assert not Form({"eye_colour": "Hazel"}).is_valid()
    with translation.override("en"):
        assert "Hazel" in str(Form()["eye_colour"])


def test_provinces_and_their_ircc_codes():
    expected = {
        "NL": "01", "PE": "02", "NS": "03", "NB": "04", "QC": "05", "ON": "06", "MB": "07",
        "SK": "08", "AB": "09", "NT": "10", "BC": "11", "YT": "12", "NU": "64",
    }  # fmt: skip
    assert {i["code"]: i["ircc_code"] for i in reference.items("province")} == expected


def test_every_province_has_a_city_list_with_its_capital():
    capitals = {
        "NL": "St. John's", "PE": "Charlottetown", "NS": "Halifax", "NB": "Fredericton",
        "QC": "Quebec City", "ON": "Toronto", "MB": "Winnipeg", "SK": "Regina", "AB": "Edmonton",
        "NT": "Yellowknife", "BC": "Victoria", "YT": "Whitehorse", "NU": "Iqaluit",
    }  # fmt: skip
    data = json.loads(reference.DATA.read_text(encoding="utf-8"))["lists"]["city"]["by_province"]
    assert set(data) == reference.codes("province")
    for province, capital in capitals.items():
        cities = data[province]
        assert 14 <= len(cities) <= 40, province
        assert [c["en"] for c in cities if c.get("capital")] == [capital]
    with translation.override("fr"):
        assert ("quebec_city", "Québec") in [(c, str(label)) for c, label in reference.cities("QC")]
        assert dict(reference.cities("ON"))["greater_sudbury"] == "Grand Sudbury"
    with pytest.raises(KeyError):
        reference.cities("XX")


def test_language_lists():
    interview = reference.codes("interview_language")
    native = reference.codes("native_language")
    assert {"001", "002", "499", "601"} <= interview
    assert interview - native == {"601"}  # "Interpreter not required" is not a mother tongue
    assert 80 <= len(native) <= 120
    local = [i for i in reference.items("language") if i.get("local_code")]
    assert local and all(700 < int(i["code"]) < 800 for i in local)
    assert reference.label("language", "601", "fr") == "Interprète non requis"
    assert all(len(code) == 3 and code.isdigit() for code in interview)


def test_marital_status_in_both_orders():
    imm0008 = [c for c, _ in reference.choices("marital_status")]
    imm5406 = [c for c, _ in reference.choices("marital_status_imm5406")]
    assert imm0008 == ["09", "03", "04", "01", "05", "02", "00", "06"]
    assert imm5406 == ["09", "03", "04", "05", "01", "02", "00", "06"]


def test_background_questions_have_stable_keys_and_map_the_old_letters():
    questions = reference.items("background_question")
    assert [q["letter"] for q in questions] == list("abcdefghijk")
    old = sorted(letter for q in questions for letter in q["old_letters"])
    assert old == list("abcdefghijkl")  # every letter of the twelve-question edition, once
    keys = {q["letter"]: q["code"] for q in questions}
    assert keys["a"] == "criminal_canada" and keys["j"] == "detention"
    assert next(q for q in questions if q["code"] == "refugee_claim")["old_letters"] == ["c", "d"]
    with translation.override("fr"):
        assert str(reference.background_stem()).startswith("Vous-même")
        assert "génocide" in reference.label("background_question", "war_crimes")


def test_small_lists_hold_the_documented_codes():
    assert reference.codes("urgent_reason") == {"83", "84", "85", "86", "87", "88"}
    assert reference.codes("relationship_to_pa") == {
        "87",
        "02",
        "01",
        "04",
        "10",
        "03",
        "100",
        "05",
        "37",
    }
    assert reference.codes("telephone_type") == {"01", "02", "03"}
    assert reference.codes("dependant_type") == {"01", "02", "03"}
    assert reference.codes("communicate_in") == {"01", "02", "03", "04"}
    assert reference.codes("correspondence_language") == {"01", "02"}
    assert reference.codes("education_level") == {f"0{i}" for i in range(9)}
    assert reference.codes("imm5444_situation") == {"renew", "replace", "first"}
    assert len(reference.codes("imm5444_history_question")) == 4


def test_unknown_names_and_codes_raise():
    with pytest.raises(KeyError):
        reference.choices("no_such_list")
    with pytest.raises(KeyError):
        reference.label("province", "ZZ")
    with pytest.raises(KeyError):
        reference.items("city")
    assert "city" not in reference.list_names() and "native_language" in reference.list_names()
    for name in reference.list_names():
        assert reference.choices(name)


# --- limits ------------------------------------------------------------------------------------


def test_limits_of_the_table():
    assert limits.limit_for("imm5669", "history.activity") == 21
    assert limits.limit_for("imm5669", "history.status") == 14
    assert limits.limit_for("imm5669", "background.details") == 679
    assert limits.limit_for("imm0008", "personal.family_name") == 100
    assert limits.limit_for("imm5406", "member.address") == 80
    assert limits.limit_for("imm5562", "trip.length_of_stay") == 16
    assert limits.limit_for("imm5562", "trip.destination") is None  # count only
    assert limits.limit_for("imm5669", "no.such_field") is None


def test_alternatives_are_kept_but_the_first_value_is_the_default():
    city = limits.get_limit("imm5669", "history.city_country")
    assert (city.max_length, city.alternative) == (30, 62)
    military = limits.get_limit("imm5669", "military.end_reason")
    assert (military.max_length, military.alternative) == (30, 200)
    assert limits.get_limit("imm5669", "military.rank").alternative is None
    postal = limits.get_limit("imm0008", "contact.mailing_postal_code")
    assert (postal.max_length, postal.alternative, postal.kind) == (10, 7, "code")
    assert not postal.annex_allowed
    assert limits.get_limit("imm5669", "history.activity").annex_allowed


def test_every_limit_row_is_complete():
    rows = limits.all_limits().values()
    assert len(rows) >= 80
    forms_seen = {row.form for row in rows}
    assert forms_seen == {"imm0008", "imm5669", "imm5406", "imm5562"}
    for row in rows:
        assert row.kind in limits.KINDS
        assert row.max_length is None or row.max_length > 0
        assert row.effective_from == date(2023, 1, 1)
        assert "forms.md §2.8" in row.source_note
        assert row.alternative is None or row.alternative != row.max_length
    tightest = min(r.max_length for r in rows if r.kind == "text" and r.max_length)
    assert tightest == 14
