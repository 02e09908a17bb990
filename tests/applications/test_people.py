"""Principal applicant and dependant profiles: add, edit, remove; forms each person needs."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from applications.models import Application, ApplicationEvent, Person
from applications.tasks_list import application_task_list
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 25)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(date(2026, 11, 25), tick=False):
        yield


def add_url(application):
    return reverse("applications:person_add", args=[application.public_id])


def edit_url(application, person):
    return reverse("applications:person_edit", args=[application.public_id, person.public_id])


def remove_url(application, person):
    return reverse("applications:person_remove", args=[application.public_id, person.public_id])


def dependant(**overrides):
    data = {
        "relationship": "10",
        "family_name": "Tremblay",
        "given_names": "Luc",
        "sex": "M",
        "date_of_birth": "1990-03-04",
        "birth_country": "FR",
        "citizenship_1": "FR",
        "marital_status": "01",
        "accompanying": "True",
        "expected_version": "1",
    }
    data.update(overrides)
    return data


def task_codes(application):
    application.refresh_from_db()
    return {task.code for task in application_task_list(application)}


def test_adding_a_spouse_and_two_children_lists_the_forms_each_needs(rep_a, application_a):
    rep_a.post(add_url(application_a), dependant())
    rep_a.post(
        add_url(application_a),
        dependant(
            relationship="02", given_names="Adult", date_of_birth="2007-06-01", marital_status="02"
        ),
    )
    rep_a.post(
        add_url(application_a),
        dependant(
            relationship="02", given_names="Young", date_of_birth="2016-06-01", marital_status="02"
        ),
    )

    people = {p.given_names: p for p in application_a.people.all()}
    assert people["Luc"].role == Person.Role.SPOUSE_PARTNER
    assert people["Adult"].age == 19 and people["Young"].age == 10
    codes = task_codes(application_a)
    for name in ("Luc", "Adult"):
        assert f"form:imm5669:{people[name].public_id}" in codes
        assert f"form:imm5406:{people[name].public_id}" in codes
    # A child under 18 has only the IMM 0008 dependant pages (filled by the PA's side).
    young = str(people["Young"].public_id)
    assert [c for c in codes if c.startswith("form:") and young in c] == [f"form:imm0008:{young}"]
    assert f"form:imm0008:{application_a.principal_applicant.public_id}" in codes
    assert application_a.events.filter(action=ApplicationEvent.Action.PERSON_ADDED).count() == 3
    application_a.refresh_from_db()
    assert application_a.tasks_total == len(
        [t for t in application_task_list(application_a) if t.required]
    )


def test_a_child_turning_18_soon_is_flagged(rep_a, application_a):
    rep_a.post(
        add_url(application_a),
        dependant(relationship="02", date_of_birth="2009-01-10", marital_status="02"),
    )
    child = application_a.people.get(role="dependent_child")
    assert f"turns18:{child.public_id}" in task_codes(application_a)


def test_a_second_spouse_is_refused_with_a_clear_error(rep_a, application_a):
    rep_a.post(add_url(application_a), dependant())
    response = rep_a.post(add_url(application_a), dependant(relationship="01", given_names="Other"))
    assert response.status_code == 200
    assert response.context["form"].has_error("relationship", "second_spouse")
    assert 'value="Other"' in response.content.decode()
    assert application_a.people.filter(role="spouse_partner").count() == 1


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("date_of_birth", "2030-01-01", "date_in_future"),
        ("date_of_birth", "2023-02-30", "invalid"),
        ("date_of_birth", "1850-01-01", "date_too_early"),
        ("date_of_birth", "", "required"),
        ("uci", "123", "uci_format"),
        ("family_name", "y" * 500, "max_length"),
        ("family_name", '<img src=x onerror="alert(1)">', "name_characters"),
        ("given_names", "Robert'); DROP TABLE--", "name_characters"),
        ("citizenship_2", "FR", "citizenship_same"),
        ("not_accompanying_reason", "", "reason_required"),
        ("phone", "call me", "phone_format"),
    ],
)
def test_bad_input_gets_a_clear_error_nothing_saved_and_input_kept(
    rep_a, application_a, field, value, code
):
    data = dependant(**{field: value})
    if code == "reason_required":
        data["accompanying"] = "False"
    response = rep_a.post(add_url(application_a), data)

    assert response.status_code == 200
    assert response.context["form"].has_error(field, code)
    body = response.content.decode()
    assert "There is a problem" in body
    assert 'onerror="alert(1)"' not in body
    assert 'value="Luc"' in body or field == "given_names"
    assert not application_a.people.exclude(role="pa").exists()


def test_uci_is_stored_as_digits(rep_a, application_a):
    rep_a.post(add_url(application_a), dependant(uci="12-3456-7890"))
    assert application_a.people.get(role="spouse_partner").uci == "1234567890"


def test_editing_the_pa_profile_updates_every_page_that_shows_it(rep_a, application_a):
    pa = application_a.principal_applicant
    response = rep_a.post(
        edit_url(application_a, pa),
        {
            "family_name": "Renamed",
            "given_names": "Person",
            "date_of_birth": "1980-01-02",
            "email": pa.email,
            "expected_version": "1",
        },
    )
    assert response.status_code == 302
    pa.refresh_from_db()
    assert (pa.family_name, pa.version) == ("Renamed", 2)
    assert (
        "Person Renamed"
        in rep_a.get(
            reverse("applications:detail", args=[application_a.public_id])
        ).content.decode()
    )
    assert "Renamed" in rep_a.get(reverse("applications:dashboard")).content.decode()
    event = application_a.events.get(action=ApplicationEvent.Action.PERSON_CHANGED)
    assert event.fields == ["date_of_birth", "family_name", "given_names"]
    assert event.actor.email == "rep-a@example.test"


def test_a_stale_version_is_a_conflict_and_overwrites_nothing(rep_a, application_a):
    pa = application_a.principal_applicant
    Person.objects.filter(pk=pa.pk).update(family_name="Someone Else Saved", version=2)
    response = rep_a.post(
        edit_url(application_a, pa), {"family_name": "Mine", "expected_version": "1"}
    )
    assert response.status_code == 409
    pa.refresh_from_db()
    assert pa.family_name == "Someone Else Saved"


def test_a_pa_under_18_needs_a_guardian_on_the_profile(rep_a, application_a):
    pa = application_a.principal_applicant
    rep_a.post(
        edit_url(application_a, pa),
        {"family_name": "Young", "date_of_birth": "2012-01-01", "expected_version": "1"},
    )
    guardian_task = [
        t for t in application_task_list(application_a) if t.code.startswith("guardian:")
    ]
    assert guardian_task and not guardian_task[0].done
    rep_a.post(
        edit_url(application_a, pa),
        {
            "family_name": "Young",
            "date_of_birth": "2012-01-01",
            "guardian_name": "Anne Young",
            "guardian_relationship": "parent",
            "expected_version": "2",
        },
    )
    pa.refresh_from_db()
    assert (pa.guardian_name, pa.guardian_relationship) == ("Anne Young", "parent")
    assert [t for t in application_task_list(application_a) if t.code.startswith("guardian:")][
        0
    ].done


def test_an_adult_pa_cannot_have_a_guardian(rep_a, application_a):
    pa = application_a.principal_applicant
    response = rep_a.post(
        edit_url(application_a, pa),
        {
            "family_name": "Adult",
            "date_of_birth": "1980-01-01",
            "guardian_name": "Someone",
            "expected_version": "1",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("guardian_name", "guardian_not_needed")


def test_remove_a_dependant_records_it_and_the_pa_cannot_be_removed(rep_a, application_a):
    child = factories.make_person(application=application_a, date_of_birth=date(2015, 1, 1))
    assert rep_a.get(remove_url(application_a, child)).status_code == 200
    assert rep_a.post(remove_url(application_a, child)).status_code == 302
    assert not Person.objects.filter(pk=child.pk).exists()
    assert application_a.events.filter(action=ApplicationEvent.Action.PERSON_REMOVED).exists()
    assert (
        rep_a.post(remove_url(application_a, application_a.principal_applicant)).status_code == 409
    )


@pytest.mark.parametrize("status", ["submitted", "completeness_check", "approved"])
def test_profiles_cannot_change_outside_editable_states(rep_a, application_a, status):
    Application.objects.filter(pk=application_a.pk).update(status=status)
    pa = application_a.principal_applicant
    assert rep_a.post(add_url(application_a), dependant()).status_code == 409
    assert (
        rep_a.post(
            edit_url(application_a, pa), {"family_name": "X", "expected_version": "1"}
        ).status_code
        == 409
    )
    assert application_a.people.count() == 1
    pa.refresh_from_db()
    assert pa.family_name == "CANARY-A-Family"


def test_a_profile_of_another_application_is_404_even_through_my_application(
    rep_a, application_a, application_b
):
    foreign = application_b.principal_applicant
    assert rep_a.get(edit_url(application_a, foreign)).status_code == 404
    assert rep_a.post(remove_url(application_a, foreign)).status_code == 404


def test_wrong_methods(rep_a, application_a):
    pa = application_a.principal_applicant
    assert rep_a.put(add_url(application_a)).status_code == 405
    assert rep_a.delete(edit_url(application_a, pa)).status_code == 405


def test_programs_without_dependants_refuse_family_members(rep_a, rep_a_user):
    from applications.models import Program

    application = factories.make_application(
        representative=rep_a_user.representative, program=Program.objects.get(code="pr_card")
    )
    assert rep_a.post(add_url(application), dependant()).status_code == 409
    codes = {
        t.code for t in application_task_list(application) if not t.code.startswith("document")
    }
    assert codes == {
        f"profile:{application.principal_applicant.public_id}",
        f"form:imm5444:{application.principal_applicant.public_id}",
    }


def test_privileged_fields_on_profiles_are_ignored(rep_a, application_a, application_b):
    pa = application_a.principal_applicant
    rep_a.post(
        edit_url(application_a, pa),
        {
            "family_name": "Same",
            "expected_version": "1",
            "role": "dependent_child",
            "version": "50",
            "application": application_b.pk,
            "relationship": "10",
        },
    )
    pa.refresh_from_db()
    assert (pa.role, pa.version, pa.application_id, pa.relationship) == (
        "pa",
        2,
        application_a.pk,
        "",
    )
