"""Client invitation services: temporary passwords, access states, refusals."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from clients.models import Client
from clients.services import (
    TEMPORARY_PASSWORD_ALPHABET,
    ClientEmailNotAllowed,
    client_invite,
    client_temporary_password_check,
    temporary_password_generate,
)
from tests import factories

pytestmark = pytest.mark.django_db


def test_temporary_passwords_are_long_random_and_unambiguous():
    passwords = {temporary_password_generate() for _ in range(200)}
    assert len(passwords) == 200
    for password in passwords:
        assert len(password) >= 12 and set(password) <= set(TEMPORARY_PASSWORD_ALPHABET)
    assert not set("0O1lI") & set(TEMPORARY_PASSWORD_ALPHABET)


def test_invite_creates_an_invited_client_with_only_a_hash(outbox, rep_a_user):
    invitation = client_invite(email=" New@Example.test ", name="New Person", actor=rep_a_user)
    client = invitation.client
    assert invitation.created
    assert client.user.email == "new@example.test" and client.user.role == User.Role.CLIENT
    assert not client.user.has_usable_password()
    (email,) = outbox.emails
    password = email["context"]["temporary_password"]
    assert password not in client.temporary_password_hash
    assert client_temporary_password_check(client=client, password=password)
    assert email["context"]["name"] == "New Person"
    assert set(email["context"]) == {"name", "temporary_password", "expires_at", "hours"}


def test_invite_reuses_an_existing_client(outbox, rep_a_user):
    existing = factories.make_client(email="old@example.test")
    invitation = client_invite(email="OLD@example.test", name="X", actor=rep_a_user)
    assert invitation.client == existing and not invitation.created
    assert outbox.emails == []


def test_invite_refuses_a_representative_address(outbox, rep_a_user, rep_b_user):
    with pytest.raises(ClientEmailNotAllowed):
        client_invite(email="rep-b@example.test", name="X", actor=rep_a_user)
    assert not Client.objects.exists()


def test_access_states(rep_a_user):
    now = timezone.now()
    client = factories.make_client()
    assert client.access_state(now) == Client.AccessState.INVITED
    client.temporary_password_expires_at = now - timedelta(seconds=1)
    assert client.access_state(now) == Client.AccessState.TEMPORARY_PASSWORD_EXPIRED
    client.activated_at = now
    assert client.access_state(now) == Client.AccessState.ACTIVE


def test_the_password_expires_at_72_hours_by_default(outbox, rep_a_user, settings):
    assert settings.CLIENT_TEMPORARY_PASSWORD_HOURS == 72
    invitation = client_invite(email="t@example.test", name="T", actor=rep_a_user)
    client = invitation.client
    password = outbox.emails[0]["context"]["temporary_password"]
    expiry = client.temporary_password_expires_at
    assert expiry - client.temporary_password_sent_at == timedelta(hours=72)
    assert client_temporary_password_check(
        client=client, password=password, now=expiry - timedelta(seconds=1)
    )
    assert not client_temporary_password_check(
        client=client, password=password, now=expiry + timedelta(seconds=1)
    )


def test_the_invitation_is_bilingual_with_a_sign_in_link_per_language(outbox, rep_a_user):
    from accounts.models import OutboxEmail

    client_invite(email="both@example.test", name="Both Languages", actor=rep_a_user)
    password = outbox.emails[0]["context"]["temporary_password"]
    row = OutboxEmail.objects.get(to="both@example.test")
    assert row.body_text.count(password) == 2  # once in each language
    assert "/en/auth/login/" in row.body_text and "/fr/auth/login/" in row.body_text
    assert "Both Languages" in row.body_text and password in row.body_html
