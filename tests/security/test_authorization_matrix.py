"""The authorization matrix (QUALITY.md §3, issue 11 item 1).

Generated from every URL name of the project (``tests/security/urls.py``): for each name,
every persona × object (own, foreign, missing; or none) × GET/POST is requested in-process
and compared with the outcome declared in ``tests/security/matrix.py``. Every body is
searched for the canaries of the sides the persona is not a party of (names, emails, public
ids), and no redirect may leave the site. A name missing from the table fails with the line
to add.
"""

import pytest

from tests.security import matrix
from tests.security.urls import url_for, url_names
from tests.security.world import PERSONAS

URLS = url_names()
BODY = {"expected_version": "0", "matrix": "1"}


def body_of(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def check_cell(world, url, persona, obj, method) -> list[str]:
    """Problems with one cell (empty when it behaves as declared)."""
    path = url_for(url, world, obj)
    client = world.client_for(persona)
    response = client.get(path) if method == "GET" else client.post(path, BODY)
    problems = []
    expected = matrix.expected(url.name, persona, obj, method)
    if response.status_code not in expected:
        problems.append(
            f"{url.name} {persona} {obj} {method}: {response.status_code}, "
            f"declared {'|'.join(map(str, sorted(expected)))}"
        )
    location = response.headers.get("Location", "")
    if location.startswith(("http:", "https:", "//")) and "testserver" not in location:
        problems.append(f"{url.name} {persona} {obj} {method}: redirect off the site {location}")
    body = body_of(response)
    for canary in world.forbidden_for(persona, admin=url.is_admin):
        if canary not in path and canary in body:
            problems.append(f"{url.name} {persona} {obj} {method}: LEAK of {canary!r}")
    return problems


def test_every_url_name_has_a_declared_expectation():
    names = [url.name for url in URLS]
    missing = [name for name in names if matrix.rule_for(name) is None]
    assert not missing, matrix.missing_message(missing)


def test_every_rule_names_at_least_one_url():
    names = [url.name for url in URLS]
    unused = matrix.unused_patterns(names)
    assert not unused, (
        f"tests/security/matrix.py declares rules for URL names that do not exist: {unused}. "
        "Remove them (or fix the name)."
    )


# In the admin every signed-out or non-staff persona meets the same wall (admin_view): CI asks
# two of them, the deep run all six.
ADMIN_CI_PERSONAS = ("anonymous", "rep_a", "staff", "staff_perm", "superuser")


def run_matrix(world, url, personas):
    if matrix.rule_for(url.name) is None:
        pytest.fail(matrix.missing_message([url.name]))
    problems = []
    for persona in personas:
        for obj in url.objects:
            for method in ("GET", "POST"):
                problems += check_cell(world, url, persona, obj, method)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("url", URLS, ids=[url.name for url in URLS])
def test_authorization_matrix(world_db, url):
    run_matrix(world_db, url, ADMIN_CI_PERSONAS if url.is_admin else PERSONAS)


ADMIN_URLS = [url for url in URLS if url.is_admin]


@pytest.mark.deep
@pytest.mark.parametrize("url", ADMIN_URLS, ids=[url.name for url in ADMIN_URLS])
def test_authorization_matrix_admin_every_persona(world_db, url):
    run_matrix(world_db, url, PERSONAS)
