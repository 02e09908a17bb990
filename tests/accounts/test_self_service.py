"""Account self-service (issue 9 item 5): the Account page, password and email changes,
sessions, and who may change their own email."""

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.usersessions.models import UserSession
from django.contrib.auth import SESSION_KEY

from accounts.models import AuditEvent, OutboxEmail, User
from tests import factories
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a completely different passphrase 77"


def test_the_account_page_links_every_self_service_page(rep_a):
    response = rep_a.get("/en/account/")
    html = response.content.decode()
    assert response.status_code == 200
    for url in (
        "/en/auth/password/change/",
        "/en/auth/email/",
        "/en/auth/2fa/",
        "/en/auth/sessions/",
        "/en/help/requests/",
    ):
        assert f'href="{url}"' in html
    assert rep_a.get("/fr/account/").status_code == 200


def test_the_account_page_needs_a_sign_in_and_a_get(anon, rep_a):
    response = anon.get("/en/account/")
    assert response.status_code == 302 and response["Location"].startswith("/en/auth/login/")
    assert rep_a.post("/en/account/").status_code == 405


def test_a_client_sees_no_email_change_link(client_a):
    html = client_a.get("/en/account/").content.decode()
    assert 'href="/en/auth/email/"' not in html
    assert "Your representative manages the email address" in html


def test_a_client_cannot_open_the_email_page(client_a, client_a_user):
    response = client_a.get("/en/auth/email/")
    assert response.status_code == 403
    assert "Your representative manages your email address" in response.content.decode()
    response = client_a.post("/en/auth/email/", {"email": "new@example.test", "action_add": ""})
    assert response.status_code == 403
    assert not EmailAddress.objects.filter(email="new@example.test").exists()
    client_a_user.refresh_from_db()
    assert client_a_user.email == "client-a@example.test"


def test_the_adapter_refuses_a_clients_email_change_too(client_a_user, rf):
    from allauth.core import context
    from django.core.exceptions import ValidationError

    from accounts.adapters import AccountAdapter

    request = rf.post("/en/auth/email/")
    request.user = client_a_user
    with context.request_context(request), pytest.raises(ValidationError) as refused:
        AccountAdapter(request).clean_email("new@example.test")
    assert refused.value.code == "client_email_change"


# --- Password -------------------------------------------------------------------------------


def change_password(client, current=factories.PASSWORD, new=NEW_PASSWORD):
    return client.post(
        "/en/auth/password/change/",
        {"oldpassword": current, "password1": new, "password2": new},
    )


def test_password_change_needs_the_current_password(rep_a, rep_a_user):
    response = change_password(rep_a, current="wrong password entirely")
    assert response.status_code == 200
    assert "Please type your current password." in response.content.decode()
    rep_a_user.refresh_from_db()
    assert rep_a_user.check_password(factories.PASSWORD)
    assert not AuditEvent.objects.filter(action="auth.password_changed").exists()


def test_password_change_ends_the_other_sessions_and_keeps_this_one(
    rep_a, rep_a_user, django_capture_on_commit_callbacks
):
    other = signed_in(rep_a_user)
    other.get("/en/account/")  # both sessions are now listed
    rep_a.get("/en/account/")
    assert UserSession.objects.filter(user=rep_a_user).count() == 2
    other_key = other.session.session_key

    with django_capture_on_commit_callbacks(execute=True):
        response = change_password(rep_a)

    assert response.status_code == 302
    rep_a_user.refresh_from_db()
    assert rep_a_user.check_password(NEW_PASSWORD)
    assert rep_a.get("/en/account/").status_code == 200
    assert other.get("/en/account/")["Location"].startswith("/en/auth/login/")
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=other_key).exists()
    assert UserSession.objects.filter(user=rep_a_user).count() == 1
    ended = AuditEvent.objects.filter(action="session.ended", reason="password_changed")
    assert ended.count() == 1
    # The person is told by email.
    assert OutboxEmail.objects.filter(to="rep-a@example.test", key__contains="password_changed")


def test_password_change_is_audited_once_without_personal_data(rep_a, rep_a_user):
    change_password(rep_a)
    event = AuditEvent.objects.get(action="auth.password_changed")
    assert event.actor == rep_a_user and event.object_id == rep_a_user.public_id
    assert "example" not in event.canonical_content().decode()


# --- Email ----------------------------------------------------------------------------------


def verified(user):
    """As after sign-up: the account's address is confirmed and primary."""
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def test_an_email_change_waits_for_confirmation(
    rep_a, rep_a_user, django_capture_on_commit_callbacks
):
    verified(rep_a_user)
    response = rep_a.post("/en/auth/email/", {"email": "rep-a-new@example.test", "action_add": ""})
    # allauth asks for the password again first, then carries on with the change.
    assert response["Location"] == "/en/auth/reauthenticate/?next=%2Fen%2Fauth%2Femail%2F"
    assert not EmailAddress.objects.filter(email="rep-a-new@example.test").exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = rep_a.post(response["Location"], {"password": factories.PASSWORD})

    assert response.status_code == 302
    rep_a_user.refresh_from_db()
    assert rep_a_user.email == "rep-a@example.test"  # not yet
    pending = EmailAddress.objects.get(email="rep-a-new@example.test")
    assert not pending.verified and not pending.primary
    assert OutboxEmail.objects.filter(to="rep-a-new@example.test").exists()
    assert AuditEvent.objects.filter(action="auth.email_change_requested").count() == 1
    assert not AuditEvent.objects.filter(action="auth.email_changed").exists()
    # Signing in still uses the old address until the new one is confirmed.
    assert User.objects.get_by_natural_key("rep-a@example.test") == rep_a_user

    key = EmailConfirmationHMAC(pending).key
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = rep_a.post(f"/en/auth/confirm-email/{key}/")

    assert confirmed.status_code == 302
    rep_a_user.refresh_from_db()
    assert rep_a_user.email == "rep-a-new@example.test"
    assert list(EmailAddress.objects.filter(user=rep_a_user).values_list("email", flat=True)) == [
        "rep-a-new@example.test"
    ]
    event = AuditEvent.objects.get(action="auth.email_changed")
    assert event.actor == rep_a_user and "example" not in event.canonical_content().decode()
    # The old address is told about the change.
    assert OutboxEmail.objects.filter(to="rep-a@example.test", key__contains="email_changed")


def test_an_individual_applicant_may_change_their_email(db):
    individual = factories.make_user(role=User.Role.INDIVIDUAL, email="solo@example.test")
    client = signed_in(individual)
    assert client.get("/en/auth/email/").status_code == 200


# --- Sessions -------------------------------------------------------------------------------


def test_signing_out_everywhere_else_is_audited_per_session(rep_a, rep_a_user):
    others = [signed_in(rep_a_user) for _ in range(2)]
    for other in others:
        other.get("/en/account/")
    rep_a.get("/en/account/")

    rep_a.post("/en/auth/sessions/")

    assert all(
        other.get("/en/account/")["Location"].startswith("/en/auth/login/") for other in others
    )
    assert rep_a.session.get(SESSION_KEY) == str(rep_a_user.pk)
    ended = AuditEvent.objects.filter(action="session.ended", reason="ended_by_user")
    assert ended.count() == 2
    assert set(ended.values_list("actor", flat=True)) == {rep_a_user.pk}
