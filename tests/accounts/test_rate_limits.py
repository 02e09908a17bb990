"""allauth's rate limits: 5 failed sign-ins per account per 15 minutes (10 a minute per IP),
on the portal sign-in and the admin sign-in, which goes through allauth."""

import datetime as dt

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.test import Client

from tests import factories

pytestmark = pytest.mark.django_db

LOGIN = "/en/auth/login/"
BLOCKED = "Too many failed login attempts. Try again later."


@pytest.fixture
def client_user():
    from accounts.models import User

    user = factories.make_user(role=User.Role.CLIENT, email="target@example.test")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def attempt(client, email, password, **extra):
    return client.post(LOGIN, {"login": email, "password": password}, **extra)


def test_sixth_attempt_on_one_account_is_blocked_even_with_the_right_password(client_user):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        for n in range(5):
            client = Client(REMOTE_ADDR=f"10.0.0.{n + 1}")  # different addresses, same account
            response = attempt(client, client_user.email, f"wrong password number {n}")
            assert BLOCKED not in response.content.decode()
        response = attempt(Client(REMOTE_ADDR="10.0.0.99"), client_user.email, factories.PASSWORD)
        assert response.status_code == 200
        assert BLOCKED in response.content.decode()
        assert "_auth_user_id" not in response.client.session
        # The limit lifts once the window has passed.
        clock.shift(dt.timedelta(minutes=16))
        response = attempt(Client(), client_user.email, factories.PASSWORD)
        assert response.status_code == 302


def test_the_limit_is_per_account_case_insensitively(client_user):
    for n in range(5):
        attempt(Client(), "TARGET@example.test", f"wrong password number {n}")
    response = attempt(Client(), "target@EXAMPLE.test", factories.PASSWORD)
    assert BLOCKED in response.content.decode()


def test_one_address_is_limited_across_accounts():
    client = Client(REMOTE_ADDR="10.9.9.9")
    for n in range(10):
        attempt(client, f"someone-{n}@example.test", "wrong password here")
    response = attempt(client, "someone-else@example.test", "wrong password here")
    assert BLOCKED in response.content.decode()


def test_a_spoofed_forwarded_for_header_does_not_change_the_key():
    client = Client(REMOTE_ADDR="10.8.8.8")
    for n in range(10):
        attempt(client, f"someone-{n}@example.test", "wrong", HTTP_X_FORWARDED_FOR=f"1.2.3.{n}")
    response = attempt(client, "other@example.test", "wrong", HTTP_X_FORWARDED_FOR="5.6.7.8")
    assert BLOCKED in response.content.decode()


def test_the_admin_sign_in_is_allauth_and_shares_the_limit(staff_user):
    EmailAddress.objects.create(user=staff_user, email=staff_user.email, verified=True)
    anon = Client()
    admin_login = anon.get("/en/staff-admin/login/?next=/en/staff-admin/")
    assert admin_login.status_code == 302
    assert admin_login["Location"] == "/en/auth/login/?next=%2Fen%2Fstaff-admin%2F"
    # Posting credentials to Django's own admin form does nothing: it only redirects.
    posted = anon.post(
        "/en/staff-admin/login/", {"username": staff_user.email, "password": factories.PASSWORD}
    )
    assert posted.status_code == 302 and "_auth_user_id" not in anon.session
    for n in range(5):
        anon.post(
            "/en/auth/login/?next=/en/staff-admin/",
            {"login": staff_user.email, "password": f"wrong password number {n}"},
        )
    response = anon.post(
        "/en/auth/login/?next=/en/staff-admin/",
        {"login": staff_user.email, "password": factories.PASSWORD},
    )
    assert BLOCKED in response.content.decode()


def test_wrong_totp_codes_are_limited_too(rep_a_user):
    EmailAddress.objects.create(user=rep_a_user, email=rep_a_user.email, verified=True)
    _authenticator, secret = factories.make_totp(rep_a_user)
    client = Client()
    attempt(client, rep_a_user.email, factories.PASSWORD)
    for _ in range(5):
        client.post("/en/auth/2fa/authenticate/", {"code": "000000"})
    response = client.post("/en/auth/2fa/authenticate/", {"code": factories.totp_code(secret)})
    assert BLOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session
