"""Answers of IMM 0008 that pass the strict check, section by section (dates relative to
helpers.TODAY, 2026-11-25), as a browser would post them."""

from tests.forms_imm.helpers import table_post


def application_post(**overrides) -> dict:
    return {
        "interview_language": "001",
        "interview_language_other": "",
        "interpreter_requested": "False",
        "intended_province": "ON",
        "intended_city": "ottawa",
        **overrides,
    }


def personal_post(previous=(), **overrides) -> dict:
    return {
        "other_name_used": "False",
        "eye_colour": "03",
        "height_cm": "172",
        "residence_country": "CA",
        "residence_status": "04",
        "residence_from": "2023-01-15",
        "residence_to": "2027-01-14",
        "last_entry_date": "2023-01-15",
        "last_entry_place": "Toronto Pearson Airport",
        "previous_residence": "True" if previous else "False",
        **table_post("previous_countries", list(previous)),
        **overrides,
    }


def marital_post(**overrides) -> dict:
    return {"marriage_date": "2015-06-20", "previously_partnered": "False", **overrides}


def contact_post(**overrides) -> dict:
    return {
        "mailing_street_number": "123",
        "mailing_street_name": "Main Street",
        "mailing_city": "Ottawa",
        "mailing_country": "CA",
        "mailing_province": "ON",
        "mailing_postal_code": "k1a0b1",
        "residential_same": "True",
        "phone_kind": "canada_us",
        "phone_type": "02",
        "phone_number": "613-555-0123",
        "use_account_email": "True",
        **overrides,
    }


def passport_post(**overrides) -> dict:
    return {
        "has_document": "True",
        "number": "AB123456",
        "country": "FR",
        "issue_date": "2020-03-01",
        "expiry_date": "2030-03-01",
        **overrides,
    }


def national_id_post(**overrides) -> dict:
    return {"has_document": "False", **overrides}


def education_post(**overrides) -> dict:
    return {
        "education_level": "05",
        "years_total": "16",
        "current_occupation": "Software developer",
        "intended_occupation": "Software developer",
        **overrides,
    }


def languages_post(**overrides) -> dict:
    return {
        "native_language": "002",
        "communicate_in": "04",
        "at_ease_in": "02",
        "language_test": "True",
        **overrides,
    }


def dependants_post(rows=(), **overrides) -> dict:
    return {
        "has_dependants": "True" if rows else "False",
        **table_post("dependants", list(rows)),
        **overrides,
    }


def complete_posts(dependants=()) -> dict[str, dict]:
    """For the PA: one post per section. ``dependants``: rows of the dependants block."""
    return {
        "application": application_post(),
        "personal": personal_post(),
        "marital": marital_post(),
        "contact": contact_post(),
        "passport": passport_post(),
        "national-id": national_id_post(),
        "education": education_post(),
        "languages": languages_post(),
        "dependants": dependants_post(dependants),
    }
