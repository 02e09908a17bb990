"""Hostile text in every text field of every IMM 5669 section: never a 5xx, never unescaped,
kept whole (or refused with a message when it cannot be stored)."""

import pytest
import time_machine

from applications.models import Person
from forms_imm.forms import TextField
from forms_imm.imm5669 import SECTIONS
from forms_imm.models import FormSection
from tests.forms_imm.helpers import BORN, TODAY, print_url, section_url, table_post

pytestmark = pytest.mark.django_db

HOSTILE = [
    '<script>alert("x")</script>',
    '"><img src=x onerror=alert(1)>',
    "{{ request.user.email }} {% debug %}",
    "'; DROP TABLE forms_imm_formsection; --",
    "=cmd|' /C calc'!A0",
    "\u202eevil\u202c text",
    "zero\u200bwidth",
    "Émilie Noël 🍁",
    "x" * 20_000,
]


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


def text_fields(form_class):
    return [name for name, field in form_class.base_fields.items() if isinstance(field, TextField)]


def post_for(section, value):
    data = {name: value for name in text_fields(section.edit_form)}
    for table in section.tables:
        data.update(table_post(table.name, [dict.fromkeys(text_fields(table.edit_form), value)]))
    return data


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_text_is_stored_whole_and_escaped_everywhere(rep_a, application_a, pa, value):
    for section in SECTIONS:
        if not post_for(section, value):
            continue
        url = section_url(application_a, pa, section.slug)
        row = FormSection.objects.filter(person=pa, section=section.slug).first()
        body = {**post_for(section, value), "expected_version": str(row.version if row else 0)}
        response = rep_a.post(url, {**body, "action": "complete"})
        assert response.status_code == 302, section.slug
        stored = FormSection.objects.get(person=pa, section=section.slug).data
        expected = " ".join(value.split())
        for name in text_fields(section.edit_form):
            assert stored[name] == expected
        for table in section.tables:
            for name in text_fields(table.edit_form):
                assert stored[table.name][0][name] == expected
        page = rep_a.get(url).content.decode()
        assert "<script>alert" not in page and "<img src=x" not in page
    printed = rep_a.get(print_url(application_a, pa))
    assert printed.status_code == 200
    text = printed.content.decode()
    assert "<script>alert" not in text and "<img src=x" not in text
    assert "rep-a@example.test" not in text  # template syntax is text, not code


def test_a_nul_character_is_refused_with_a_message_and_nothing_is_stored(rep_a, application_a, pa):
    url = section_url(application_a, pa, "background")
    response = rep_a.post(url, {"details": "a\x00b", "expected_version": "0", "action": "save"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not FormSection.objects.exists()


def test_a_hostile_row_id_is_replaced(rep_a, application_a, pa):
    url = section_url(application_a, pa, "history")
    rows = [{"id": "../../etc/passwd", "activity": "x"}, {"id": "A" * 32, "activity": "y"}]
    rep_a.post(url, {**table_post("history", rows), "expected_version": "0", "action": "save"})
    saved = FormSection.objects.get().data["history"]
    assert all(len(row["id"]) == 32 and row["id"].islower() for row in saved)
    assert saved[0]["id"] != saved[1]["id"]


def test_too_many_rows_are_refused(rep_a, application_a, pa):
    url = section_url(application_a, pa, "history")
    rows = [{"activity": "x"}] * 251
    response = rep_a.post(url, {**table_post("history", rows), "expected_version": "0"})
    assert response.status_code == 200
    assert not FormSection.objects.exists()


def test_every_text_field_has_its_limit_in_the_data():
    """Limits come from limits.json: a text field without a row would have no counter."""
    for section in SECTIONS:
        for form_class in [section.edit_form] + [table.edit_form for table in section.tables]:
            for name in text_fields(form_class):
                limit = form_class.limit_of(name)
                assert limit is not None and limit.max_length, (section.slug, name)
