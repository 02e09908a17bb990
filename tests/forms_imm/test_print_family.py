"""Printable views of IMM 5406, IMM 5562 and IMM 5444: IRCC literals and the annex."""

import pytest
import time_machine

from applications.models import Program
from forms_imm.models import FormSection
from tests.forms_imm.family_helpers import TODAY, family
from tests.forms_imm.helpers import print_url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def people(application_a):
    return family(application_a)


def store(person, form, section, data):
    FormSection.objects.create(
        application=person.application, person=person, form=form, section=section, data=data
    )


def test_imm5406_prints_literals_deceased_and_the_annex(rep_a, application_a, people):
    pa = people["pa"]
    store(pa, "imm5406", "family", {
        "applicant_address": "12 Elm Street, Ottawa", "applicant_marital_status": "01",
        "mother_full_name": "Anne Roy", "mother_deceased": True, "mother_death_place": "Lyon",
        "mother_death_date": "2010-05-06", "father_full_name": "Paul Tremblay",
        "father_email_unknown": True, "father_address": "x " * 60,
    })  # fmt: skip
    store(pa, "imm5406", "siblings", {"not_applicable": True, "siblings": []})
    page = rep_a.get(print_url(application_a, pa, "imm5406")).content.decode()
    assert "IMM 5406" in page and "Draft" in page
    assert "Deceased, Lyon, 2010-05-06" in page
    assert "<td>none</td>" in page  # father's email not known
    assert "<td>Not Applicable</td>" in page  # Section C
    assert "Annex" in page and "Present address" in page
    assert "Married" in page
    # Section A's blocks are named by row; Sections B and C start with the relationship.
    assert page.count('<th scope="col">Relationship</th>') == 2
    assert page.count('<th scope="col"></th>') == 1


def test_imm5562_prints_not_applicable_without_a_spouse_and_did_not_travel(
    rep_a, application_a, people
):
    people["spouse"].delete()
    pa = people["pa"]
    store(pa, "imm5562", "applicant", {"did_not_travel": True, "trips": []})
    store(pa, "imm5562", "children", {"trips": [
        {"id": "1" * 32, "child": str(people["child"].public_id), "start": "2025-01",
         "end": "2025-02", "length_of_stay": "10 days", "destination": "Rome, Italy",
         "purpose": "Family"},
    ]})  # fmt: skip
    page = rep_a.get(print_url(application_a, pa, "imm5562")).content.decode()
    assert "Did not travel in the period" in page
    assert page.count("Not Applicable") == 1  # Section B, in the Purpose cell
    assert "<td>Luc</td>" in page and "Rome, Italy" in page


def test_imm5444_prints_pages_tables_and_the_residency_result(rep_a, application_a, people):
    application_a.program = Program.objects.get(code="pr_card")
    application_a.save(update_fields=["program"])
    pa = people["pa"]
    store(pa, "imm5444", "situation", {"situation": "renew", "became_pr_date": "2015-01-01"})
    store(pa, "imm5444", "residency", {"outside_canada": True, "absences": [
        {"id": "1" * 32, "start": "2022-01-01", "end": "2025-06-01", "present": False,
         "location": "Paris, France", "reason": "other", "explanation": "Studies"},
    ]})  # fmt: skip
    page = rep_a.get(print_url(application_a, pa, "imm5444")).content.decode()
    assert "Renew your present PR card" in page
    assert "Paris, France" in page and "Studies" in page
    assert "the residency obligation is not met" in page


def test_the_client_reads_the_printable_view(client_a, application_a, people):
    assert client_a.get(print_url(application_a, people["pa"], "imm5406")).status_code == 200
