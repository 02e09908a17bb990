"""Security headers on every page (QUALITY.md §7, issue 11 item 3).

Every URL name the matrix declares readable (GET 200) is requested over HTTPS by its natural
persona (the first in NATURAL that may read it), with production's HSTS setting, and must carry:
a Content-Security-Policy without ``unsafe-inline`` scripts (or a ``sandbox`` policy, for
downloads), HSTS, ``nosniff``, frame protection, a referrer policy and, when signed in,
``Cache-Control: no-store``.
"""

import pytest

from tests.security import matrix
from tests.security.test_authorization_matrix import body_of
from tests.security.urls import url_for, url_names

NATURAL = ("rep_a", "client_a", "rep_pending", "staff_perm", "superuser", "anonymous")


def readable_pages():
    pages = []
    for url in url_names():
        if matrix.rule_for(url.name) is None:
            continue  # test_authorization_matrix fails on it, with the line to add
        obj = "own" if "own" in url.objects else "none"
        for persona in NATURAL:
            if matrix.expected(url.name, persona, obj, "GET") == {200}:
                pages.append((url, persona, obj))
                break
    return pages


PAGES = readable_pages()


def directives(policy: str) -> dict[str, str]:
    parsed = {}
    for part in policy.split(";"):
        words = part.strip().split(None, 1)
        if words:
            parsed[words[0]] = words[1] if len(words) > 1 else ""
    return parsed


def header_problems(response, *, signed_in: bool) -> list[str]:
    problems = []
    policy = response.headers.get("Content-Security-Policy", "")
    csp = directives(policy)
    if not policy:
        problems.append("no Content-Security-Policy")
    elif "sandbox" not in csp:
        scripts = csp.get("script-src", csp.get("default-src"))
        if scripts is None or "unsafe-inline" in scripts or "*" in scripts.split():
            problems.append(f"scripts not restricted: {policy}")
    hsts = response.headers.get("Strict-Transport-Security", "")
    if "max-age=31536000" not in hsts:
        problems.append(f"HSTS {hsts!r}")
    if response.headers.get("X-Content-Type-Options") != "nosniff":
        problems.append("no nosniff")
    if response.headers.get("X-Frame-Options") != "DENY" and "'none'" not in csp.get(
        "frame-ancestors", ""
    ):
        problems.append("no frame protection")
    if not response.headers.get("Referrer-Policy"):
        problems.append("no Referrer-Policy")
    if signed_in and "no-store" not in response.headers.get("Cache-Control", ""):
        problems.append(f"Cache-Control {response.headers.get('Cache-Control')!r}")
    return problems


def test_every_readable_url_name_is_checked():
    names = {url.name for url, _, _ in PAGES}
    assert {"accounts:home", "applications:detail", "admin:index", "support:contact"} <= names
    assert len(PAGES) > 100


@pytest.mark.parametrize(
    ("url", "persona", "obj"), PAGES, ids=[f"{url.name}-{persona}" for url, persona, _ in PAGES]
)
def test_security_headers(world_db, settings, url, persona, obj):
    settings.SECURE_HSTS_SECONDS = 31_536_000  # production's value (test settings turn it off)
    client = world_db.client_for(persona)
    response = client.get(url_for(url, world_db, obj), secure=True)
    assert response.status_code == 200
    body_of(response)  # consume a streamed download
    problems = header_problems(response, signed_in=persona != "anonymous")
    assert not problems, f"{url.name} as {persona}: {problems}"
