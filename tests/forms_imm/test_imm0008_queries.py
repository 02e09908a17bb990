"""Query counts of IMM 0008 pages (QUALITY.md §9): the dependants block with 5 or 100 rows,
and the application page whose task list now runs the cross-form checks, flat in the data."""

import pytest
import time_machine
from django.urls import reverse

from applications.models import Person
from forms_imm.models import FormSection
from tests import factories
from tests.forms_imm.helpers import BORN, TODAY, section_url, table_post
from tests.forms_imm.test_queries import baseline, count

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def family(application_a):
    pa = application_a.principal_applicant
    Person.objects.filter(pk=pa.pk).update(date_of_birth=BORN, marital_status="01")
    pa.refresh_from_db()
    others = [factories.make_person(application=application_a, relationship="10")]
    others += [
        factories.make_person(application=application_a, given_names=f"Child {n}") for n in range(4)
    ]
    return pa, others


def rows(others, n):
    return [
        {
            "id": f"{i:032x}",
            "person": str(others[i % len(others)].public_id),
            "dependant_type": "01",
        }
        for i in range(n)
    ]


def store(application, pa, others, n):
    FormSection.objects.update_or_create(
        person=pa,
        form="imm0008",
        section="dependants",
        defaults={
            "application": application,
            "data": {"has_dependants": True, "dependants": rows(others, n)},
            "state": "in_progress",
            "version": 1,
            "updated_by": application.representative.user,
        },
    )


def page_count(client, application, pa, others, n):
    store(application, pa, others, n)
    url = section_url(application, pa, "dependants", form="imm0008")
    queries, response = count(client, "get", url)
    assert response.status_code == 200
    assert response.content.decode().count("data-row>") == n + 1
    return queries


def test_the_dependants_page_is_flat_from_5_to_100_rows(rep_a, application_a, family):
    pa, others = family
    base = baseline(rep_a)
    at_5 = page_count(rep_a, application_a, pa, others, 5)
    at_100 = page_count(rep_a, application_a, pa, others, 100)
    assert at_5 == at_100
    assert at_100 - base <= 6


def test_autosaving_the_dependants_block_is_flat_from_5_to_100_rows(rep_a, application_a, family):
    pa, others = family
    base = baseline(rep_a)
    counts = []
    for n, word in ((5, "False"), (100, "False")):
        store(application_a, pa, others, n)
        body = {
            "has_dependants": word,
            **table_post("dependants", rows(others, n)),
            "expected_version": "1",
        }
        url = section_url(application_a, pa, "dependants", form="imm0008")
        queries, response = count(rep_a, "post", url, body, HTTP_X_AUTOSAVE="1")
        assert response.status_code == 204
        counts.append(queries)
    assert counts[0] == counts[1]
    assert counts[1] - base <= 8


def test_the_application_page_reads_the_answers_once(rep_a, application_a, family):
    """The task list with its consistency items: one query for every section and answer."""
    pa, others = family
    url = reverse("applications:detail", kwargs={"public_id": application_a.public_id})
    baseline(rep_a)  # the first request of a session records the session itself
    base_page, response = count(rep_a, "get", url)
    assert response.status_code == 200
    store(application_a, pa, others, 100)  # 100 rows, each child listed many times
    for person in others:
        FormSection.objects.create(
            application=application_a,
            person=person,
            form="imm0008",
            section="passport",
            data={"has_document": True, "expiry_date": "2020-01-01"},
        )
    queries, response = count(rep_a, "get", url)
    body = response.content.decode()
    assert body.count("has expired") == len(others)  # one consistency item each
    assert queries == base_page
