"""Journeys: the Account page and its self-service pages, and a security key (passkey) added
with Chromium's virtual authenticator, then used to sign in. axe on every page, EN and FR."""

import re

import pytest
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from playwright.sync_api import expect

from accounts.models import AuditEvent, OutboxEmail
from tests import factories
from tests.browser.conftest import assert_accessible
from tests.conftest import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def visit(page, url_pattern):
    expect(page).to_have_url(re.compile(url_pattern))
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)


def sign_in_browser(page, live_server, user):
    cookie = signed_in(user).cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_account_page_and_its_pages_are_accessible(page, live_server, lang, rep_a_user):
    sign_in_browser(page, live_server, rep_a_user)
    page.goto(f"/{lang}/account/")
    visit(page, rf"/{lang}/account/$")
    for path in ("auth/password/change/", "auth/email/", "auth/2fa/", "auth/sessions/"):
        page.locator(f'#main-content a[href="/{lang}/{path}"]').first.click()
        visit(page, rf"/{lang}/{path}$")
        page.goto(f"/{lang}/account/")
    page.locator(f'#main-content a[href="/{lang}/help/requests/"]').click()
    visit(page, rf"/{lang}/help/requests/$")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_client_is_told_who_manages_their_email(page, live_server, lang, client_a_user):
    sign_in_browser(page, live_server, client_a_user)
    page.goto(f"/{lang}/account/")
    visit(page, rf"/{lang}/account/$")
    expect(page.locator(f'#main-content a[href="/{lang}/auth/email/"]')).to_have_count(0)
    page.goto(f"/{lang}/auth/email/")
    visit(page, rf"/{lang}/auth/email/$")


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_mfa_reset_pages_are_accessible(page, lang):
    user = factories.make_representative(email=f"lost-{lang}@example.test").user
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    factories.make_totp(user)
    page.goto(f"/{lang}/account/mfa-reset/")
    visit(page, rf"/{lang}/account/mfa-reset/$")
    page.goto(f"/{lang}/auth/login/")
    page.fill("#id_login", user.email)
    page.fill("#id_password", factories.PASSWORD)
    page.locator("#main-content form button[type=submit]").first.click()
    visit(page, rf"/{lang}/auth/2fa/authenticate/$")
    page.locator(f'a[href="/{lang}/account/mfa-reset/"]').click()
    visit(page, rf"/{lang}/account/mfa-reset/$")
    page.locator("#id_confirm").check()
    page.locator("#main-content form button[type=submit]").click()
    visit(page, rf"/{lang}/account/mfa-reset/sent/$")
    assert user.mfa_reset_requests.count() == 1


def test_a_security_key_is_added_then_used_to_sign_in(page, live_server):
    user = factories.make_representative(email="keys@example.test").user
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    factories.make_totp(user)
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {"options": {"protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
                     "hasUserVerification": True, "isUserVerified": True}},
    )  # fmt: skip
    sign_in_browser(page, live_server, user)

    page.goto("/en/auth/2fa/")
    visit(page, r"/en/auth/2fa/$")
    page.goto("/en/auth/2fa/webauthn/add/")
    visit(page, r"/en/auth/reauthenticate/")  # adding a key needs the password again
    page.fill("#id_password", factories.PASSWORD)
    page.locator("#main-content form button[type=submit]").first.click()
    visit(page, r"/en/auth/2fa/webauthn/add/$")
    page.locator("#mfa_webauthn_add").click()
    expect(page).not_to_have_url(re.compile(r"/webauthn/add/$"))
    assert_accessible(page)
    assert Authenticator.objects.filter(user=user, type="webauthn").count() == 1
    assert AuditEvent.objects.filter(action="mfa.added", reason="webauthn").count() == 1
    assert OutboxEmail.objects.filter(to=user.email, key__contains="webauthn_added").exists()

    # Sign out, then sign in with the password and the key instead of a code.
    page.locator("header form[action$='/auth/logout/'] button").click()
    page.goto("/en/auth/login/")
    page.fill("#id_login", user.email)
    page.fill("#id_password", factories.PASSWORD)
    page.locator("#main-content form button[type=submit]").first.click()
    visit(page, r"/en/auth/2fa/authenticate/$")
    page.locator("#mfa_webauthn_authenticate").click()
    expect(page).not_to_have_url(re.compile(r"/2fa/authenticate/$"))
    cookie = next(c for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    records = SessionStore(session_key=cookie["value"])[AUTHENTICATION_METHODS_SESSION_KEY]
    assert [r.get("type") for r in records if r["method"] == "mfa"] == ["webauthn"]
    row = AuditEvent.objects.get(action="auth.logged_in")
    assert row.reason == "password+webauthn"
