"""A family for the IMM 5406, IMM 5562 and IMM 5444 tests (dates relative to TODAY, 2026-11-25)."""

from datetime import date

from applications.models import Person, Program
from tests import factories
from tests.forms_imm.helpers import BORN, TODAY, section_url, table_post

__all__ = ["BORN", "TODAY", "section_url", "table_post"]

SPOUSE_BORN = date(1987, 8, 9)
CHILD_BORN = date(2006, 3, 4)  # 20 on TODAY: an adult dependent child
MINOR_BORN = date(2015, 6, 1)


def family(application, *, program="start_up_visa", minor=False):
    """The PA (married), a spouse and an adult dependent child; ``program`` asks IMM 5562."""
    application.program = Program.objects.get(code=program)
    application.save(update_fields=["program"])
    pa = application.principal_applicant
    Person.objects.filter(pk=pa.pk).update(
        date_of_birth=BORN, sex="M", marital_status="01", birth_country="FR"
    )
    pa.refresh_from_db()
    spouse = factories.make_person(
        application=application,
        relationship="10",
        family_name="Roy",
        given_names="Marie",
        sex="F",
        date_of_birth=SPOUSE_BORN,
        marital_status="01",
        birth_country="CA",
    )
    child = factories.make_person(
        application=application,
        relationship="02",
        family_name="Roy",
        given_names="Luc",
        sex="M",
        date_of_birth=CHILD_BORN,
        marital_status="02",
        birth_country="CA",
    )
    people = {"pa": pa, "spouse": spouse, "child": child}
    if minor:
        people["minor"] = factories.make_person(
            application=application,
            relationship="03",
            family_name="Roy",
            given_names="Zoé",
            sex="F",
            date_of_birth=MINOR_BORN,
            marital_status="02",
        )
    return people


def member(prefix="", **overrides):
    values = {
        "full_name": "Anne Roy",
        "date_of_birth": "1950-06-07",
        "country_of_birth": "France",
        "marital_status": "01",
        "email": "anne@example.com",
        "address": "1 rue Haute, Lyon, France",
    }
    values.update(overrides)
    return {f"{prefix}{key}": value for key, value in values.items()}


def family_post(**overrides):
    """Section A of a married PA whose spouse is on the application (name and DOB come from
    the spouse's profile)."""
    post = {
        "applicant_country_of_birth": "France",
        "applicant_marital_status": "01",
        "applicant_email": "pa@example.com",
        "applicant_address": "12 Elm Street, Ottawa, Canada",
        **member("spouse_", full_name="", date_of_birth="", country_of_birth="Canada"),
        **member("mother_"),
        **member("father_", full_name="Paul Tremblay", date_of_birth="1948-01-02"),
    }
    post.update(overrides)
    return {key: value for key, value in post.items() if value is not None}


def relative(relationship="Daughter", **overrides):
    return {"relationship": relationship, **member(**overrides)}


def trip(start, end, **overrides):
    return {
        "start": start,
        "end": end,
        "length_of_stay": "12 days",
        "destination": "Paris, France",
        "purpose": "Tourism",
        **overrides,
    }
