"""Journey: a visitor reads the public pages in both languages, switching with the keyboard only."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("path", ["", "privacy/", "terms/"])
def test_public_pages_are_accessible(page, lang, path):
    page.goto(f"/{lang}/{path}")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)


def tab_to(page, selector, limit=15):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(sel) => document.activeElement.matches(sel)", selector):
            return
    raise AssertionError(f"{selector} was not reachable with Tab")


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page):
    page.goto("/en/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"


def test_language_toggle_works_with_the_keyboard_and_keeps_the_page(page):
    page.goto("/en/privacy/")
    tab_to(page, "a.language-toggle")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/fr/privacy/$"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("a.language-toggle")).to_have_text("English")
    assert_accessible(page)

    tab_to(page, "a.language-toggle")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/en/privacy/$"))
