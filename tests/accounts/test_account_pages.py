"""allauth's account pages render in our layout for representatives and staff."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["rep_a", "staff"])
def test_sessions_list_renders_in_our_layout(persona, request):
    client = request.getfixturevalue(persona)
    client.get("/en/auth/email/")  # the session is now listed
    response = client.get("/en/auth/sessions/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="mb-3">Your sessions</h1>' in html
    assert 'id="main-content"' in html  # our base.html
    assert '<th scope="col">IP address</th>' in html
    assert "This session" in html


def test_sessions_list_needs_a_sign_in(anon):
    response = anon.get("/en/auth/sessions/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/auth/login/")


def test_ending_the_other_sessions_keeps_this_one(rep_a, rep_a_user):
    from tests.conftest import signed_in

    other = signed_in(rep_a_user)
    other.get("/en/auth/email/")
    rep_a.get("/en/auth/email/")
    response = rep_a.post("/en/auth/sessions/")
    assert response.status_code == 302
    assert rep_a.get("/en/auth/email/").status_code == 200
    assert other.get("/en/auth/email/").status_code == 302


@pytest.mark.parametrize("path", ["/en/auth/2fa/", "/fr/auth/2fa/", "/en/auth/email/"])
def test_manage_pages_render_in_our_layout(rep_a, path):
    response = rep_a.get(path)
    assert response.status_code == 200
    assert 'id="main-content"' in response.content.decode()
