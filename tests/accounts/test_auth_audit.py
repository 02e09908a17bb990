"""Authentication events in the audit trail (QUALITY.md §8): each writes exactly one row, with
the method or factor as a reason code and no address or name in it."""

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.test import Client

from accounts.models import AuditEvent
from accounts.services import audit_verify
from tests import factories
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db

LOGIN = "/en/auth/login/"
MFA = "/en/auth/2fa/authenticate/"
EMAIL = "audited@example.test"


@pytest.fixture
def enrolled():
    user = factories.make_representative(email=EMAIL, full_name="CANARY-AUDIT Name").user
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    _authenticator, secret = factories.make_totp(user)
    return user, secret


def only(action, **filters):
    rows = list(AuditEvent.objects.filter(action=action, **filters))
    assert len(rows) == 1, f"{action}: {len(rows)} rows"
    row = rows[0]
    content = row.canonical_content().decode()
    assert "@" not in content and "example" not in content and "CANARY" not in content
    return row


def test_a_sign_in_with_password_and_totp_is_one_row_naming_both_factors(enrolled):
    user, secret = enrolled
    client = Client()
    client.post(LOGIN, {"login": EMAIL, "password": factories.PASSWORD})
    assert not AuditEvent.objects.filter(action="auth.logged_in").exists()  # not yet

    client.post(MFA, {"code": factories.totp_code(secret)})

    row = only("auth.logged_in")
    assert row.actor == user and row.object_id == user.public_id
    assert row.reason == "password+totp" and row.outcome == "success"
    assert row.ip == "127.0.0.1"


def test_a_wrong_password_is_one_failure_row_for_the_named_account(enrolled):
    user, _secret = enrolled
    Client().post(LOGIN, {"login": EMAIL, "password": "not the password at all"})

    row = only("auth.login_failed")
    assert row.actor is None and row.actor_role == "anonymous"
    assert row.object_id == user.public_id and row.reason == "password"
    assert row.outcome == "failure"


def test_an_unknown_address_is_recorded_without_the_address(db):
    Client().post(LOGIN, {"login": "nobody@example.test", "password": "whatever it is"})
    row = only("auth.login_failed")
    assert row.object_id is None and row.reason == "password"


def test_a_wrong_code_is_one_failure_row_naming_the_factor(enrolled):
    user, _secret = enrolled
    client = Client()
    client.post(LOGIN, {"login": EMAIL, "password": factories.PASSWORD})
    client.post(MFA, {"code": "000000"})

    row = only("auth.login_failed", reason="totp")
    assert row.object_id == user.public_id
    assert not AuditEvent.objects.filter(action="auth.logged_in").exists()


def test_the_rate_limit_hit_is_recorded(enrolled):
    client = Client()
    with time_machine.travel("2026-03-02 10:00:00Z", tick=False):
        for _ in range(5):
            client.post(LOGIN, {"login": EMAIL, "password": "wrong password again"})
        client.post(LOGIN, {"login": EMAIL, "password": "wrong password again"})
    assert AuditEvent.objects.filter(action="auth.login_failed").count() == 5
    row = only("auth.rate_limited")
    assert row.reason == "login_failed" and row.outcome == "denied"


def test_signing_out_is_one_row(rep_a, rep_a_user):
    rep_a.post("/en/auth/logout/")
    row = only("auth.logged_out")
    assert row.actor == rep_a_user and row.object_id == rep_a_user.public_id


def reauthenticate(client):
    response = client.post("/en/auth/reauthenticate/", {"password": factories.PASSWORD})
    assert response.status_code == 302


def test_enrolling_totp_writes_one_row_per_authenticator(
    rep_no_mfa, rep_no_mfa_user, django_capture_on_commit_callbacks
):
    reauthenticate(rep_no_mfa)
    rep_no_mfa.get("/en/auth/2fa/totp/activate/")
    secret = rep_no_mfa.session[SECRET_SESSION_KEY]

    # allauth announces the new authenticator once the transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = rep_no_mfa.post(
            "/en/auth/2fa/totp/activate/", {"code": factories.totp_code(secret)}
        )

    assert response.status_code == 302
    totp = only("mfa.added", reason="totp")
    assert totp.actor == rep_no_mfa_user and totp.object_id == rep_no_mfa_user.public_id
    only("mfa.added", reason="recovery_codes")


def test_removing_totp_writes_one_row_per_authenticator(client_a_user):
    # A client's TOTP is optional, so they may turn it off (representatives are sent back to
    # enrolment at once by the MFA middleware).
    factories.make_totp(client_a_user)
    client = signed_in(client_a_user)
    reauthenticate(client)

    response = client.post("/en/auth/2fa/totp/deactivate/")

    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=client_a_user).exists()
    only("mfa.removed", reason="totp")
    only("mfa.removed", reason="recovery_codes")


def test_changing_the_password_is_one_row(rep_a, rep_a_user):
    rep_a.post(
        "/en/auth/password/change/",
        {"oldpassword": factories.PASSWORD, "password1": "brand new passphrase here 9",
         "password2": "brand new passphrase here 9"},
    )  # fmt: skip
    row = only("auth.password_changed")
    assert row.actor == rep_a_user


@pytest.mark.django_db(transaction=True)
def test_the_chain_still_verifies_after_all_of_it(enrolled):
    user, secret = enrolled
    client = Client()
    client.post(LOGIN, {"login": EMAIL, "password": "wrong password entirely"})
    client.post(LOGIN, {"login": EMAIL, "password": factories.PASSWORD})
    client.post(MFA, {"code": factories.totp_code(secret)})
    client.post("/en/auth/logout/")
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))
    assert actions == ["auth.login_failed", "auth.logged_in", "auth.logged_out"]
    assert audit_verify() == []


def test_a_session_the_server_ends_for_inactivity_is_one_row(rep_a_user):
    with time_machine.travel("2026-03-02 10:00:00Z", tick=False) as clock:
        client = signed_in(rep_a_user)
        clock.shift(26 * 60)
        response = client.get("/en/account/")
    assert response["Location"].startswith("/en/auth/login/")
    row = only("session.ended")
    assert row.reason == "idle" and row.actor == rep_a_user


def test_a_session_that_never_passed_mfa_is_ended_with_a_row(rep_no_mfa_user):
    client = signed_in(rep_no_mfa_user, mfa=False)
    factories.make_totp(rep_no_mfa_user)  # enrolled from another browser
    client.get("/en/account/")
    assert only("session.ended").reason == "mfa_not_passed"
