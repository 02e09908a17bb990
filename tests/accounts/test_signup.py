"""Representative sign-up: one email, one account across kinds; mandatory email confirmation
by POST; the password policy applies."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import TestCase

from accounts.models import User
from tests import factories

pytestmark = pytest.mark.django_db

SIGNUP = "/en/auth/signup/"
GOOD_PASSWORD = "maple syrup on snowy tuesdays"
CLIENT_MESSAGE = "This email address is already used by a client portal account."


def sign_up(client, email, password=GOOD_PASSWORD, password2=None, lang="en"):
    # Emails leave through the outbox after commit: run those callbacks (the test never commits).
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            f"/{lang}/auth/signup/",
            {"email": email, "password1": password, "password2": password2 or password},
        )


def confirmation_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+/confirm-email/[^/\s]+/)", message.body).group(1)


def test_sign_up_page_explains_who_it_is_for(anon):
    response = anon.get(SIGNUP)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Create a representative account" in html
    assert 'for="id_email"' in html and 'for="id_password1"' in html


def test_sign_up_creates_an_unverified_representative_and_sends_a_confirmation(anon):
    response = sign_up(anon, "New.Rep@Example.test")
    assert response.status_code == 302
    assert response["Location"] == "/en/auth/confirm-email/"
    user = User.objects.get(email__iexact="new.rep@example.test")
    assert user.email == "new.rep@example.test"
    assert user.role == User.Role.REPRESENTATIVE
    assert user.check_password(GOOD_PASSWORD)
    assert EmailAddress.objects.get(user=user).verified is False
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.rep@example.test"]
    assert "_auth_user_id" not in anon.session


def test_confirmation_link_shows_a_form_and_only_a_post_confirms(anon):
    sign_up(anon, "new-rep@example.test")
    link = confirmation_link(mail.outbox[0])
    page = anon.get(link)
    assert page.status_code == 200
    assert 'method="post"' in page.content.decode()
    address = EmailAddress.objects.get(email="new-rep@example.test")
    assert address.verified is False
    response = anon.post(link)
    assert response.status_code == 302
    address.refresh_from_db()
    assert address.verified is True


def test_unconfirmed_representative_cannot_sign_in(anon):
    sign_up(anon, "new-rep@example.test")
    response = anon.post(
        "/en/auth/login/", {"login": "new-rep@example.test", "password": GOOD_PASSWORD}
    )
    assert response["Location"] == "/en/auth/confirm-email/"
    assert "_auth_user_id" not in anon.session


@pytest.mark.parametrize("typed", ["client-a@example.test", "CLIENT-A@Example.TEST"])
def test_an_email_of_a_client_account_is_refused_with_an_explanation(anon, client_a_user, typed):
    response = sign_up(anon, typed)
    html = response.content.decode()
    assert response.status_code == 200
    assert CLIENT_MESSAGE in html
    assert "technical-issue web form" in html
    assert "not transferred" in html
    assert "There is a problem" in html
    assert f'value="{typed}"' in html  # what was typed is kept
    assert User.objects.filter(email__iexact=typed).count() == 1
    assert mail.outbox == []
    errors = response.context["form"].errors.as_data()["email"]
    assert [error.code for error in errors] == ["email_belongs_to_client"]


def test_a_client_address_listed_only_in_allauth_is_refused_too(anon):
    client_user = factories.make_user(role=User.Role.CLIENT, email="primary@example.test")
    EmailAddress.objects.create(user=client_user, email="second@example.test", verified=True)
    response = sign_up(anon, "Second@example.test")
    assert CLIENT_MESSAGE in response.content.decode()


def test_the_client_rule_is_explained_in_french(anon, client_a_user):
    html = sign_up(anon, "client-a@example.test", lang="fr").content.decode()
    assert "Cette adresse courriel est déjà utilisée par un compte du portail client." in html


def test_an_existing_representative_email_gets_the_same_answer_as_a_new_one(anon, rep_a_user):
    new = sign_up(anon, "brand-new@example.test")
    mail.outbox.clear()
    existing = sign_up(anon, "REP-A@example.test")
    assert (existing.status_code, existing["Location"]) == (new.status_code, new["Location"])
    assert User.objects.filter(email__iexact="rep-a@example.test").count() == 1
    assert len(mail.outbox) == 1  # "you already have an account" goes to the owner
    assert mail.outbox[0].to == ["rep-a@example.test"]


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("elevenchars", "password_too_short"),
        ("password1234", "password_too_common"),
        ("canada123456", "password_context_word"),
        ("314159265358979", "password_entirely_numeric"),
    ],
)
def test_weak_passwords_are_refused_and_nothing_is_created(anon, password, code):
    response = sign_up(anon, "new-rep@example.test", password=password)
    assert response.status_code == 200
    codes = [error.code for error in response.context["form"].errors.as_data()["password1"]]
    assert code in codes
    assert not User.objects.filter(email="new-rep@example.test").exists()


def test_mismatched_passwords_are_refused(anon):
    response = sign_up(anon, "new-rep@example.test", password2="maple syrup on snowy mondays")
    assert response.status_code == 200
    assert not User.objects.exists()


def test_signed_up_representatives_are_never_clients_or_staff(anon):
    anon.post(
        SIGNUP,
        {
            "email": "sneaky@example.test",
            "password1": GOOD_PASSWORD,
            "password2": GOOD_PASSWORD,
            "role": "staff",
            "is_staff": "on",
            "is_superuser": "on",
        },
    )
    user = User.objects.get(email="sneaky@example.test")
    assert (user.role, user.is_staff, user.is_superuser) == ("representative", False, False)
