"""Public pages exist in English and French, with the language toggle and security headers."""

import pytest

pytestmark = pytest.mark.django_db

PAGES = ["", "privacy/", "terms/"]


def test_root_redirects_to_a_language(anon):
    response = anon.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/en/"


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize(("lang", "other"), [("en", "fr"), ("fr", "en")])
def test_page_renders_in_each_language_with_a_toggle_to_the_same_page(anon, path, lang, other):
    response = anon.get(f"/{lang}/{path}")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert f'href="/{other}/{path}" lang="{other}" hreflang="{other}"' in html
    assert 'href="#main-content"' in html
    assert 'id="main-content"' in html


def test_french_home_is_translated(anon):
    html = anon.get("/fr/").content.decode()
    assert "Ouvrir une session" in html
    assert "Sign in" not in html


@pytest.mark.parametrize("path", PAGES)
def test_security_headers_on_public_pages(anon, path):
    response = anon.get(f"/en/{path}")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_signed_in_pages_are_never_cached(rep_a):
    response = rep_a.get("/en/privacy/")
    assert response["Cache-Control"] == "no-store"


def test_anonymous_public_pages_may_be_cached(anon):
    assert "no-store" not in anon.get("/en/privacy/").get("Cache-Control", "")


def test_unknown_page_is_a_translated_404(anon):
    response = anon.get("/fr/no-such-page/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_git_metadata_is_not_served(anon):
    assert anon.get("/.git/HEAD").status_code == 404


def test_choosing_french_is_remembered_for_a_signed_in_person(rep_a, rep_a_user):
    rep_a.get("/fr/privacy/")
    rep_a_user.refresh_from_db()
    assert rep_a_user.preferred_language == "fr"
