"""Individuals create their own client account (issue 10): email confirmation, the password
rules, MFA offered but not forced; and an individual's address cannot open a representative
account."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import TestCase

from accounts.models import User
from clients.models import Client
from tests.accounts.test_signup import GOOD_PASSWORD, confirmation_link
from tests.accounts.test_signup import sign_up as rep_sign_up

pytestmark = pytest.mark.django_db

SIGNUP = "/{lang}/individual/signup/"
CLIENT_MESSAGE = "This email address is already used by a client portal account."


def individual_sign_up(client, email, password=GOOD_PASSWORD, lang="en"):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            SIGNUP.format(lang=lang),
            {"email": email, "password1": password, "password2": password},
        )


def test_sign_in_page_links_to_the_individual_sign_up(anon):
    html = anon.get("/en/auth/login/").content.decode()
    assert "Not a representative?" in html
    assert 'href="/en/individual/signup/"' in html


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_page_says_who_it_is_for(anon, lang):
    response = anon.get(SIGNUP.format(lang=lang))
    assert response.status_code == 200
    title = "Create an individual account" if lang == "en" else "Créer un compte individuel"
    assert title in response.content.decode()


def test_sign_up_creates_an_active_client_that_must_confirm_the_email(anon):
    response = individual_sign_up(anon, "Ind@Example.test")
    assert response.status_code == 302
    assert response["Location"] == "/en/auth/confirm-email/"
    user = User.objects.get(email="ind@example.test")
    assert user.role == User.Role.CLIENT and not user.is_staff
    assert user.check_password(GOOD_PASSWORD)
    assert not user.needs_mfa  # offered, never forced
    client = Client.objects.get(user=user)
    assert client.activated_at is not None and client.temporary_password_hash == ""
    assert EmailAddress.objects.get(user=user).verified is False
    assert len(mail.outbox) == 1
    # Confirm by POST, then sign in: the client's own start page.
    anon.post(confirmation_link(mail.outbox[0]))
    assert EmailAddress.objects.get(user=user).verified is True
    signed_in = anon.post(
        "/en/auth/login/", {"login": "ind@example.test", "password": GOOD_PASSWORD}
    )
    assert signed_in.status_code == 302
    assert anon.get("/en/start/")["Location"] == "/en/client/"
    assert anon.get("/en/client/").status_code == 200


def test_weak_password_is_refused_and_nothing_is_created(anon):
    response = individual_sign_up(anon, "ind@example.test", password="password")
    assert response.status_code == 200
    assert response.context["form"].errors["password1"]
    assert not User.objects.filter(email="ind@example.test").exists()


def test_an_individual_address_cannot_open_a_representative_account(anon):
    individual_sign_up(anon, "ind@example.test")
    response = rep_sign_up(anon, "IND@example.test")
    assert response.status_code == 200
    assert CLIENT_MESSAGE in response.content.decode().replace("&#x27;", "'")
    assert User.objects.filter(email__iexact="ind@example.test").count() == 1


def test_a_representative_address_gets_no_second_account(anon, rep_a_user):
    response = individual_sign_up(anon, rep_a_user.email)
    # allauth's enumeration protection: the same answer as for a new address, no account.
    assert response.status_code == 302
    assert User.objects.filter(email__iexact=rep_a_user.email).count() == 1
    assert User.objects.get(email__iexact=rep_a_user.email).role == User.Role.REPRESENTATIVE
