"""A client's first sign-in with the temporary password, then their own password at once
(issue 7 item 1; QUALITY.md §2): once only, expiry message, "stays invited", activation."""

import datetime as dt
from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.test import Client as Browser
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from applications.models import ApplicationEvent
from clients.models import Client
from clients.services import (
    TemporaryPasswordUse,
    client_password_set,
    client_temporary_password_resend,
    client_temporary_password_use,
)
from tests import factories

pytestmark = pytest.mark.django_db

LOGIN = "/en/auth/login/"
TEMPORARY = "Tmp7KnownPass9x"
NEW_PASSWORD = "maple syrup over granite 77"
EXPIRED_TEXT = "This temporary password has expired. Ask your representative to resend it"
USED_TEXT = "This temporary password was already used, and it works only once."


@pytest.fixture
def invited(db):
    """An invited client (no password of their own) with a known temporary password, and
    their application."""
    user = factories.make_user(role="client", email="invited@example.test", password=None)
    client = factories.make_client(user=user, temporary_password_hash=make_password(TEMPORARY))
    application = factories.make_application(client=client, family_name="Invited")
    return client, application


def sign_in(browser, email="invited@example.test", password=TEMPORARY):
    return browser.post(LOGIN, {"login": email, "password": password})


def test_the_temporary_password_signs_in_once_and_leads_to_choosing_a_password(invited):
    client, application = invited
    browser = Browser()
    response = sign_in(browser)
    assert response.status_code == 302
    client.refresh_from_db()
    assert client.temporary_password_used_at is not None
    assert client.activated_at is None
    # The address counts as verified: the password was emailed to it.
    assert EmailAddress.objects.filter(user=client.user, verified=True, primary=True).exists()
    # Every page now sends the client to the set-password page.
    for url in (
        reverse("clients:home"),
        reverse("clients:application", args=[application.public_id]),
        reverse("accounts:account"),
        reverse("accounts:start"),
    ):
        response = browser.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == reverse("clients:set_password")
    assert browser.get(reverse("clients:set_password")).status_code == 200
    # A second sign-in with the same temporary password is refused with its own message.
    second = sign_in(Browser())
    assert second.status_code == 200
    assert USED_TEXT in second.content.decode()


def test_an_expired_temporary_password_says_to_ask_for_a_resend(invited):
    client, _application = invited
    Client.objects.filter(pk=client.pk).update(
        temporary_password_expires_at=timezone.now() - timedelta(minutes=1)
    )
    response = sign_in(Browser())
    assert response.status_code == 200
    assert EXPIRED_TEXT in response.content.decode()
    client.refresh_from_db()
    assert client.temporary_password_used_at is None
    assert AuditEvent.objects.filter(action="auth.login_failed", outcome="failure").exists()


def test_a_wrong_password_gets_the_ordinary_message_and_reveals_nothing(invited):
    client, _application = invited
    Client.objects.filter(pk=client.pk).update(
        temporary_password_expires_at=timezone.now() - timedelta(minutes=1)
    )
    body = sign_in(Browser(), password="not the temporary one").content.decode()
    assert EXPIRED_TEXT not in body
    assert "not correct" in body


def test_the_expiry_is_the_configured_number_of_hours(invited, settings):
    client, _application = invited
    sent = timezone.now()
    Client.objects.filter(pk=client.pk).update(
        temporary_password_sent_at=sent,
        temporary_password_expires_at=sent
        + timedelta(hours=settings.CLIENT_TEMPORARY_PASSWORD_HOURS),
    )
    client.refresh_from_db()
    just_after = client.temporary_password_expires_at + timedelta(seconds=1)
    outcome = client_temporary_password_use(client=client, password=TEMPORARY, now=just_after)
    assert outcome == TemporaryPasswordUse.EXPIRED
    just_before = client.temporary_password_expires_at - timedelta(seconds=1)
    outcome = client_temporary_password_use(client=client, password=TEMPORARY, now=just_before)
    assert outcome == TemporaryPasswordUse.OK


def test_used_without_a_new_password_stays_invited_and_can_be_resent(invited, rep_a_user, outbox):
    client, _application = invited
    assert client_temporary_password_use(client=client, password=TEMPORARY) == "ok"
    client.refresh_from_db()
    later = timezone.now() + timedelta(hours=100)  # past the old expiry too
    assert client.access_state(later) == Client.AccessState.INVITED
    client_temporary_password_resend(client=client, actor=rep_a_user, name="Invited")
    client.refresh_from_db()
    assert client.temporary_password_used_at is None
    new_password = outbox.to("invited@example.test", "client_temporary_password")[-1]["context"][
        "temporary_password"
    ]
    assert client_temporary_password_use(client=client, password=new_password) == "ok"
    assert client_temporary_password_use(client=client, password=TEMPORARY) == "wrong"


def test_setting_the_password_activates_records_and_emails(invited, outbox):
    client, application = invited
    browser = Browser()
    sign_in(browser)
    response = browser.post(
        reverse("clients:set_password"), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("clients:home")
    client.refresh_from_db()
    assert client.activated_at is not None
    assert client.temporary_password_hash == ""
    assert client.access_state() == Client.AccessState.ACTIVE
    assert client.user.check_password(NEW_PASSWORD)
    # Still signed in (the session follows the new password hash), now let through.
    assert browser.get(reverse("clients:home")).status_code == 200
    assert ApplicationEvent.objects.filter(
        application=application, action=ApplicationEvent.Action.CLIENT_ACTIVATED
    ).exists()
    assert AuditEvent.objects.filter(action="client.activated").exists()
    assert outbox.to("invited@example.test", "client_account_activated")
    # The page is gone once the password is set; the own password signs in from now on.
    assert browser.get(reverse("clients:set_password"))["Location"] == reverse("clients:home")
    fresh = Browser()
    assert sign_in(fresh, password=NEW_PASSWORD).status_code == 302
    assert fresh.get(reverse("clients:home")).status_code == 200
    assert USED_TEXT not in sign_in(Browser()).content.decode()


def test_the_new_password_follows_the_same_rules(invited):
    client, _application = invited
    browser = Browser()
    sign_in(browser)
    response = browser.post(
        reverse("clients:set_password"), {"password1": "short", "password2": "short"}
    )
    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()
    response = browser.post(
        reverse("clients:set_password"),
        {"password1": "invited@example.test1", "password2": "invited@example.test1"},
    )
    assert response.status_code == 200
    client.refresh_from_db()
    assert client.activated_at is None


def test_password_set_is_refused_once_active(invited):
    client, _application = invited
    client_password_set(client=client, password=NEW_PASSWORD)
    from accounts.errors import WrongState

    with pytest.raises(WrongState):
        client_password_set(client=client, password=NEW_PASSWORD + "x")


def test_a_client_signed_in_with_the_temporary_password_has_a_2_hour_session(invited):
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    client, _application = invited
    Client.objects.filter(pk=client.pk).update(
        temporary_password_expires_at=start + timedelta(hours=72)
    )
    with time_machine.travel(start, tick=False) as clock:
        browser = Browser()
        sign_in(browser)
        browser.post(
            reverse("clients:set_password"),
            {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )
        for _ in range(5):
            clock.shift(timedelta(minutes=20))
            assert browser.get(reverse("clients:home")).status_code == 200
        clock.shift(timedelta(minutes=20, seconds=1))
        response = browser.get(reverse("clients:home"))
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)


def test_a_client_with_an_authenticator_must_use_it(invited):
    """Two-step verification is optional for clients, and enforced once they enrol."""
    client, _application = invited
    client_temporary_password_use(client=client, password=TEMPORARY)
    client_password_set(client=client, password=NEW_PASSWORD)
    factories.make_totp(client.user)
    browser = Browser()
    response = sign_in(browser, password=NEW_PASSWORD)
    assert response.status_code == 302
    assert "/auth/2fa/authenticate/" in response["Location"]
    assert not client.user.needs_mfa
