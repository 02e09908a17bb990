"""Playwright journeys in Debian's headless Chromium against pytest-django's live server."""

import os
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: .ci/run installs it with apt")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-CA")
    page = context.new_page()
    page.set_default_timeout(15_000)
    csp_violations = []
    page.on(
        "console",
        lambda msg: (
            csp_violations.append(msg.text) if "Content Security Policy" in msg.text else None
        ),
    )
    yield page
    context.close()
    assert not csp_violations, f"CSP violations: {csp_violations}"


_axe = Axe()


def assert_accessible(page, *, preload: bool = True):
    """Fail on any serious or critical axe violation on the page as it is now.

    ``preload=False`` is for Django admin forms: axe re-reads stylesheets that ``@import``
    others (the admin's forms.css) by inserting them as inline ``<style>``, which our CSP
    rightly blocks; preloading only feeds axe's CSS orientation-lock rule.
    """
    options = {"resultTypes": ["violations"]}  # axe-playwright-python's default
    if not preload:
        options["preload"] = False
    results = _axe.run(page, options=options)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    details = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:5])
        for v in bad
    )
    assert not bad, f"Accessibility violations on {page.url}:\n{details}"


def signed_in_page(browser, live_server, user):
    """A new browser context signed in as ``user`` (the session ``tests.conftest.signed_in``
    makes, as a real sign-in leaves it) and its page; close the context when done."""
    from django.conf import settings

    from tests.conftest import signed_in

    context = browser.new_context(base_url=live_server.url, locale="en-CA")
    cookie = signed_in(user).cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page
