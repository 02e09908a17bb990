"""Hostile text through every text field of every portal form (issue 11 item 2).

The digital forms' sections have their own walk (tests/forms_imm/test_hostile_every_form.py);
this one covers every other page with a form: profiles, client information, email changes,
correction requests, the support web form, sign-in and sign-up, MFA reset requests... For every
URL name outside the admin and each persona that may use it (anonymous, A's client, A's
representative, a representative whose profile awaits verification), the page's own form is
read from its HTML (as the mass-assignment walk does), every text field is filled with the
hostile corpus, and the form is posted. Never a 5xx; the
answer page and the page it leads to show the text escaped; the page reads back escaped.
Hypothesis then posts random values into every field of the support form, the client's
correction request and the person page: never a 5xx, and a row is written only by an accepted
post and passes its model's validation.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.security import matrix
from tests.security.test_mass_assignment_walk import NO_EFFECT, read_form
from tests.security.urls import url_for, url_names

PERSONAS = ("anonymous", "client_a", "rep_a", "rep_pending")
HOSTILE = (
    '<script>alert("x")</script> "><img src=x onerror=alert(1)> {{ request.user.email }} '
    "'; DROP TABLE accounts_user; -- line\r\nSet-Cookie: evil=1 \u202eevil\u202c "
    "zero\u200bwidth Noël 🍁"
)
RAW = ("<script>alert", "<img src=x")
# Pages whose POST ends the test's premise (signing out, changing the language).
SKIPPED = {"account_logout", "set_language"}

URLS = [url for url in url_names() if not url.is_admin and url.name not in SKIPPED]


def body_of(response) -> str:
    if getattr(response, "streaming", False):
        return ""
    return response.content.decode(errors="replace")


def assert_escaped(body: str, where: str):
    for raw in RAW:
        assert raw not in body, f"{where}: unescaped {raw!r}"


def walk(world, url, text: str) -> int:
    """Posts ``text`` in every text field of ``url``'s form; the number of forms posted."""
    posted = 0
    for persona in PERSONAS:
        obj = "own" if "own" in url.objects else "none"
        if matrix.expected(url.name, persona, obj, "POST") <= NO_EFFECT:
            continue
        path = url_for(url, world, obj)
        client = world.client_for(persona)
        data, texts = read_form(client, path)
        if not texts:
            continue
        posted += 1
        response = client.post(path, {**data, **dict.fromkeys(texts, text)})
        where = f"{url.name} {persona}"
        assert response.status_code < 500, f"{where}: {response.status_code}"
        assert_escaped(body_of(response), where)
        location = response.headers.get("Location", "")
        if response.status_code == 302 and location.startswith("/"):
            assert_escaped(body_of(client.get(location)), f"{where} -> {location}")
        again = client.get(path)
        assert again.status_code < 500, f"{where} again: {again.status_code}"
        assert_escaped(body_of(again), f"{where} again")
    return posted


@pytest.mark.parametrize("url", URLS, ids=[url.name for url in URLS])
def test_hostile_text_in_every_portal_form(world_db, url):
    walk(world_db, url, HOSTILE)


def test_the_walk_reaches_the_portal_text_forms(world_db):
    """The main text forms are found and posted by the walk (a form it no longer finds would
    otherwise drop out silently)."""
    expected = (
        "support:contact",
        "clients:correction_new",
        "applications:person_edit",
        "applications:client_email",
        "representatives:profile_edit",
        "forms_imm:section_edit",
    )
    reached = {url.name for url in URLS if url.name in expected and walk(world_db, url, "text")}
    for name in expected:
        assert name in reached, name


# --- Hypothesis: random values in every field of the portal's main text forms ----------------

# (URL name, persona, the model the form writes, how to find the row it wrote or changed)
RANDOM_FORMS = (
    ("support:contact", "client_a", "support.supportrequest"),
    ("clients:correction_new", "client_a", "clients.correctionrequest"),
    ("applications:person_edit", "rep_a", "applications.person"),
)
EXAMPLES = None if os.environ.get("HYPOTHESIS_PROFILE") == "deep" else 15
any_value = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40
) | st.sampled_from([HOSTILE, "", "1985-04-23", "10", "FR", "on", "-1", "x" * 5000])


@hypothesis_settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    **({"max_examples": EXAMPLES} if EXAMPLES else {}),
)
@given(form=st.sampled_from(RANDOM_FORMS), values=st.lists(any_value, min_size=1, max_size=20))
def test_random_posts_to_portal_forms_never_fail_and_save_only_valid_rows(world_db, form, values):
    from django.apps import apps

    name, persona, label = form
    url = next(url for url in URLS if url.name == name)
    path = url_for(url, world_db, "own" if "own" in url.objects else "none")
    client = world_db.client_for(persona)
    data, _texts = read_form(client, path)
    fields = [key for key in data if key not in ("csrfmiddlewaretoken", "expected_version")]
    posted = {**data, **{key: values[i % len(values)] for i, key in enumerate(fields)}}
    model = apps.get_model(label)
    before = {row.pk: row for row in model.objects.all()}
    response = client.post(path, posted)
    assert response.status_code < 500, (name, response.status_code)
    assert_escaped(body_of(response), name)
    for row in model.objects.all():
        old = before.get(row.pk)
        changed = old is None or any(
            getattr(old, f.attname) != getattr(row, f.attname) for f in model._meta.concrete_fields
        )
        if changed:
            assert response.status_code == 302, f"{name}: a refused post changed {label}"
            row.full_clean(validate_unique=False, validate_constraints=False)  # saved = valid
