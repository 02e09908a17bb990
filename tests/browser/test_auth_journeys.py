"""Journeys: a representative signs up and is made to enrol TOTP; a keyboard-only sign-in with
MFA; a staff member signs into the admin through allauth. axe runs on every page, in English
and French. These also prove tests.conftest.signed_in faithful: a real sign-in leaves the same
authentication records in the session."""

import re

import pytest
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.core import mail
from playwright.sync_api import expect

from accounts import session_policy
from accounts.models import User
from tests import factories
from tests.browser.conftest import assert_accessible
from tests.conftest import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSPHRASE = "seven green lanterns glowing"


def submit(page):
    page.locator("#main-content form button[type=submit]").first.click()


def visit(page, url_pattern):
    expect(page).to_have_url(re.compile(url_pattern))
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)


def session_of(page):
    cookie = next(c for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    return SessionStore(session_key=cookie["value"])


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_new_representative_signs_up_confirms_and_must_enrol_totp(page, lang):
    email = f"new-rep-{lang}@example.test"
    page.goto(f"/{lang}/auth/signup/")
    visit(page, rf"/{lang}/auth/signup/$")

    # A first try with a common password shows the error summary, then the right one.
    page.fill("#id_email", email)
    page.fill("#id_password1", "password1234")
    page.fill("#id_password2", "password1234")
    submit(page)
    expect(page.locator("[data-error-summary]")).to_be_focused()
    assert page.title().startswith("Error:" if lang == "en" else "Erreur")
    assert_accessible(page)
    expect(page.locator("#id_email")).to_have_value(email)
    page.fill("#id_password1", PASSPHRASE)
    page.fill("#id_password2", PASSPHRASE)
    submit(page)
    visit(page, rf"/{lang}/auth/confirm-email/$")

    link = re.search(r"https?://[^/\s]+(/\S+/confirm-email/[^/\s]+/)", mail.outbox[-1].body)[1]
    link = re.sub(r"^/(en|fr)/", f"/{lang}/", link)
    page.goto(link)
    visit(page, r"/confirm-email/.+/$")
    submit(page)
    visit(page, rf"/{lang}/auth/login/")
    assert EmailAddress.objects.get(email=email).verified

    page.fill("#id_login", email)
    page.fill("#id_password", PASSPHRASE)
    submit(page)
    # Enrolment is forced; allauth first asks for the password again.
    visit(page, rf"/{lang}/auth/reauthenticate/\?next=.*totp")
    page.fill("#id_password", PASSPHRASE)
    submit(page)
    visit(page, rf"/{lang}/auth/2fa/totp/activate/$")
    # Every other page sends them back here until they have enrolled.
    page.goto(f"/{lang}/privacy/")
    expect(page).to_have_url(re.compile(rf"/{lang}/auth/2fa/totp/activate/$"))

    secret = page.locator("#authenticator_secret").input_value()
    page.fill("#id_code", "123456" if factories.totp_code(secret) != "123456" else "654321")
    submit(page)
    expect(page.locator("[data-error-summary]")).to_be_visible()
    assert_accessible(page)
    page.fill("#id_code", factories.totp_code(secret))
    submit(page)
    visit(page, rf"/{lang}/auth/2fa/recovery-codes/$")
    expect(page.locator("#recovery_codes")).not_to_be_empty()

    page.locator("#main-content a.btn-primary").click()
    # A new representative's start page is their profile form (representatives.access).
    visit(page, rf"/{lang}/representative/profile/$")
    user = User.objects.get(email=email)
    assert user.role == User.Role.REPRESENTATIVE
    assert [r["method"] for r in session_of(page)[AUTHENTICATION_METHODS_SESSION_KEY]][-1] == "mfa"


def tab_to(page, selector, limit=30):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(sel) => document.activeElement.matches(sel)", selector):
            return
    raise AssertionError(f"{selector} was not reachable with Tab")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_keyboard_only_sign_in_with_mfa_leaves_the_session_the_helper_makes(page, lang):
    user = factories.make_representative(email=f"keys-{lang}@example.test").user
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    _authenticator, secret = factories.make_totp(user)

    page.goto(f"/{lang}/auth/login/?next=/{lang}/privacy/")
    visit(page, rf"/{lang}/auth/login/")
    tab_to(page, "#id_login")
    page.keyboard.type(user.email)
    tab_to(page, "#id_password")
    page.keyboard.type(factories.PASSWORD)
    page.keyboard.press("Enter")

    visit(page, rf"/{lang}/auth/2fa/authenticate/$")
    tab_to(page, "#id_code")
    page.keyboard.type(factories.totp_code(secret))
    page.keyboard.press("Enter")
    visit(page, rf"/{lang}/privacy/$")

    real = session_of(page)
    helper = signed_in(user).session
    for session in (real, helper):
        assert [r["method"] for r in session[AUTHENTICATION_METHODS_SESSION_KEY]] == [
            "password",
            "mfa",
        ]
        assert session[session_policy.AUTH_TIME_KEY] > 0
    real_mfa = real[AUTHENTICATION_METHODS_SESSION_KEY][1]
    helper_mfa = helper[AUTHENTICATION_METHODS_SESSION_KEY][1]
    assert {k: v for k, v in real_mfa.items() if k != "at"} == {
        k: v for k, v in helper_mfa.items() if k != "at"
    }


def test_staff_sign_into_the_admin_through_allauth_with_totp(page):
    staff = factories.make_staff(email="desk@example.test")
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
    _authenticator, secret = factories.make_totp(staff)

    page.goto("/en/staff-admin/")
    visit(page, r"/en/auth/login/\?next=%2Fen%2Fstaff-admin%2F$")
    page.fill("#id_login", staff.email)
    page.fill("#id_password", factories.PASSWORD)
    submit(page)
    visit(page, r"/en/auth/2fa/authenticate/$")
    page.fill("#id_code", factories.totp_code(secret))
    submit(page)
    expect(page).to_have_url(re.compile(r"/en/staff-admin/$"))
    expect(page.locator("#site-name")).to_be_visible()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_account_pages_are_accessible(page, live_server, rep_a_user, lang):
    client = signed_in(rep_a_user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    for path in ("auth/sessions/", "auth/2fa/", "auth/password/change/", "auth/email/"):
        page.goto(f"/{lang}/{path}")
        visit(page, rf"/{lang}/{path}$")
    page.goto(f"/{lang}/auth/2fa/recovery-codes/")
    visit(page, rf"/{lang}/auth/reauthenticate/")  # seeing the codes again needs the password
    page.fill("#id_password", factories.PASSWORD)
    submit(page)
    visit(page, rf"/{lang}/auth/2fa/recovery-codes/$")
    page.goto(f"/{lang}/auth/logout/")
    visit(page, rf"/{lang}/auth/logout/$")
    submit(page)
    expect(page).to_have_url(re.compile(rf"/{lang}/$"))
