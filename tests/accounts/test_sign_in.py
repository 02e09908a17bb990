"""Sign-in with password then TOTP, sign-out by POST only, and what the session remembers."""

import pytest
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.account.models import EmailAddress
from django.conf import settings
from django.test import Client

from accounts import session_policy
from accounts.models import User
from tests import factories

pytestmark = pytest.mark.django_db

LOGIN = "/en/auth/login/"
MFA = "/en/auth/2fa/authenticate/"
LOGOUT = "/en/auth/logout/"
ENROL = "/en/auth/2fa/totp/activate/"


def verified(user):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def sign_in_with_password(client, email, password=factories.PASSWORD, next_url=None):
    data = {"login": email, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN, data)


@pytest.fixture
def enrolled_rep():
    user = verified(factories.make_representative(email="enrolled@example.test").user)
    _authenticator, secret = factories.make_totp(user)
    return user, secret


def test_sign_in_page_renders_with_bound_labels_in_both_languages(anon):
    for lang, heading in (("en", "Sign in"), ("fr", "Ouvrir une session")):
        html = anon.get(f"/{lang}/auth/login/").content.decode()
        assert f'<h1 class="mb-3">{heading}</h1>' in html
        assert 'for="id_login"' in html and 'id="id_login"' in html
        assert 'for="id_password"' in html


def test_representative_with_totp_is_asked_for_a_code_and_not_signed_in_yet(anon, enrolled_rep):
    user, _secret = enrolled_rep
    response = sign_in_with_password(anon, user.email)
    assert response.status_code == 302
    assert response["Location"] == MFA
    assert "_auth_user_id" not in anon.session


def test_password_then_code_signs_in_records_both_steps_and_starts_the_clocks(anon, enrolled_rep):
    user, secret = enrolled_rep
    sign_in_with_password(anon, user.email)
    response = anon.post(MFA, {"code": factories.totp_code(secret)})
    assert response.status_code == 302
    assert response["Location"] == "/en/"
    session = anon.session
    assert session["_auth_user_id"] == str(user.pk)
    methods = [record["method"] for record in session[AUTHENTICATION_METHODS_SESSION_KEY]]
    assert methods == ["password", "mfa"]
    assert session[session_policy.AUTH_TIME_KEY] == session[session_policy.LAST_ACTIVITY_KEY]
    assert anon.get("/en/auth/sessions/").status_code == 200


def test_wrong_code_keeps_the_person_signed_out(anon, enrolled_rep):
    user, _secret = enrolled_rep
    sign_in_with_password(anon, user.email)
    response = anon.post(MFA, {"code": "000000"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert "_auth_user_id" not in anon.session


def test_signing_in_gives_the_session_a_new_key(anon, enrolled_rep):
    user, secret = enrolled_rep
    anon.get(LOGIN)
    sign_in_with_password(anon, user.email)
    key_before_code = anon.session.session_key
    assert key_before_code
    anon.post(MFA, {"code": factories.totp_code(secret)})
    assert anon.session.session_key != key_before_code


def test_sign_in_returns_to_the_page_asked_for(anon, enrolled_rep):
    user, secret = enrolled_rep
    sign_in_with_password(anon, user.email, next_url="/en/privacy/")
    response = anon.post(MFA, {"code": factories.totp_code(secret)})
    assert response["Location"] == "/en/privacy/"


def test_sign_in_refuses_an_outside_next_address(anon, enrolled_rep):
    user, secret = enrolled_rep
    sign_in_with_password(anon, user.email, next_url="https://evil.example/")
    response = anon.post(MFA, {"code": factories.totp_code(secret)})
    assert response["Location"] == "/en/"


def test_client_signs_in_with_a_password_only(anon):
    user = verified(factories.make_user(role=User.Role.CLIENT, email="c@example.test"))
    response = sign_in_with_password(anon, user.email)
    assert response["Location"] == "/en/"
    assert anon.get("/en/auth/sessions/").status_code == 200


def test_unknown_and_wrong_password_get_the_same_answer(anon, enrolled_rep):
    user, _secret = enrolled_rep
    wrong = sign_in_with_password(anon, user.email, password="not the right one at all")
    unknown = sign_in_with_password(anon, "nobody@example.test", password="not the right one")
    assert wrong.status_code == unknown.status_code == 200
    message = "The email address and/or password you specified are not correct."
    assert message in wrong.content.decode() and message in unknown.content.decode()


def test_sign_out_by_get_only_asks_for_confirmation(rep_a):
    response = rep_a.get(LOGOUT)
    assert response.status_code == 200
    assert "_auth_user_id" in rep_a.session


def test_sign_out_by_post_deletes_the_session_and_clears_site_data(rep_a):
    old_key = rep_a.session.session_key
    response = rep_a.post(LOGOUT)
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=old_key).exists()


def test_a_session_cookie_is_useless_after_sign_out(rep_a):
    stolen = rep_a.cookies[settings.SESSION_COOKIE_NAME].value
    rep_a.post(LOGOUT)
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = stolen
    response = replay.get("/en/auth/sessions/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_pages_other_than_sign_out_do_not_clear_site_data(rep_a):
    assert "Clear-Site-Data" not in rep_a.get("/en/auth/sessions/")


def test_confirming_the_password_again_gives_the_session_a_new_key(rep_a):
    old_key = rep_a.session.session_key
    response = rep_a.post("/en/auth/reauthenticate/", {"password": factories.PASSWORD})
    assert response.status_code == 302
    assert rep_a.session.session_key != old_key
    assert rep_a.get("/en/auth/sessions/").status_code == 200


def test_a_wrong_password_on_reauthentication_keeps_the_key(rep_a):
    old_key = rep_a.session.session_key
    response = rep_a.post("/en/auth/reauthenticate/", {"password": "not my password at all"})
    assert response.status_code == 200
    assert rep_a.session.session_key == old_key
