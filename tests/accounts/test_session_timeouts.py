"""Session limits (QUALITY.md §2 table): 25 min idle; 12 h absolute for representatives and
staff, 2 h for clients; only user actions renew; the keepalive; the signed-out page."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings

from accounts import session_policy
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
IDLE_MESSAGE = "Your session ended after 25 minutes without activity. Your work was saved."


def minutes(n):
    return dt.timedelta(minutes=n)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def rep(clock, rep_a_user):
    return signed_in(rep_a_user)


@pytest.fixture
def client_user_session(clock, client_a_user):
    return signed_in(client_a_user)


def test_a_session_idle_for_25_minutes_ends_and_returns_to_the_same_page(clock, rep):
    clock.shift(minutes(25) + dt.timedelta(seconds=1))
    response = rep.get("/en/privacy/?tab=2", follow=False)
    assert response.status_code == 302
    assert response["Location"] == "/en/auth/login/?next=%2Fen%2Fprivacy%2F%3Ftab%3D2"
    assert "_auth_user_id" not in rep.session
    page = rep.get(response["Location"])
    assert IDLE_MESSAGE in page.content.decode()


def test_the_idle_message_is_in_french_on_french_pages(clock, rep):
    clock.shift(minutes(26))
    response = rep.get("/fr/start/", follow=True)
    assert "Votre session a pris fin après 25 minutes d’inactivité." in response.content.decode()


def test_a_session_used_within_25_minutes_stays_open(clock, rep):
    for _ in range(4):
        clock.shift(minutes(24))
        assert rep.get("/en/auth/sessions/").status_code == 200


def test_polling_does_not_renew_the_session(clock, rep):
    clock.shift(minutes(20))
    assert rep.get("/en/auth/sessions/", headers={"X-Poll": "1"}).status_code == 200
    clock.shift(minutes(5) + dt.timedelta(seconds=1))
    assert rep.get("/en/auth/sessions/").status_code == 302


def test_a_post_renews_the_session(clock, rep):
    clock.shift(minutes(20))
    rep.post("/en/session/keepalive/")
    clock.shift(minutes(20))
    assert rep.get("/en/auth/sessions/").status_code == 200


def test_keepalive_answers_204_with_the_time_left(clock, rep):
    clock.shift(minutes(20))
    response = rep.post("/en/session/keepalive/")
    assert response.status_code == 204
    assert response["X-Session-Expires-In"] == str(settings.SESSION_IDLE_SECONDS)
    assert rep.session[session_policy.LAST_ACTIVITY_KEY] == (START + minutes(20)).timestamp()


def test_keepalive_after_expiry_does_not_revive_the_session(clock, rep):
    clock.shift(minutes(26))
    response = rep.post("/en/session/keepalive/")
    assert response.status_code == 302
    assert "_auth_user_id" not in rep.session


def test_keepalive_rejects_get(rep):
    assert rep.get("/en/session/keepalive/").status_code == 405


def test_keepalive_needs_a_session(anon):
    response = anon.post("/en/session/keepalive/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/auth/login/")


def test_representative_session_ends_12_hours_after_sign_in_despite_activity(clock, rep):
    for _ in range(12 * 3 - 1):
        clock.shift(minutes(20))
        assert rep.get("/en/auth/sessions/").status_code == 200
    clock.shift(minutes(20) + dt.timedelta(seconds=1))  # 12 h 0 min 1 s after sign-in
    response = rep.get("/en/auth/sessions/")
    assert response.status_code == 302
    page = rep.get(response["Location"]).content.decode()
    assert "maximum length of 12 hours" in page


def test_client_session_ends_2_hours_after_sign_in_despite_activity(clock, client_user_session):
    for _ in range(5):
        clock.shift(minutes(20))
        assert client_user_session.get("/en/auth/sessions/").status_code == 200
    clock.shift(minutes(20) - dt.timedelta(seconds=1))
    assert client_user_session.get("/en/auth/sessions/").status_code == 200  # 1 s before 2 h
    clock.shift(dt.timedelta(seconds=1))
    response = client_user_session.get("/en/auth/sessions/")
    assert response.status_code == 302
    assert (
        "maximum length of 2 hours"
        in client_user_session.get(response["Location"]).content.decode()
    )


def test_an_expired_session_is_deleted_on_the_server(clock, rep):
    from django.contrib.sessions.models import Session

    key = rep.session.session_key
    clock.shift(minutes(26))
    rep.get("/en/auth/sessions/")
    assert not Session.objects.filter(session_key=key).exists()


def test_a_session_without_a_sign_in_time_is_refused(clock, rep_a_user):
    client = signed_in(rep_a_user)
    session = client.session
    del session[session_policy.AUTH_TIME_KEY]
    session.save()
    assert client.get("/en/auth/sessions/").status_code == 302


def test_sign_out_after_expiry_still_lands_where_asked(clock, rep):
    clock.shift(minutes(26))
    response = rep.post("/en/auth/logout/", {"next": "/en/signed-out/?next=/en/start/"})
    assert response.status_code == 302
    assert response["Location"] == "/en/signed-out/?next=/en/start/"


def test_pages_tell_the_dialog_how_long_the_session_has_left(clock, rep):
    clock.shift(minutes(3))
    html = rep.get("/en/auth/sessions/").content.decode()
    assert f'data-expires-in="{settings.SESSION_IDLE_SECONDS}"' in html
    assert f'data-warning="{settings.SESSION_WARNING_SECONDS}"' in html
    assert f'data-session-warning="{settings.SESSION_WARNING_SECONDS}"' in html
    assert 'id="session-timeout"' in html


def test_polling_pages_show_the_time_actually_left(clock, rep):
    clock.shift(minutes(10))
    html = rep.get("/en/auth/sessions/", headers={"X-Poll": "1"}).content.decode()
    assert f'data-expires-in="{settings.SESSION_IDLE_SECONDS - 600}"' in html


def test_absolute_limit_caps_the_time_shown(clock, client_user_session):
    for _ in range(5):
        clock.shift(minutes(20))
        client_user_session.get("/en/auth/sessions/")
    clock.shift(minutes(10))  # 1 h 50 min after sign-in: 10 minutes left in total
    html = client_user_session.get("/en/auth/sessions/").content.decode()
    assert 'data-expires-in="600"' in html


def test_anonymous_pages_have_no_timeout_dialog(anon):
    assert 'id="session-timeout"' not in anon.get("/en/").content.decode()


def test_signed_out_page_offers_to_sign_in_again_to_the_same_page(anon):
    response = anon.get("/en/signed-out/?next=/en/start/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Your session ended after 25 minutes without activity" in html
    assert 'href="/en/auth/login/?next=/en/start/"' in html


def test_signed_out_page_ignores_an_outside_next(anon):
    html = anon.get("/en/signed-out/?next=https://evil.example/").content.decode()
    assert 'href="/en/auth/login/"' in html
    assert "login/?next=https" not in html


def test_signed_out_page_rejects_post(anon):
    assert anon.post("/en/signed-out/").status_code == 405


def test_renewal_is_written_at_most_once_a_minute(clock, rep):
    clock.shift(dt.timedelta(seconds=30))
    rep.get("/en/auth/sessions/")
    assert rep.session[session_policy.LAST_ACTIVITY_KEY] == START.timestamp()
    clock.shift(dt.timedelta(seconds=31))
    rep.get("/en/auth/sessions/")
    assert rep.session[session_policy.LAST_ACTIVITY_KEY] == (START.timestamp() + 61)
