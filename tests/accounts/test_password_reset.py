"""Password reset: the same answer for known and unknown addresses; the link works once and
the new password follows the policy."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import TestCase

from tests import factories

pytestmark = pytest.mark.django_db

RESET = "/en/auth/password/reset/"
NEW_PASSWORD = "seven green lanterns glowing"


@pytest.fixture
def rep(rep_a_user):
    EmailAddress.objects.create(user=rep_a_user, email=rep_a_user.email, verified=True)
    return rep_a_user


def request_reset(client, email):
    # Emails leave through the outbox after commit: run those callbacks (the test never commits).
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(RESET, {"email": email})


def reset_link(message):
    return re.search(r"https?://[^/\s]+(/\S+/password/reset/key/\S+/)", message.body).group(1)


def test_known_and_unknown_addresses_get_the_same_page(anon, rep):
    known = request_reset(anon, rep.email)
    unknown = request_reset(anon, "nobody@example.test")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/en/auth/password/reset/done/"
    # Each address gets an email either way: a link, or "no account uses this address".
    assert [m.to for m in mail.outbox] == [[rep.email], ["nobody@example.test"]]
    assert "/password/reset/key/" in mail.outbox[0].body
    assert "/password/reset/key/" not in mail.outbox[1].body


def test_the_link_sets_a_new_password_once(anon, rep):
    request_reset(anon, rep.email)
    link = reset_link(mail.outbox[0])
    form_page = anon.get(link, follow=True)
    assert form_page.status_code == 200
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    response = anon.post(action, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    rep.refresh_from_db()
    assert rep.check_password(NEW_PASSWORD)
    assert "_auth_user_id" not in anon.session  # no automatic sign-in
    again = anon.get(link, follow=True)
    assert "This link no longer works" in again.content.decode()


def test_the_new_password_must_follow_the_policy(anon, rep):
    request_reset(anon, rep.email)
    form_page = anon.get(reset_link(mail.outbox[0]), follow=True)
    action = form_page.redirect_chain[-1][0]
    response = anon.post(action, {"password1": "password1234", "password2": "password1234"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    rep.refresh_from_db()
    assert rep.check_password(factories.PASSWORD)
