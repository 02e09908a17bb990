"""Posts and stored answers for the IMM 5669 tests (dates relative to TODAY, 2026-11-25)."""

from datetime import date

from django.urls import reverse

from forms_imm.models import FormSection

TODAY = date(2026, 11, 25)
BORN = date(1985, 4, 23)  # over 28: the period is the past 10 years, from 2016-11


def section_url(application, person, slug, form="imm5669"):
    return reverse(
        "forms_imm:section_edit",
        kwargs={
            "public_id": application.public_id,
            "person_id": person.public_id,
            "form": form,
            "section": slug,
        },
    )


def print_url(application, person, form="imm5669"):
    return reverse(
        "forms_imm:print",
        kwargs={"public_id": application.public_id, "person_id": person.public_id, "form": form},
    )


def table_post(name: str, rows: list[dict]) -> dict:
    post = {
        f"{name}-TOTAL_FORMS": str(len(rows)),
        f"{name}-INITIAL_FORMS": "0",
        f"{name}-MIN_NUM_FORMS": "0",
        f"{name}-MAX_NUM_FORMS": "250",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            if value is True:
                post[f"{name}-{index}-{key}"] = "on"
            elif value not in (False, None):
                post[f"{name}-{index}-{key}"] = str(value)
    return post


def history_row(start, end="", *, present=False, activity="Software developer", **extra):
    return {
        "start": start,
        "end": end,
        "present": present,
        "activity": activity,
        "city_country": "Ottawa, Canada",
        "status": "Citizen",
        "employer": "Maple Software",
        **extra,
    }


def full_history(*, gap=False) -> list[dict]:
    """Covers 2016-11 to the present; with ``gap`` the months 2019-03 and 2019-04 are missing."""
    return [
        history_row("2016-01", "2019-02", activity="Student", employer="Carleton University"),
        history_row("2019-05" if gap else "2019-02", "2022-06"),
        history_row("2022-06", present=True, activity="Senior developer"),
    ]


def address_row(start, end="", *, present=False, **extra):
    return {
        "start": start,
        "end": end,
        "present": present,
        "street": "123 Main Street",
        "city": "Ottawa",
        "province": "ON",
        "postal_code": "K1A 0B1",
        "country": "Canada",
        **extra,
    }


def background_post(**answers) -> dict:
    from forms_imm.imm5669 import QUESTION_CODES

    post = {code: "False" for code in QUESTION_CODES}
    post.update({code: "True" if value else "False" for code, value in answers.items()})
    return post


def personal_post(**overrides) -> dict:
    post = {
        "father_family_name": "Tremblay",
        "father_given_names": "Jean",
        "father_date_of_birth": "1950-02-03",
        "father_birth_city": "Québec",
        "father_birth_country": "Canada",
        "mother_family_name": "Roy",
        "mother_given_names": "Anne",
        "mother_date_of_birth": "1952-06-07",
        "mother_birth_city": "Lyon",
        "mother_birth_country": "France",
    }
    post.update(overrides)
    return post


def complete_posts() -> dict[str, dict]:
    """A post per section that passes the strict check."""
    return {
        "personal": personal_post(),
        "background": background_post(),
        "education": {
            "years_elementary": "6",
            "years_secondary": "5",
            "years_university": "4",
            "years_trade": "0",
            **table_post(
                "schools",
                [
                    {
                        "start": "2012-09",
                        "end": "2016-05",
                        "institution": "Carleton University",
                        "city_country": "Ottawa, Canada",
                        "certificate": "BSc",
                        "field_of_study": "Computing",
                    }
                ],
            ),
        },
        "history": table_post("history", full_history()),
        "membership": {"no_rows": "on", **table_post("memberships", [])},
        "government": {"no_rows": "on", **table_post("positions", [])},
        "military": {"no_rows": "on", **table_post("services", [])},
        "addresses": table_post("addresses", [address_row("2010-01", present=True)]),
    }


def stored(person, slug, form="imm5669"):
    return FormSection.objects.get(person=person, form=form, section=slug)
