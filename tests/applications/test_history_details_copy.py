"""History page, program-specific details and starting a new application from an old one."""

import pytest
from django.urls import reverse

from applications.models import Application, ApplicationEvent, Person, Program
from applications.tasks_list import application_task_list
from tests import factories

pytestmark = pytest.mark.django_db


def url(name, application):
    return reverse(f"applications:{name}", args=[application.public_id])


# --- history ----------------------------------------------------------------------------------


def test_history_lists_every_creation_change_and_resend_with_actor_and_time(rep_a, outbox):
    program = Program.objects.get(code="family_spouse_partner_child")
    rep_a.post(
        reverse("applications:create"),
        {
            "family_name": "Roy",
            "given_names": "Ann",
            "email": "ann@example.test",
            "email_confirm": "ann@example.test",
            "program": program.pk,
        },
    )
    application = Application.objects.get()
    pa = application.principal_applicant
    rep_a.post(
        reverse("applications:person_edit", args=[application.public_id, pa.public_id]),
        {"family_name": "Roy", "given_names": "Anne", "email": pa.email, "expected_version": "1"},
    )
    rep_a.post(url("client_resend", application))

    response = rep_a.get(url("history", application))
    body = response.content.decode()
    actions = [e.action for e in response.context["events"]]
    assert actions[0] == ApplicationEvent.Action.CLIENT_PASSWORD_RESENT
    assert ApplicationEvent.Action.PERSON_CHANGED in actions
    assert ApplicationEvent.Action.CREATED in actions
    assert "Temporary password resent" in body and "Profile changed" in body
    assert "rep-a@example.test" in body and "given_names" in body
    assert all(e.actor and e.at for e in response.context["events"])


def test_history_personas_and_method(rep_a, rep_b, client_a, anon, application_a):
    assert rep_b.get(url("history", application_a)).status_code == 404
    assert client_a.get(url("history", application_a)).status_code == 404
    assert anon.get(url("history", application_a)).status_code == 302
    assert rep_a.post(url("history", application_a)).status_code == 405


# --- program details --------------------------------------------------------------------------


@pytest.fixture
def pnp_application(rep_a_user):
    return factories.make_application(
        representative=rep_a_user.representative,
        program=Program.objects.get(code="pnp_non_express_entry"),
    )


def test_program_details_form_follows_the_program_data(rep_a, pnp_application):
    body = rep_a.get(url("program_details", pnp_application)).content.decode()
    assert "Nomination certificate number (required)" in body
    assert 'name="nomination_expiry_date"' in body and 'name="business_nominee"' in body


def test_program_details_are_saved_checked_and_shown_in_the_task_list(rep_a, pnp_application):
    task = next(t for t in application_task_list(pnp_application) if t.code == "details")
    assert not task.done

    response = rep_a.post(
        url("program_details", pnp_application),
        {
            "nomination_certificate_number": "NB-1234",
            "nomination_expiry_date": "2020-01-01",
            "business_nominee": "False",
            "expected_version": "1",
        },
    )
    assert response.status_code == 302
    pnp_application.refresh_from_db()
    assert pnp_application.program_details == {
        "nomination_certificate_number": "NB-1234",
        "nomination_expiry_date": "2020-01-01",
        "business_nominee": False,
    }
    task = next(t for t in application_task_list(pnp_application) if t.code == "details")
    assert not task.done and any("expired" in str(p) for p in task.problems)
    assert pnp_application.events.filter(
        action=ApplicationEvent.Action.PROGRAM_DETAILS_CHANGED
    ).exists()

    rep_a.post(
        url("program_details", pnp_application),
        {
            "nomination_certificate_number": "NB-1234",
            "nomination_expiry_date": "2099-01-01",
            "business_nominee": "False",
            "expected_version": "2",
        },
    )
    pnp_application.refresh_from_db()
    assert next(t for t in application_task_list(pnp_application) if t.code == "details").done


def test_program_details_bad_input_keeps_what_was_typed(rep_a, pnp_application):
    response = rep_a.post(
        url("program_details", pnp_application),
        {
            "nomination_certificate_number": "z" * 500,
            "nomination_expiry_date": "2024-02-31",
            "expected_version": "1",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.has_error("nomination_expiry_date", "invalid")
    assert form.has_error("nomination_certificate_number", "max_length")
    assert 'value="2024-02-31"' in response.content.decode()
    pnp_application.refresh_from_db()
    assert pnp_application.program_details == {}


def test_program_details_stale_version_is_409(rep_a, pnp_application):
    Application.objects.filter(pk=pnp_application.pk).update(version=5)
    response = rep_a.post(
        url("program_details", pnp_application),
        {"nomination_certificate_number": "A", "expected_version": "1"},
    )
    assert response.status_code == 409


def test_program_details_wrong_state_is_409(rep_a, pnp_application):
    Application.objects.filter(pk=pnp_application.pk).update(status="submitted")
    assert rep_a.get(url("program_details", pnp_application)).status_code == 409


def test_a_program_without_details_has_no_details_task(application_a):
    Application.objects.filter(pk=application_a.pk).update(
        program=Program.objects.get(code="agri_food_pilot")
    )
    application_a.refresh_from_db()
    assert "details" not in {t.code for t in application_task_list(application_a)}


# --- copy -------------------------------------------------------------------------------------


def test_a_new_application_from_an_old_one_copies_the_profiles_as_new_rows(
    rep_a, application_a, outbox
):
    spouse = factories.make_person(
        application=application_a, relationship="10", family_name="Spouse"
    )
    other = Program.objects.get(code="rural_northern_pilot")

    response = rep_a.post(url("copy", application_a), {"program": other.pk})

    new = Application.objects.exclude(pk=application_a.pk).get()
    assert response.status_code == 302
    assert (new.client, new.representative, new.program, new.copied_from) == (
        application_a.client,
        application_a.representative,
        other,
        application_a,
    )
    copies = {p.family_name: p for p in new.people.all()}
    assert set(copies) == {"CANARY-A-Family", "Spouse"}
    assert copies["Spouse"].pk != spouse.pk and copies["Spouse"].public_id != spouse.public_id
    assert new.principal_applicant.family_name == "CANARY-A-Family"
    Person.objects.filter(pk=copies["Spouse"].pk).update(family_name="Changed")
    spouse.refresh_from_db()
    assert spouse.family_name == "Spouse"
    assert outbox.to("client-a@example.test", "application_started")
    assert outbox.to("client-a@example.test", "client_temporary_password") == []


def test_copy_into_the_same_program_while_the_old_one_is_open_is_refused(
    rep_a, application_a, outbox
):
    response = rep_a.post(url("copy", application_a), {"program": application_a.program_id})
    assert response.status_code == 200
    assert response.context["form"].has_error("program", "duplicate_application")
    assert Application.objects.count() == 1


def test_copy_personas(rep_b, client_a, application_a):
    assert (
        rep_b.post(url("copy", application_a), {"program": application_a.program_id}).status_code
        == 404
    )
    assert client_a.get(url("copy", application_a)).status_code == 404
