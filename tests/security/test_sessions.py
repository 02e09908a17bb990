"""Session limits and sign-out for every persona (QUALITY.md §2, issue 11 item 3).

tests/accounts/test_session_timeouts.py and test_sign_in.py prove the rules for a
representative (and the client's 2-hour limit); this runs the same three rules for each kind
of signed-in person: idle expiry at 25 minutes, the absolute limit (12 h for representatives
and staff, 2 h for clients) and an old cookie being dead after sign-out. It also proves a
client's password sign-in gives the session a new key (fixation).
"""

import datetime as dt

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests import factories
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
PAGE = "/en/auth/sessions/"

PERSONAS = {
    "client": (lambda: factories.make_user(role=User.Role.CLIENT), 2),
    "representative": (lambda: factories.make_representative().user, 12),
    "pending representative": (lambda: factories.make_representative(status="pending").user, 12),
    "staff": (lambda: factories.make_staff(), 12),
    "superuser": (lambda: factories.make_staff(superuser=True), 12),
}


@pytest.fixture(params=list(PERSONAS))
def persona(request):
    make, hours = PERSONAS[request.param]
    with time_machine.travel(START, tick=False) as clock:
        yield signed_in(make()), hours, clock


def signed_out(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_idle_for_25_minutes_ends_the_session(persona):
    client, _hours, clock = persona
    clock.shift(dt.timedelta(minutes=24, seconds=59))
    assert client.get(PAGE).status_code == 200
    clock.shift(dt.timedelta(minutes=25, seconds=1))
    assert signed_out(client.get(PAGE))


def test_the_absolute_limit_ends_the_session_despite_activity(persona):
    client, hours, clock = persona
    for _ in range(hours * 3 - 1):
        clock.shift(dt.timedelta(minutes=20))
        assert client.get(PAGE).status_code == 200
    clock.shift(dt.timedelta(minutes=20, seconds=1))
    assert signed_out(client.get(PAGE))


def test_an_old_cookie_is_dead_after_sign_out(persona):
    client, _hours, _clock = persona
    stolen = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post(reverse("account_logout"))
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = stolen
    assert signed_out(replay.get(PAGE))


def test_a_client_password_sign_in_gives_the_session_a_new_key():
    user = factories.make_user(role=User.Role.CLIENT, email="fixation@example.test")
    factories.make_client(user=user, activated=True)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    browser = Client()
    session = browser.session  # a session planted before sign-in
    session["planted"] = True
    session.save()
    browser.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    before = session.session_key
    response = browser.post(
        reverse("account_login"), {"login": user.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 302, response.content
    assert response["Location"] != reverse("account_email_verification_sent")
    after = browser.cookies[settings.SESSION_COOKIE_NAME].value
    assert after and after != before
    assert browser.get(PAGE).status_code == 200
