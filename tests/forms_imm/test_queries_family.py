"""Query budgets of the IMM 5406, IMM 5562 and IMM 5444 table pages: flat from 5 to 100 rows
(QUALITY.md §9: GET ≤ 6 and autosave ≤ 8 above the signed-in baseline)."""

import pytest
import time_machine

from applications.models import Program
from forms_imm.models import FormSection
from tests.forms_imm.family_helpers import TODAY, family, member, section_url, table_post, trip
from tests.forms_imm.test_queries import baseline, count

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


def children(n):
    return [
        {"id": f"{i:032x}", "relationship": "Son", **member(full_name=f"Son {i}")} for i in range(n)
    ]


def trips(n):
    return [
        {
            "id": f"{i:032x}",
            **trip(
                f"{2017 + i // 12 % 9}-{i % 12 + 1:02d}", f"{2017 + i // 12 % 9}-{i % 12 + 1:02d}"
            ),
        }
        for i in range(n)
    ]


def absences(n):
    return [
        {"id": f"{i:032x}", "start": f"2022-{i % 12 + 1:02d}-01",
         "end": f"2022-{i % 12 + 1:02d}-03", "present": False, "location": "Paris",
         "reason": "A", "explanation": ""}
        for i in range(n)
    ]  # fmt: skip


CASES = {
    "imm5406": ("children", "children", children, "pa"),
    "imm5562": ("applicant", "trips", trips, "pa"),
    "imm5444": ("residency", "absences", absences, "pa"),
}


def store(person, form, slug, table, rows):
    FormSection.objects.update_or_create(
        person=person,
        form=form,
        section=slug,
        defaults={
            "application": person.application,
            "data": {table: rows},
            "state": "in_progress",
            "version": 1,
        },
    )


@pytest.mark.parametrize("form", list(CASES))
def test_table_pages_are_flat_from_5_to_100_rows(rep_a, application_a, form):
    people = family(application_a)
    if form == "imm5444":
        application_a.program = Program.objects.get(code="pr_card")
        application_a.save(update_fields=["program"])
    slug, table, make, who = CASES[form]
    person = people[who]
    base = baseline(rep_a)
    url = section_url(application_a, person, slug, form=form)
    measured = {}
    for n in (5, 100):
        store(person, form, slug, table, make(n))
        queries, response = count(rep_a, "get", url)
        assert response.status_code == 200
        assert response.content.decode().count("data-row>") >= n + 1
        measured[n] = queries
    assert measured[5] == measured[100]
    assert measured[100] - base <= 6
    saves = {}
    # The first autosave of an editing session also writes the history row: warm up with 5.
    for n, version in ((5, 1), (5, 1), (100, 1)):
        store(person, form, slug, table, make(n))
        rows = make(n)
        rows[0] = {**rows[0], "location" if form == "imm5444" else "destination": f"Changed {n}"}
        if form == "imm5406":
            rows[0] = {**rows[0], "full_name": f"Changed {n} {len(saves)}"}
        body = {**table_post(table, rows), "expected_version": str(version)}
        if form == "imm5444":
            body["outside_canada"] = "True"
        queries, response = count(rep_a, "post", url, body, HTTP_X_AUTOSAVE="1")
        assert response.status_code == 204, response.content[:500]
        saves[n] = queries
    assert saves[5] == saves[100]
    assert saves[100] - base <= 8
