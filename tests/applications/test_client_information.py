"""Details page, Client Information: invitation state, resend temporary password, correct email."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.hashers import make_password
from django.urls import reverse
from django.utils import timezone

from applications.models import ApplicationEvent
from clients.models import Client, TemporaryPasswordIssue
from clients.services import client_temporary_password_check
from tests import factories

pytestmark = pytest.mark.django_db


def detail_url(application):
    return reverse("applications:detail", args=[application.public_id])


def resend_url(application):
    return reverse("applications:client_resend", args=[application.public_id])


def email_url(application):
    return reverse("applications:client_email", args=[application.public_id])


def issue_known_password(client):
    password = "KnownPassword23"
    client.temporary_password_hash = make_password(password)
    client.save()
    return password


def test_details_page_shows_client_program_status_and_tasks(rep_a, application_a):
    response = rep_a.get(detail_url(application_a))
    body = response.content.decode()
    assert response.status_code == 200
    assert "CANARY-A-Given CANARY-A-Family" in body
    assert "client-a@example.test" in body
    assert application_a.program.name_en in body
    assert "Draft" in body and "Invited" in body
    assert "Resend temporary password" in body and "Correct email" in body
    assert 'data-task="form:imm0008:' in body


def test_an_expired_temporary_password_is_shown_as_expired(rep_a, application_a):
    Client.objects.filter(pk=application_a.client_id).update(
        temporary_password_expires_at=timezone.now() - timedelta(seconds=1)
    )
    body = rep_a.get(detail_url(application_a)).content.decode()
    assert "Temporary password expired" in body


def test_an_activated_client_has_no_resend_or_correct_email(rep_a, application_a):
    Client.objects.filter(pk=application_a.client_id).update(activated_at=timezone.now())
    body = rep_a.get(detail_url(application_a)).content.decode()
    assert "Active" in body
    assert "Resend temporary password" not in body and "Correct email" not in body


def test_resend_emails_a_new_password_and_the_old_one_stops_working(rep_a, application_a, outbox):
    client = application_a.client
    old = issue_known_password(client)
    assert client_temporary_password_check(client=client, password=old)

    response = rep_a.post(resend_url(application_a))

    assert response.status_code == 302
    client.refresh_from_db()
    (email,) = outbox.to("client-a@example.test", "client_temporary_password")
    new = email["context"]["temporary_password"]
    assert not client_temporary_password_check(client=client, password=old)
    assert client_temporary_password_check(client=client, password=new)
    assert (
        application_a.events.filter(action=ApplicationEvent.Action.CLIENT_PASSWORD_RESENT).count()
        == 1
    )
    assert TemporaryPasswordIssue.objects.filter(client=client, reason="resend").count() == 1
    assert any(a["action"] == "client.temporary_password_resent" for a in outbox.audits)


def test_resend_also_revives_an_expired_invitation(rep_a, application_a, outbox):
    Client.objects.filter(pk=application_a.client_id).update(
        temporary_password_expires_at=timezone.now() - timedelta(hours=1)
    )
    rep_a.post(resend_url(application_a))
    application_a.client.refresh_from_db()
    assert application_a.client.access_state() == Client.AccessState.INVITED


def test_resend_is_limited_per_client_in_24_hours_and_the_refusal_is_recorded(
    rep_a, application_a, outbox, settings
):
    settings.CLIENT_TEMPORARY_PASSWORD_RESENDS_PER_DAY = 3
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        for _ in range(3):
            assert rep_a.post(resend_url(application_a)).status_code == 302
            traveller.shift(timedelta(minutes=1))
        hash_before = Client.objects.get(pk=application_a.client_id).temporary_password_hash

        refused = rep_a.post(resend_url(application_a))

        assert refused.status_code == 429
        assert Client.objects.get(pk=application_a.client_id).temporary_password_hash == hash_before
        assert len(outbox.to("client-a@example.test", "client_temporary_password")) == 3
        assert [a for a in outbox.audits if a.get("outcome") == "denied"]
        page = rep_a.get(detail_url(application_a)).content.decode()
        assert "maximum number of times in 24 hours" in page

        traveller.shift(timedelta(hours=24))
        assert rep_a.post(resend_url(application_a)).status_code == 302


def test_resend_after_activation_is_a_409_and_sends_nothing(rep_a, application_a, outbox):
    Client.objects.filter(pk=application_a.client_id).update(activated_at=timezone.now())
    assert rep_a.post(resend_url(application_a)).status_code == 409
    assert outbox.emails == []
    assert not application_a.events.filter(
        action=ApplicationEvent.Action.CLIENT_PASSWORD_RESENT
    ).exists()


def test_resend_rejects_get(rep_a, application_a, outbox):
    assert rep_a.get(resend_url(application_a)).status_code == 405
    assert outbox.emails == []


def test_another_representative_gets_404_on_resend(rep_b, application_a, outbox):
    assert rep_b.post(resend_url(application_a)).status_code == 404
    assert outbox.emails == []


def test_correct_email_sends_the_invitation_to_the_new_address_and_the_old_password_dies(
    rep_a, application_a, outbox
):
    client = application_a.client
    old = issue_known_password(client)

    response = rep_a.post(
        email_url(application_a),
        {"email": "Right@Example.test", "email_confirm": "right@example.test"},
    )

    assert response.status_code == 302
    client.refresh_from_db()
    client.user.refresh_from_db()
    assert client.user.email == "right@example.test"
    assert not client_temporary_password_check(client=client, password=old)
    (invitation,) = outbox.to("right@example.test", "client_temporary_password")
    assert client_temporary_password_check(
        client=client, password=invitation["context"]["temporary_password"]
    )
    assert outbox.to("client-a@example.test", "client_email_changed")
    assert outbox.to("client-a@example.test", "client_temporary_password") == []
    application_a.principal_applicant.refresh_from_db()
    assert application_a.principal_applicant.email == "right@example.test"
    assert application_a.events.filter(
        action=ApplicationEvent.Action.CLIENT_EMAIL_CORRECTED
    ).exists()


def test_correct_email_refuses_an_address_used_by_another_account(rep_a, application_a, outbox):
    factories.make_client(email="taken@example.test")
    response = rep_a.post(
        email_url(application_a),
        {"email": "taken@example.test", "email_confirm": "taken@example.test"},
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("email", "email_taken")
    assert 'value="taken@example.test"' in response.content.decode()
    application_a.client.user.refresh_from_db()
    assert application_a.client.user.email == "client-a@example.test"
    assert outbox.emails == []


def test_correct_email_mismatch_keeps_input(rep_a, application_a, outbox):
    response = rep_a.post(
        email_url(application_a),
        {"email": "new@example.test", "email_confirm": "neww@example.test"},
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("email_confirm", "email_mismatch")
    assert 'value="new@example.test"' in response.content.decode()
    assert outbox.emails == []


def test_correct_email_refuses_a_representative_address(rep_a, application_a, outbox, rep_b_user):
    response = rep_a.post(
        email_url(application_a),
        {"email": "rep-b@example.test", "email_confirm": "rep-b@example.test"},
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("email", "email_not_client")


def test_correct_email_after_activation_is_409(rep_a, application_a, outbox):
    Client.objects.filter(pk=application_a.client_id).update(activated_at=timezone.now())
    assert rep_a.get(email_url(application_a)).status_code == 409
    response = rep_a.post(
        email_url(application_a), {"email": "new@example.test", "email_confirm": "new@example.test"}
    )
    assert response.status_code == 409
    assert outbox.emails == []


def test_correct_email_wrong_method_and_personas(rep_a, rep_b, anon, client_a, application_a):
    assert rep_a.put(email_url(application_a)).status_code == 405
    assert rep_b.get(email_url(application_a)).status_code == 404
    assert client_a.get(email_url(application_a)).status_code == 404
    assert anon.get(email_url(application_a)).status_code == 302


def test_temporary_password_check_refuses_expired_used_and_activated(application_a):
    client = application_a.client
    password = issue_known_password(client)
    now = timezone.now()
    assert client_temporary_password_check(client=client, password=password, now=now)
    assert not client_temporary_password_check(client=client, password="wrong-password", now=now)
    later = client.temporary_password_expires_at + timedelta(seconds=1)
    assert not client_temporary_password_check(client=client, password=password, now=later)
    client.temporary_password_used_at = now
    assert not client_temporary_password_check(client=client, password=password, now=now)
    client.temporary_password_used_at, client.activated_at = None, now
    assert not client_temporary_password_check(client=client, password=password, now=now)
