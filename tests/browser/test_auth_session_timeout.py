"""The session-timeout dialog (QUALITY.md §2, §10): opens 20 minutes after the last activity,
counts down, "Continue session" renews on the server, Escape never ends the session, at zero
the page lets autosave flush and lands on the signed-out page. Keyboard only; axe on the open
dialog in English and French. The page's clock is Playwright's fake clock; the server's is real."""

import re

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from accounts import session_policy
from tests.browser.conftest import assert_accessible
from tests.conftest import signed_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def rep_page(page, live_server, rep_a_user):
    """A browser signed in as representative A, with the page clock under the test's control."""
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
    page.clock.install()
    page.session_key = client.session.session_key
    return page


def focused_text(page):
    return page.evaluate("document.activeElement.textContent.trim()")


@pytest.mark.parametrize(
    ("lang", "continue_label", "minutes_left"),
    [
        ("en", "Continue session", "5 minutes left."),
        ("fr", "Continuer la session", "Il reste 5 minutes."),
    ],
)
def test_dialog_opens_after_20_minutes_and_continue_renews_the_session(
    rep_page, lang, continue_label, minutes_left
):
    page = rep_page
    page.goto(f"/{lang}/auth/sessions/")
    dialog = page.locator("#session-timeout")
    page.clock.run_for("19:50")  # the server's clock has run a second or two since sign-in
    expect(dialog).not_to_be_visible()
    page.clock.run_for("00:10")
    expect(dialog).to_be_visible()
    assert focused_text(page) == continue_label
    expect(page.locator("[data-session-announce]")).to_have_text(minutes_left)
    # The countdown ends 10 seconds before the server would, leaving time for a last save.
    expect(page.locator("[data-session-countdown]")).to_have_text(re.compile(r"^4:[45]\d$"))
    assert_accessible(page)

    page.clock.run_for("01:00")
    expect(page.locator("[data-session-countdown]")).to_have_text(re.compile(r"^3:[45]\d$"))
    expect(page.locator("[data-session-announce]")).to_have_text(minutes_left.replace("5", "4"))

    before = Session.objects.get(session_key=page.session_key).get_decoded()
    with page.expect_response(re.compile(r"/session/keepalive/$")) as keepalive:
        page.keyboard.press("Enter")
    assert keepalive.value.status == 204
    expect(dialog).not_to_be_visible()
    after = Session.objects.get(session_key=page.session_key).get_decoded()
    assert after[session_policy.LAST_ACTIVITY_KEY] > before[session_policy.LAST_ACTIVITY_KEY]

    # The timers start again from the renewal.
    page.clock.run_for("19:50")
    expect(dialog).not_to_be_visible()
    page.clock.run_for("00:15")
    expect(dialog).to_be_visible()


def test_escape_keeps_the_session(rep_page):
    page = rep_page
    page.goto("/en/auth/sessions/")
    page.clock.run_for("20:00")
    expect(page.locator("#session-timeout")).to_be_visible()
    with page.expect_response(re.compile(r"/session/keepalive/$")) as keepalive:
        page.keyboard.press("Escape")
    assert keepalive.value.status == 204
    expect(page.locator("#session-timeout")).not_to_be_visible()
    expect(page).to_have_url(re.compile(r"/en/auth/sessions/$"))
    assert Session.objects.filter(session_key=page.session_key).exists()


def test_focus_returns_to_where_it_was(rep_page):
    page = rep_page
    page.goto("/en/auth/sessions/")
    page.keyboard.press("Tab")  # the skip link
    page.clock.run_for("20:00")
    expect(page.locator("#session-timeout")).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("#session-timeout")).not_to_be_visible()
    assert page.evaluate("document.activeElement.classList.contains('skip-link')")


def test_end_session_now_signs_out_with_the_keyboard(rep_page):
    page = rep_page
    page.goto("/en/auth/sessions/")
    page.clock.run_for("20:00")
    page.keyboard.press("Tab")
    assert focused_text(page) == "End session now"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/en/$"))
    expect(page.locator("header a.btn", has_text="Sign in")).to_be_visible()
    assert not Session.objects.filter(session_key=page.session_key).exists()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_at_zero_autosave_may_flush_then_the_signed_out_page_opens(rep_page, lang):
    page = rep_page
    page.goto(f"/{lang}/privacy/")
    page.evaluate(
        """() => document.addEventListener("session:expiring", (event) => {
            window.__flushed = "started";
            event.detail.waitUntil(new Promise((resolve) => setTimeout(() => {
                window.__flushed = "done"; resolve();
            }, 1000)));
        })"""
    )
    page.clock.run_for("24:40")
    expect(page).to_have_url(re.compile(rf"/{lang}/privacy/$"))
    assert page.evaluate("window.__flushed") is None
    for _second in range(20):  # zero is 10 s before the server's expiry, within a second or two
        page.clock.run_for(1000)
        if page.evaluate("window.__flushed"):
            break
    # The page waits for the flush before it signs out.
    assert page.evaluate("window.__flushed") == "started"
    expect(page).to_have_url(re.compile(rf"/{lang}/privacy/$"))
    with page.expect_navigation():
        page.clock.run_for(1000)
    expect(page).to_have_url(re.compile(rf"/{lang}/signed-out/\?next=%2F{lang}%2Fprivacy%2F$"))
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)
    assert not Session.objects.filter(session_key=page.session_key).exists()
    sign_in = page.locator("#main-content a.btn-primary")
    expect(sign_in).to_have_attribute("href", f"/{lang}/auth/login/?next=/{lang}/privacy/")
