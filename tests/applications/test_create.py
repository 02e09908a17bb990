"""Create an application: client name, email twice, program; the client is invited by email."""

import pytest
from django.contrib.auth.hashers import check_password
from django.urls import reverse

from accounts.models import User
from applications.models import Application, ApplicationEvent, Person, Program
from clients.models import Client
from clients.services import TEMPORARY_PASSWORD_ALPHABET
from tests import factories

pytestmark = pytest.mark.django_db
URL = reverse("applications:create")


def program(code="family_spouse_partner_child"):
    return Program.objects.get(code=code)


def post_data(**overrides):
    data = {
        "family_name": "Tremblay",
        "given_names": "Marie Claire",
        "email": "marie@example.test",
        "email_confirm": "marie@example.test",
        "program": program().pk,
    }
    data.update(overrides)
    return data


def test_create_makes_a_draft_invites_a_new_client_and_emails_both_messages(rep_a, outbox):
    response = rep_a.post(URL, post_data())

    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:detail", args=[application.public_id])
    assert application.status == Application.Status.DRAFT
    assert application.representative.user.email == "rep-a@example.test"
    pa = application.principal_applicant
    assert (pa.role, pa.family_name, pa.given_names) == ("pa", "Tremblay", "Marie Claire")
    client = application.client
    assert client.user.role == User.Role.CLIENT
    assert not client.user.has_usable_password()
    assert client.access_state() == Client.AccessState.INVITED
    started = outbox.to("marie@example.test", "application_started")
    passwords = outbox.to("marie@example.test", "client_temporary_password")
    assert len(started) == 1 and len(passwords) == 1
    password = passwords[0]["context"]["temporary_password"]
    assert len(password) >= 12 and set(password) <= set(TEMPORARY_PASSWORD_ALPHABET)
    assert password not in client.temporary_password_hash
    assert check_password(password, client.temporary_password_hash)
    assert started[0]["language"] is None  # unknown: both languages, English first
    actions = set(application.events.values_list("action", flat=True))
    assert actions == {
        ApplicationEvent.Action.CREATED,
        ApplicationEvent.Action.CLIENT_INVITED,
        ApplicationEvent.Action.CLIENT_NOTIFIED,
    }
    assert application.tasks_total > 0 and application.tasks_done < application.tasks_total


def test_temporary_password_expires_after_the_configured_hours(rep_a, outbox, settings):
    settings.CLIENT_TEMPORARY_PASSWORD_HOURS = 10
    rep_a.post(URL, post_data())
    client = Client.objects.get()
    delta = client.temporary_password_expires_at - client.temporary_password_sent_at
    assert delta.total_seconds() == 10 * 3600


def test_an_existing_client_is_notified_but_gets_no_new_password(rep_a, outbox):
    existing = factories.make_client(email="known@example.test")
    old_hash = existing.temporary_password_hash

    rep_a.post(URL, post_data(email="known@example.test", email_confirm="KNOWN@example.test"))

    application = Application.objects.get()
    assert application.client == existing
    assert outbox.to("known@example.test", "client_temporary_password") == []
    assert len(outbox.to("known@example.test", "application_started")) == 1
    existing.refresh_from_db()
    assert existing.temporary_password_hash == old_hash


def test_email_confirmation_matches_ignoring_case_and_is_stored_in_lower_case(rep_a, outbox):
    rep_a.post(URL, post_data(email="Marie@Example.TEST", email_confirm="marie@example.test"))
    assert Client.objects.get().user.email == "marie@example.test"


def test_mismatched_email_shows_an_error_keeps_what_was_typed_and_creates_nothing(rep_a, outbox):
    response = rep_a.post(URL, post_data(email_confirm="marie@example.tset"))

    assert response.status_code == 200
    assert response.context["form"].has_error("email_confirm", "email_mismatch")
    body = response.content.decode()
    assert "There is a problem" in body
    assert 'value="Tremblay"' in body and 'value="Marie Claire"' in body
    assert 'value="marie@example.tset"' in body
    assert not Application.objects.exists() and not Client.objects.exists()
    assert outbox.emails == []


@pytest.mark.parametrize("kind", ["representative", "staff"])
def test_an_email_of_a_representative_or_staff_account_is_refused(rep_a, outbox, kind):
    user = (
        factories.make_representative(email="pro@example.test").user
        if kind == "representative"
        else factories.make_staff(email="pro@example.test")
    )
    response = rep_a.post(
        URL, post_data(email="pro@example.test", email_confirm="PRO@example.test")
    )

    assert response.status_code == 200
    assert response.context["form"].has_error("email", "email_not_client")
    assert "belongs to a representative or staff account" in response.content.decode()
    assert not Application.objects.exists()
    user.refresh_from_db()
    assert user.role != User.Role.CLIENT


@pytest.mark.parametrize("code", ["self_employed", "agri_food_pilot"])  # paused, closed
def test_paused_or_closed_programs_cannot_be_chosen(rep_a, outbox, code):
    closed = program(code)
    page = rep_a.get(URL).content.decode()
    assert closed.name_en not in page

    response = rep_a.post(URL, post_data(program=closed.pk))

    assert response.status_code == 200
    assert response.context["form"].has_error("program", "invalid_choice")
    assert not Application.objects.exists()


def test_a_program_at_90_percent_of_its_cap_shows_a_warning_with_the_live_count(rep_a):
    nearly = program("rural_northern_pilot")
    nearly.intake.cap, nearly.intake.used = 1000, 900
    nearly.intake.save()

    body = rep_a.get(URL).content.decode()

    assert "900 of 1000 places used" in body or "900 of 1,000 places used" in body


def test_a_program_under_90_percent_shows_no_warning(rep_a):
    quiet = program("rural_northern_pilot")
    quiet.intake.cap, quiet.intake.used = 1000, 899
    quiet.intake.save()
    assert "places used" not in rep_a.get(URL).content.decode()


def test_a_second_open_application_for_the_same_client_and_program_is_refused(rep_a, outbox):
    rep_a.post(URL, post_data())
    response = rep_a.post(URL, post_data())
    assert response.status_code == 200
    assert response.context["form"].has_error("email", "duplicate_application")
    assert Application.objects.count() == 1


@pytest.mark.parametrize(
    ("family_name", "code"),
    [
        ("x" * 500, "max_length"),
        ("<script>alert(1)</script>", "name_characters"),
        ("<b>Bold</b>", "name_characters"),
        ("Smith3", "name_characters"),
        ("", "required"),
    ],
)
def test_bad_names_get_a_clear_error_and_nothing_is_lost(rep_a, outbox, family_name, code):
    response = rep_a.post(URL, post_data(family_name=family_name))

    assert response.status_code == 200
    assert response.context["form"].has_error("family_name", code)
    body = response.content.decode()
    assert "<script>alert(1)</script>" not in body
    assert 'value="marie@example.test"' in body
    assert not Application.objects.exists()


def test_accented_hyphenated_names_are_accepted(rep_a, outbox):
    rep_a.post(URL, post_data(family_name="  Côté-O’Brien  ", given_names="Zoë  Anaïs"))
    pa = Person.objects.get()
    assert (pa.family_name, pa.given_names) == ("Côté-O’Brien", "Zoë Anaïs")


def test_create_rejects_other_methods(rep_a):
    assert rep_a.put(URL).status_code == 405


def test_anonymous_visitors_are_sent_to_sign_in(anon):
    response = anon.get(URL)
    assert response.status_code == 302 and "/auth/login/" in response["Location"]


def test_pending_representatives_are_sent_to_their_status_and_clients_get_404(
    rep_pending, client_a, outbox
):
    status_page = "/en/representative/status/"
    assert rep_pending.get(URL)["Location"] == status_page
    assert rep_pending.post(URL, post_data())["Location"] == status_page
    assert client_a.get(URL).status_code == 404
    assert client_a.post(URL, post_data()).status_code == 404
    assert not Application.objects.exists()


def test_privileged_fields_posted_to_the_form_are_ignored(rep_a, outbox, rep_b_user):
    rep_a.post(
        URL,
        post_data(
            status="submitted",
            representative=rep_b_user.representative.pk,
            application_number="E123456789",
            version=99,
            tasks_done=50,
        ),
    )
    application = Application.objects.get()
    assert application.status == "draft"
    assert application.representative.user.email == "rep-a@example.test"
    assert application.application_number is None and application.version == 1
