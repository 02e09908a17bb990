"""The family consistency checks (forms.md §5, §7), through find_inconsistencies."""

import pytest
import time_machine

from forms_imm.consistency import find_inconsistencies
from forms_imm.models import FormSection
from tests.forms_imm.family_helpers import TODAY, family, member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def people(application_a):
    return family(application_a)


def store(person, form, section, data):
    FormSection.objects.update_or_create(
        application=person.application,
        person=person,
        form=form,
        section=section,
        defaults={"data": data},
    )


def found(application, code=None):
    items = find_inconsistencies(application, today=TODAY)
    return [item for item in items if code is None or item.code == code]


def linked(person, **extra):
    return {
        "profile": str(person.public_id),
        "full_name": person.full_name,
        "date_of_birth": person.date_of_birth.isoformat(),
        **extra,
    }


def consistent(people):
    pa, spouse, child = people["pa"], people["spouse"], people["child"]
    store(pa, "imm5406", "family", {
        "applicant_marital_status": "01", "applicant_country_of_birth": "France",
        **{f"spouse_{k}": v for k, v in linked(spouse, country_of_birth="Canada",
                                               marital_status="01").items()},
    })  # fmt: skip
    store(spouse, "imm5406", "family", {
        "applicant_marital_status": "01", "applicant_country_of_birth": "Canada",
        **{f"spouse_{k}": v for k, v in linked(pa, country_of_birth="France",
                                               marital_status="01").items()},
    })  # fmt: skip
    for person in (pa, spouse):
        store(person, "imm5406", "children", {"children": [
            {"id": "a" * 32, **linked(child, country_of_birth="Canada")},
            {"id": "b" * 32, **member(full_name="Old Son", date_of_birth="2001-01-01")},
        ]})  # fmt: skip


def test_a_consistent_family_has_no_finding(application_a, people):
    consistent(people)
    assert found(application_a) == []


def test_marital_status_must_agree_with_the_profile(application_a, people):
    consistent(people)
    data = FormSection.objects.get(person=people["pa"], section="family").data
    store(people["pa"], "imm5406", "family", {**data, "applicant_marital_status": "03"})
    [item] = found(application_a, "imm5406.marital_status_profile")
    assert item.blocking and item.person == people["pa"] and item.section == "family"


def test_married_without_a_spouse_profile_is_blocking(application_a, people):
    people["spouse"].delete()
    del people["spouse"]
    store(people["pa"], "imm5406", "family", {"applicant_marital_status": "01"})
    [item] = found(application_a, "imm5406.marital_status_profile")
    assert "no spouse" in str(item.message)


def test_every_dependant_appears_in_the_pa_form(application_a, people):
    consistent(people)
    store(people["pa"], "imm5406", "children", {"children": []})
    items = found(application_a, "imm5406.dependant_missing")
    assert [(i.person, i.section, i.key) for i in items] == [
        (people["pa"], "children", str(people["child"].public_id))
    ]


def test_a_profile_changed_after_saving_is_reported(application_a, people):
    consistent(people)
    people["child"].given_names = "Lucas"
    people["child"].save()
    items = found(application_a, "imm5406.profile_differs")
    assert {i.person for i in items} == {people["pa"], people["spouse"]}


def test_the_partners_agree_on_each_other_and_on_their_children(application_a, people):
    consistent(people)
    data = FormSection.objects.get(person=people["spouse"], section="family").data
    store(people["spouse"], "imm5406", "family", {**data, "applicant_country_of_birth": "Haiti"})
    [item] = found(application_a, "imm5406.shared_person_differs")
    assert item.person == people["pa"]
    store(people["spouse"], "imm5406", "children", {"children": [
        {"id": "a" * 32, **linked(people["child"], country_of_birth="Canada")},
    ]})  # fmt: skip
    [missing] = found(application_a, "imm5406.shared_child_missing")
    assert missing.person == people["spouse"] and "Child 2" in str(missing.message)
    assert "Old Son" not in str(missing.message)  # relatives typed in a form are not named


def test_refused_admission_with_did_not_travel_is_a_warning(application_a, people):
    store(people["spouse"], "imm5669", "background", {"refused_admission": True})
    store(people["pa"], "imm5562", "spouse", {"did_not_travel": True, "trips": []})
    [item] = found(application_a, "imm5562.refused_without_trip")
    assert not item.blocking and item.section == "spouse" and item.person == people["pa"]


def test_overlapping_trips_are_listed(application_a, people):
    trips = [
        {"id": "1" * 32, "start": "2020-01", "end": "2020-04"},
        {"id": "2" * 32, "start": "2020-03", "end": "2020-05"},
    ]
    store(people["pa"], "imm5562", "applicant", {"trips": trips})
    [item] = found(application_a, "imm5562.trip_overlap")
    assert "Section A" in str(item.message) and not item.blocking


def test_residency_under_730_days_without_reasons_is_listed(application_a, people):
    pa = people["pa"]
    store(pa, "imm5444", "situation", {"became_pr_date": "2015-01-01"})
    absences = [{"start": "2022-01-01", "end": "2025-06-01", "present": False}]
    store(pa, "imm5444", "residency", {"absences": absences, "humanitarian": ""})
    [item] = found(application_a, "imm5444.residency_not_met")
    assert "580 days" in str(item.message) or "581 days" in str(item.message)
    store(pa, "imm5444", "residency", {"absences": absences, "humanitarian": "Caring for a parent"})
    assert found(application_a, "imm5444.residency_not_met") == []
