"""The printable IMM 5669: laid out like the form, text cut to fit with the annex at the end."""

import pytest
import time_machine

from applications.models import Person
from forms_imm.models import FormSection
from tests.forms_imm.helpers import (
    BORN,
    TODAY,
    complete_posts,
    full_history,
    history_row,
    print_url,
    section_url,
    table_post,
)

pytestmark = pytest.mark.django_db
LONG_ACTIVITY = "Senior software developer and team lead"  # 39 characters; the box holds 21


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


def complete_all(client, application, person, overrides=None):
    posts = complete_posts()
    posts.update(overrides or {})
    for slug, data in posts.items():
        response = client.post(
            section_url(application, person, slug),
            {**data, "expected_version": "0", "action": "complete"},
        )
        assert response.status_code == 302


def test_over_limit_text_is_saved_in_full_and_printed_cut_with_an_annex_reference(
    rep_a, application_a, pa
):
    rows = full_history()
    rows[2] = history_row("2022-06", present=True, activity=LONG_ACTIVITY)
    complete_all(rep_a, application_a, pa, {"history": table_post("history", rows)})
    saved = FormSection.objects.get(section="history").data["history"][2]["activity"]
    assert saved == LONG_ACTIVITY
    response = rep_a.get(print_url(application_a, pa))
    assert response.status_code == 200
    body = response.content.decode()
    assert LONG_ACTIVITY not in body
    cell = body.split("<td>2022-06</td><td>Present</td><td>")[1].split("</td>")[0]
    assert len(cell) <= 21 and cell.endswith("(A1)")
    assert "Annex: continuation of answers longer than their box" in body
    annex = body.split('class="annex"')[1]
    assert "A1" in annex and "row 3" in annex and "Activity" in annex
    assert "D. Personal history" in annex
    rest = LONG_ACTIVITY[len(cell.split("…")[0]) :].strip()
    assert rest in annex


def test_the_printable_view_shows_every_part_of_the_form(rep_a, application_a, pa):
    complete_all(rep_a, application_a, pa)
    body = rep_a.get(print_url(application_a, pa)).content.decode()
    assert "IMM 5669" in body and "Draft:" not in body
    assert "CANARY-A-Family" in body and "1985-04-23" in body
    assert "Tremblay" in body and "Roy" in body  # parents
    for number in range(6, 13):
        assert f"<h2>{number} —" in body
    assert "Carleton University" in body
    # The "None" controls print IRCC's literals (forms.md §2.6).
    assert body.count("<td>none</td>") == 3
    assert "<td>N/A</td>" in body
    assert 'class="annex"' not in body  # nothing overflows
    assert '<link rel="stylesheet" href="/static/css/print.css">' in body
    assert "bootstrap" not in body and "<script" not in body


def test_a_draft_is_marked_as_such(rep_a, application_a, pa):
    rep_a.post(
        section_url(application_a, pa, "background"),
        {"details": "x", "expected_version": "0", "action": "save"},
    )
    body = rep_a.get(print_url(application_a, pa)).content.decode()
    assert "Draft: some sections of this form are not complete yet." in body


def test_the_printable_view_is_in_french_too(rep_a, application_a, pa):
    complete_all(rep_a, application_a, pa)
    body = rep_a.get(print_url(application_a, pa).replace("/en/", "/fr/")).content.decode()
    assert '<html lang="fr">' in body and "Antécédents personnels" in body


def test_user_text_is_escaped_in_the_print(rep_a, application_a, pa):
    rep_a.post(
        section_url(application_a, pa, "background"),
        {"details": "<script>alert(1)</script>", "expected_version": "0", "action": "save"},
    )
    body = rep_a.get(print_url(application_a, pa)).content.decode()
    assert "<script>alert(1)" not in body and "&lt;script&gt;" in body


def test_print_personas(anon, client_a, client_b, rep_b, application_a, application_b, pa):
    url = print_url(application_a, pa)
    assert anon.get(url).status_code == 302
    assert client_a.get(url).status_code == 200
    assert client_b.get(url).status_code == 404
    assert rep_b.get(url).status_code == 404
    assert client_a.post(url).status_code == 405


def test_a_person_without_the_form_has_no_printable_view(rep_a, application_a, pa):
    from tests import factories

    child = factories.make_person(
        application=application_a, relationship="02", date_of_birth=TODAY.replace(year=2016)
    )
    assert rep_a.get(print_url(application_a, child)).status_code == 404
