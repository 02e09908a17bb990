"""The application's task list reads the forms: done forms, gaps with their months, the annex."""

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from applications.models import Application, Person, Program
from applications.tasks_list import application_task_list
from tests import factories
from tests.forms_imm.helpers import (
    BORN,
    TODAY,
    complete_posts,
    full_history,
    history_row,
    section_url,
    table_post,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def pa(application_a):
    person = application_a.principal_applicant
    Person.objects.filter(pk=person.pk).update(date_of_birth=BORN)
    person.refresh_from_db()
    return person


def submit(client, application, person, slug, data, *, complete=True):
    from forms_imm.models import FormSection

    row = FormSection.objects.filter(person=person, section=slug).first()
    return client.post(
        section_url(application, person, slug),
        {
            **data,
            "expected_version": str(row.version if row else 0),
            "action": "complete" if complete else "save",
        },
    )


def tasks(application):
    application.refresh_from_db()
    return {task.code: task for task in application_task_list(application)}


def test_the_form_task_links_to_the_first_open_section_and_is_done_when_all_are(
    rep_a, application_a, pa
):
    code = f"form:imm5669:{pa.public_id}"
    task = tasks(application_a)[code]
    assert not task.done and task.url == section_url(application_a, pa, "personal")
    posts = complete_posts()
    for slug in list(posts)[:-1]:
        submit(rep_a, application_a, pa, slug, posts[slug])
    task = tasks(application_a)[code]
    assert not task.done and task.url == section_url(application_a, pa, "addresses")
    before = Application.objects.get(pk=application_a.pk).tasks_done
    submit(rep_a, application_a, pa, "addresses", posts["addresses"])
    assert tasks(application_a)[code].done
    assert Application.objects.get(pk=application_a.pk).tasks_done == before + 1


def test_a_gap_is_a_task_with_its_months_and_a_link_to_the_section(rep_a, application_a, pa):
    submit(rep_a, application_a, pa, "history", table_post("history", full_history(gap=True)))
    (gap,) = [t for t in tasks(application_a).values() if t.code.startswith("attention:")]
    assert gap.url == section_url(application_a, pa, "history")
    assert str(gap.label).startswith("IMM 5669 for CANARY-A-Given CANARY-A-Family, Section D")
    assert "The months from March 2019 to April 2019 are missing" in gap.label
    assert not gap.required
    with translation.override("fr"):
        (french,) = [t for t in tasks(application_a).values() if t.code.startswith("attention:")]
        assert "mars 2019" in french.label and "avril 2019" in french.label
    body = rep_a.get(reverse("applications:detail", args=[application_a.public_id])).content
    assert "The months from March 2019 to April 2019 are missing" in body.decode()
    assert "Needs attention" in body.decode()


def test_fixing_the_gap_removes_the_task(rep_a, application_a, pa):
    submit(rep_a, application_a, pa, "history", table_post("history", full_history(gap=True)))
    submit(rep_a, application_a, pa, "history", table_post("history", full_history()))
    assert not [code for code in tasks(application_a) if code.startswith("attention:")]


def test_other_errors_are_counted_in_one_task(rep_a, application_a, pa):
    submit(rep_a, application_a, pa, "personal", {"father_family_name": "X"})
    (task,) = [t for t in tasks(application_a).values() if t.code.startswith("attention:")]
    assert task.label.endswith("Section A Personal details: 7 answers need correcting.")


def test_text_over_its_limit_is_listed_as_continuing_in_the_annex(rep_a, application_a, pa):
    rows = [history_row("2016-01", present=True, activity="A" * 30)]
    submit(rep_a, application_a, pa, "history", table_post("history", rows), complete=False)
    (task,) = [t for t in tasks(application_a).values() if t.code.startswith("annex:")]
    assert task.code.endswith(":history.1.activity")
    assert "row 1: “Activity” continues in the annex" in task.label
    assert task.kind == "annex" and not task.required
    body = rep_a.get(reverse("applications:detail", args=[application_a.public_id])).content
    assert "Continues in annex" in body.decode()


def test_protected_persons_family_members_fill_imm5669_only_when_in_canada(application_a, pa):
    program = Program.objects.get(code="protected_persons")
    Application.objects.filter(pk=application_a.pk).update(program=program)
    application_a.refresh_from_db()
    away = factories.make_person(application=application_a, relationship="10", in_canada=False)
    here = factories.make_person(
        application=application_a,
        relationship="02",
        date_of_birth=TODAY.replace(year=2000),
        in_canada=True,
    )
    codes = set(tasks(application_a))
    assert f"form:imm5669:{pa.public_id}" in codes
    assert f"form:imm5669:{here.public_id}" in codes
    assert f"form:imm5669:{away.public_id}" not in codes
    assert f"form:imm5406:{away.public_id}" in codes


def test_the_task_list_reads_the_forms_in_one_query(application_a, pa, django_assert_num_queries):
    # One query for the form sections, three for the document slots (items, documents, the
    # program's fee rules), whatever the number of sections or documents.
    people = list(application_a.people.all())
    with django_assert_num_queries(4):
        application_task_list(application_a, people=people)
