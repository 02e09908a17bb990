"""Journey: a visitor searches the Help Centre and opens the guides, in both languages."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.mark.parametrize(("lang", "words", "expected"), [
    ("en", "temporary password", "I received a temporary password"),
    ("fr", "mot de passe temporaire", "J’ai reçu un mot de passe temporaire"),
])  # fmt: skip
def test_search_the_help_centre_with_the_keyboard(page, lang, words, expected):
    page.goto(f"/{lang}/help/")
    assert_accessible(page)
    page.locator("#help-search").focus()
    page.keyboard.type(words)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"\?q="))
    summary = page.locator("summary", has_text=expected)
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.locator("details[open]")).to_have_count(1)
    assert_accessible(page)
    page.goto(f"/{lang}/help/guides/")
    expect(page.locator("tbody tr")).to_have_count(27)
    assert_accessible(page)
