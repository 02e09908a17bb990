"""IMM 0008 pages: who gets which page, profile values, saving and completing, the task list,
the intended province feeding the program checks, and the printable view."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from applications.models import Person, Program
from applications.tasks_list import application_task_list
from forms_imm.imm0008 import SECTIONS
from forms_imm.models import FormSection
from tests import factories
from tests.forms_imm import imm0008_data as data
from tests.forms_imm.helpers import BORN, TODAY, print_url, section_url

pytestmark = pytest.mark.django_db
PA_ONLY = {"application", "contact", "dependants"}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def pa(application_a):
    person = application_a.principal_applicant
    Person.objects.filter(pk=person.pk).update(
        date_of_birth=BORN, marital_status="01", sex="F", birth_city="Lyon", birth_country="FR"
    )
    person.refresh_from_db()
    return person


@pytest.fixture
def spouse(application_a):
    return factories.make_person(
        application=application_a,
        relationship="10",
        given_names="Luc",
        family_name="Martin",
        date_of_birth=date(1984, 2, 2),
        marital_status="01",
        accompanying=True,
    )


@pytest.fixture
def child(application_a):
    return factories.make_person(
        application=application_a,
        relationship="02",
        given_names="Zoé",
        family_name="Martin",
        date_of_birth=date(2016, 6, 1),
        marital_status="02",
        accompanying=False,
        not_accompanying_reason="Lives with her other parent",
    )


def post(client, application, person, slug, values, *, version=0, action="save", **headers):
    body = {**values, "expected_version": str(version)}
    if action:
        body["action"] = action
    return client.post(section_url(application, person, slug, form="imm0008"), body, **headers)


def url(application, person, slug):
    return section_url(application, person, slug, form="imm0008")


def complete_all(client, application, person, posts):
    for slug, values in posts.items():
        response = post(client, application, person, slug, values, action="complete")
        assert response.status_code == 302, slug
        row = FormSection.objects.get(person=person, form="imm0008", section=slug)
        assert row.state == "complete", (slug, row.problems)


@pytest.mark.parametrize("slug", [section.slug for section in SECTIONS])
def test_every_pa_page_opens(rep_a, application_a, pa, slug):
    response = rep_a.get(url(application_a, pa, slug))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Mark section complete" in body and "IMM 0008" in body


@pytest.mark.parametrize("slug", sorted(PA_ONLY))
def test_a_dependant_has_no_pa_only_page(rep_a, application_a, pa, child, slug):
    assert rep_a.get(url(application_a, child, slug)).status_code == 404


def test_a_dependant_page_shows_the_profile_read_only(rep_a, application_a, pa, child):
    body = rep_a.get(url(application_a, child, "personal")).content.decode()
    assert "Relationship to the principal applicant" in body
    assert "Lives with her other parent" in body and "Zoé" in body and "2016-06-01" in body
    assert "Edit in profile" in body
    assert 'name="family_name"' not in body  # read-only: never a field


def test_the_pa_page_has_no_dependant_profile_values(rep_a, application_a, pa):
    body = rep_a.get(url(application_a, pa, "personal")).content.decode()
    assert "Relationship to the principal applicant" not in body
    assert "CANARY-A-Family" in body and "France" in body and "Lyon" in body


def test_the_client_cannot_open_a_section(client_a, application_a, pa):
    assert client_a.get(url(application_a, pa, "personal")).status_code == 404


def test_a_draft_keeps_everything_typed_when_a_type_is_wrong(rep_a, application_a, pa):
    response = post(
        rep_a,
        application_a,
        pa,
        "personal",
        data.personal_post(height_cm="very tall", last_entry_place="Pearson"),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Enter the height in whole centimetres, from 30 to 271." in body
    assert 'value="very tall"' in body and 'value="Pearson"' in body
    assert not FormSection.objects.filter(form="imm0008").exists()


def test_completing_stores_normalised_codes(rep_a, application_a, pa):
    post(rep_a, application_a, pa, "contact", data.contact_post(), action="complete")
    stored = FormSection.objects.get(form="imm0008", section="contact").data
    assert stored["mailing_postal_code"] == "K1A 0B1"
    assert stored["phone_number"] == "6135550123"


def test_mark_complete_with_errors_needs_attention_and_shows_them(rep_a, application_a, pa):
    response = post(
        rep_a, application_a, pa, "application", {"intended_province": "QC"}, action="complete"
    )
    assert response.status_code == 302
    row = FormSection.objects.get(form="imm0008", section="application")
    assert row.state == "needs_attention" and row.data["intended_province"] == "QC"
    body = rep_a.get(url(application_a, pa, "application")).content.decode()
    assert "Quebec: give the CSQ number" in body


def test_autosave_and_conflict_work_on_imm0008(rep_a, application_a, pa):
    response = post(
        rep_a, application_a, pa, "education", data.education_post(), HTTP_X_AUTOSAVE="1"
    )
    assert response.status_code == 204 and response["X-Form-Version"] == "1"
    stale = post(rep_a, application_a, pa, "education", data.education_post(years_total="17"))
    assert stale.status_code == 409
    assert "Keep my version" in stale.content.decode()
    assert FormSection.objects.get(section="education").data["years_total"] == 16


def test_the_whole_form_completes_and_its_task_is_done(rep_a, application_a, pa, spouse, child):
    rows = [
        {"person": str(spouse.public_id)},
        {"person": str(child.public_id), "dependant_type": "01"},
    ]
    complete_all(rep_a, application_a, pa, data.complete_posts(dependants=rows))
    tasks = {t.code: t for t in application_task_list(application_a)}
    assert tasks[f"form:imm0008:{pa.public_id}"].done
    child_task = tasks[f"form:imm0008:{child.public_id}"]
    assert not child_task.done and "dependant pages" in str(child_task.label)
    for slug, values in {
        "personal": data.personal_post(),
        "marital": data.marital_post(marriage_date=""),
        "passport": data.passport_post(),
        "national-id": data.national_id_post(),
        "education": data.education_post(),
        "languages": data.languages_post(),
    }.items():
        assert post(rep_a, application_a, child, slug, values, action="complete").status_code == 302
    tasks = {t.code: t for t in application_task_list(application_a)}
    assert tasks[f"form:imm0008:{child.public_id}"].done
    application_a.refresh_from_db()
    assert application_a.tasks_total == len([t for t in tasks.values() if t.required])


def test_the_overview_lists_imm0008_first_for_everyone(rep_a, application_a, pa, child):
    body = rep_a.get(
        reverse("forms_imm:overview", kwargs={"public_id": application_a.public_id})
    ).content.decode()
    assert body.index("IMM 0008") < body.index("IMM 5669")
    assert body.count("Generic Application Form for Canada") >= 2


# --- the intended province feeds the program checks -------------------------------------------


def _program(code):
    program = Program.objects.get(code=code)
    return program


@pytest.mark.parametrize(
    ("program", "province", "city", "code"),
    [
        ("hong_kong_pathways", "QC", "montreal", "check:province_not_quebec:province_not_allowed"),
        (
            "quebec_skilled_worker",
            "ON",
            "ottawa",
            "check:province_must_be_quebec:province_must_be_quebec",
        ),
    ],
)
def test_the_intended_province_drives_the_province_rules(
    rep_a, application_a, pa, program, province, city, code
):
    application_a.program = _program(program)
    application_a.save(update_fields=["program"])
    codes = {t.code for t in application_task_list(application_a)}
    assert code not in codes  # nothing answered yet: nothing to object to
    post(
        rep_a,
        application_a,
        pa,
        "application",
        data.application_post(intended_province=province, intended_city=city),
    )
    tasks = {t.code: t for t in application_task_list(application_a)}
    assert code in tasks
    assert tasks[code].url == url(application_a, pa, "application")
    assert not tasks[code].done and tasks[code].required


def test_the_save_path_counts_the_province_rule_like_the_task_list(rep_a, application_a, pa):
    application_a.program = _program("hong_kong_pathways")
    application_a.save(update_fields=["program"])
    post(
        rep_a,
        application_a,
        pa,
        "application",
        data.application_post(intended_province="QC", intended_city="montreal"),
    )
    # Completing another section refreshes the counters without reading the answers.
    post(rep_a, application_a, pa, "education", data.education_post(), action="complete")
    application_a.refresh_from_db()
    tasks = application_task_list(application_a)
    assert "check:province_not_quebec:province_not_allowed" in {t.code for t in tasks}
    assert application_a.tasks_total == len([t for t in tasks if t.required])
    assert application_a.tasks_done == len([t for t in tasks if t.required and t.done])


# --- printable view ------------------------------------------------------------------------


def test_the_printable_view_numbers_questions_and_tables_the_dependants(
    rep_a, application_a, pa, spouse, child
):
    rows = [
        {"person": str(spouse.public_id)},
        {"person": str(child.public_id), "dependant_type": "01"},
    ]
    posts = data.complete_posts(dependants=rows)
    posts["education"] = data.education_post(
        current_occupation="Senior software developer in the public health data team"
    )
    for slug, values in posts.items():
        post(rep_a, application_a, pa, slug, values)
    response = rep_a.get(print_url(application_a, pa, form="imm0008"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Generic Application Form for Canada" in body and "Draft:" in body
    assert '<th scope="row" class="question-number">1</th>' in body
    assert "Ottawa" in body and "Toronto Pearson Airport" in body
    assert "Luc" in body and "Zoé" in body and "Type A" in body and "Spouse" in body
    assert "Annex: continuation" in body and "annex A1)" in body
    assert "Consent and declaration" in body
    assert "script" not in body.split("<body", 1)[1].lower().replace("noscript", "")


def test_the_client_reads_the_printable_view_in_french(client_a, application_a, pa):
    with translation.override("fr"):
        address = print_url(application_a, pa, form="imm0008")
    response = client_a.get(address)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Demande générique pour le Canada" in body and "Consentement et déclaration" in body


def test_a_dependant_prints_only_their_pages(rep_a, application_a, pa, child):
    body = rep_a.get(print_url(application_a, child, form="imm0008")).content.decode()
    assert "Dependant" in body and "Zoé" in body
    assert "Contact information" not in body and "Application details" not in body
