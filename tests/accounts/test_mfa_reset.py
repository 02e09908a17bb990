"""Lost authenticator and recovery codes: ask for a reset mid sign-in; staff grant it only after
an identity check; it is recorded and emailed (issue 9 item 5)."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth.models import Permission
from django.test import Client

from accounts.models import AuditEvent, MfaResetRequest, OutboxEmail
from tests import factories
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

LOGIN = "/en/auth/login/"
RESET = "/en/account/mfa-reset/"
ADMIN = f"/en/{settings.ADMIN_URL_PATH}accounts/mfaresetrequest/"
EMAIL = "lost-phone@example.test"


@pytest.fixture
def lost():
    user = factories.make_representative(email=EMAIL).user
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    factories.make_totp(user)
    return user


@pytest.fixture
def mid_sign_in(lost):
    client = Client()
    response = client.post(LOGIN, {"login": EMAIL, "password": factories.PASSWORD})
    assert response["Location"] == "/en/auth/2fa/authenticate/"
    return client


@pytest.fixture
def desk(db):
    user = factories.make_staff(email="desk@example.test")
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="accounts",
            codename__in=["view_mfaresetrequest", "change_mfaresetrequest"],
        )
    )
    return user


def test_the_code_page_links_to_the_reset_request(mid_sign_in):
    html = mid_sign_in.get("/en/auth/2fa/authenticate/").content.decode()
    assert f'href="{RESET}"' in html


def test_without_a_pending_sign_in_the_page_explains_how_to_start(anon, rep_a):
    for client in (anon, rep_a):
        response = client.get(RESET)
        assert response.status_code == 200
        assert "Sign in with your email address and password." in response.content.decode()
        client.post(RESET, {"confirm": "on"})
    assert not MfaResetRequest.objects.exists()


def test_wrong_method_is_refused(anon):
    assert anon.put(RESET).status_code == 405


def test_the_request_needs_the_confirmation_box(mid_sign_in):
    response = mid_sign_in.post(RESET, {})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not MfaResetRequest.objects.exists()


def test_asking_records_audits_and_acknowledges_once(mid_sign_in, lost):
    response = mid_sign_in.post(RESET, {"confirm": "on"})
    assert response.status_code == 302 and response["Location"] == "/en/account/mfa-reset/sent/"
    mid_sign_in.post(RESET, {"confirm": "on"})  # twice: still one request

    reset = MfaResetRequest.objects.get()
    assert reset.user == lost and reset.status == MfaResetRequest.Status.PENDING
    assert (
        AuditEvent.objects.filter(action="mfa.reset_requested", object_id=lost.public_id).count()
        == 1
    )
    assert OutboxEmail.objects.filter(to=EMAIL, key__startswith="mfa-reset:requested").count() == 1
    assert Authenticator.objects.filter(user=lost).count() == 2  # nothing changed yet
    assert mid_sign_in.get("/en/account/mfa-reset/sent/").status_code == 200


def test_staff_grant_after_an_identity_check(mid_sign_in, lost, desk):
    mid_sign_in.post(RESET, {"confirm": "on"})
    reset = MfaResetRequest.objects.get()
    other_session = signed_in(lost)
    other_session.get("/en/account/")
    staff = signed_in(desk)

    page = staff.post(ADMIN, {"action": "grant_reset", "_selected_action": [reset.pk]})
    html = page.content.decode()
    assert page.status_code == 200
    assert "How did you confirm the person’s identity?" in html
    assert "Never use contact details given in the request itself." in html
    # Without the identity check nothing happens.
    staff.post(ADMIN, {"action": "grant_reset", "_selected_action": [reset.pk], "confirm": "1"})
    assert Authenticator.objects.filter(user=lost).count() == 2

    response = staff.post(
        ADMIN,
        {"action": "grant_reset", "_selected_action": [reset.pk], "confirm": "1",
         "identity_check": "phone_callback"},
    )  # fmt: skip

    assert response.status_code == 302
    reset.refresh_from_db()
    assert reset.status == "granted" and reset.decided_by == desk
    assert reset.identity_check == "phone_callback"
    assert not Authenticator.objects.filter(user=lost).exists()
    granted = AuditEvent.objects.get(action="mfa.reset_granted")
    assert granted.actor == desk and granted.reason == "phone_callback"
    assert granted.object_id == lost.public_id
    assert AuditEvent.objects.filter(action="mfa.removed", actor=desk).count() == 2
    assert other_session.get("/en/account/")["Location"].startswith(
        "/en/auth/login/"
    )  # its sessions ended
    assert OutboxEmail.objects.filter(to=EMAIL, key__startswith="mfa-reset:granted").count() == 1

    # They sign in with the password alone and must enrol a new app at once.
    fresh = Client()
    response = fresh.post(LOGIN, {"login": EMAIL, "password": factories.PASSWORD})
    assert fresh.get("/en/account/")["Location"] == "/en/auth/2fa/totp/activate/"


def test_a_decided_request_cannot_be_granted_again(lost, desk):
    reset = MfaResetRequest.objects.create(user=lost, status="refused")
    staff = signed_in(desk)
    staff.post(
        ADMIN,
        {"action": "grant_reset", "_selected_action": [reset.pk], "confirm": "1",
         "identity_check": "video_id"},
    )  # fmt: skip
    assert Authenticator.objects.filter(user=lost).count() == 2
    reset.refresh_from_db()
    assert reset.status == "refused"


def test_staff_cannot_grant_their_own_reset(desk):
    factories.make_totp(desk)
    reset = MfaResetRequest.objects.create(user=desk)
    staff = signed_in(desk)
    staff.post(
        ADMIN,
        {"action": "grant_reset", "_selected_action": [reset.pk], "confirm": "1",
         "identity_check": "in_person"},
    )  # fmt: skip
    reset.refresh_from_db()
    assert reset.status == "pending"
    assert Authenticator.objects.filter(user=desk).exists()


def test_refusing_changes_nothing_but_tells_the_person(lost, desk):
    reset = MfaResetRequest.objects.create(user=lost)
    signed_in(desk).post(ADMIN, {"action": "refuse_reset", "_selected_action": [reset.pk]})
    reset.refresh_from_db()
    assert reset.status == "refused"
    assert Authenticator.objects.filter(user=lost).count() == 2
    assert AuditEvent.objects.filter(action="mfa.reset_refused").count() == 1
    assert OutboxEmail.objects.filter(to=EMAIL, key__startswith="mfa-reset:refused").exists()


def test_staff_without_permission_cannot_see_the_requests(staff, lost):
    MfaResetRequest.objects.create(user=lost)
    assert staff.get(ADMIN).status_code == 403
