"""Personas (QUALITY.md §1) as signed-in test clients. Later issues extend the world."""

import time

import pytest
from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from allauth.account.internal.userkit import user_id_to_str
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from accounts import session_policy
from accounts.models import User
from representatives.models import Representative
from tests import factories


def signed_in(user, *, mfa: bool = True) -> Client:
    """A test client signed in the way a real sign-in leaves the session.

    allauth records each authentication step in the session (``record_authentication``:
    password, then the TOTP code) and our adapter starts the session clocks; this does the
    same. With ``mfa=True`` (the default) someone who must use MFA is enrolled first, as a
    real representative or staff member would be; ``mfa=False`` leaves them unenrolled.
    tests/browser/test_auth_journeys.py proves the result matches a real sign-in.
    """
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if mfa and authenticator is None and user.needs_mfa:
        authenticator, _secret = factories.make_totp(user)
    client = Client()
    client.force_login(user)
    session = client.session
    now = time.time()
    records = [{"method": "password", "at": now, "email": user.email}]
    if mfa and authenticator is not None:
        records.append({"method": "mfa", "at": now, "id": authenticator.pk, "type": "totp"})
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = user_id_to_str(user)
    session_policy.session_start(session, at=now)
    session.save()
    return client


@pytest.fixture
def anon():
    return Client()


@pytest.fixture
def rep_a_user(db):
    return factories.make_representative(email="rep-a@example.test", full_name="CANARY-A Rep").user


@pytest.fixture
def rep_b_user(db):
    return factories.make_representative(email="rep-b@example.test", full_name="CANARY-B Rep").user


@pytest.fixture
def rep_pending_user(db):
    return factories.make_representative(
        email="rep-pending@example.test", status=Representative.Status.PENDING
    ).user


@pytest.fixture
def client_a_user(db):
    return factories.make_user(role=User.Role.CLIENT, email="client-a@example.test")


@pytest.fixture
def staff_user(db):
    return factories.make_staff(email="staff@example.test")


@pytest.fixture
def superuser_user(db):
    return factories.make_staff(superuser=True, email="root@example.test")


@pytest.fixture
def rep_a(rep_a_user):
    return signed_in(rep_a_user)


@pytest.fixture
def rep_b(rep_b_user):
    return signed_in(rep_b_user)


@pytest.fixture
def rep_pending(rep_pending_user):
    return signed_in(rep_pending_user)


@pytest.fixture
def client_a(client_a_user):
    return signed_in(client_a_user)


@pytest.fixture
def staff(staff_user):
    return signed_in(staff_user)


@pytest.fixture
def superuser(superuser_user):
    return signed_in(superuser_user)


@pytest.fixture
def rep_no_mfa_user(db):
    return factories.make_representative(email="rep-no-mfa@example.test").user


@pytest.fixture
def rep_no_mfa(rep_no_mfa_user):
    """A representative who has not set up an authenticator app yet."""
    return signed_in(rep_no_mfa_user, mfa=False)


@pytest.fixture
def staff_no_mfa_user(db):
    return factories.make_staff(email="staff-no-mfa@example.test")


@pytest.fixture
def staff_no_mfa(staff_no_mfa_user):
    """A staff member who has not set up an authenticator app yet."""
    return signed_in(staff_no_mfa_user, mfa=False)


@pytest.fixture(autouse=True)
def _fresh_rate_limits(request, django_db_blocker):
    """allauth's rate-limit counters (and used TOTP codes) live in the database cache.

    Tests that run in a transaction roll them back; tests that commit (browser journeys,
    ``transactional_db``) would leak them into the next test, so the cache is emptied after.
    """
    yield
    marker = request.node.get_closest_marker("django_db")
    commits = (marker is not None and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )
    if commits:
        with django_db_blocker.unblock():
            cache.clear()


@pytest.fixture(autouse=True)
def _english_between_tests():
    """A request to a French page leaves French active in the test thread; reset it so the
    next test (in the same worker) builds English URLs and messages."""
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Every test stores uploads in its own folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private_media")},
        },
    }


def load_reference_data():
    """Re-run every `NNNN_fill_*` data migration (programs, help articles, ...).

    A transactional test empties every table when it ends; the next one gets the reference data
    the migrations loaded back this way.
    """
    from django.apps import apps
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations import RunPython

    loader = MigrationLoader(connection, ignore_no_migrations=True)
    project_apps = {
        config.label for config in apps.get_app_configs() if "site-packages" not in config.path
    }
    for app_label, name in sorted(loader.disk_migrations):
        if app_label not in project_apps or "_fill_" not in name:
            continue
        for operation in loader.disk_migrations[(app_label, name)].operations:
            if isinstance(operation, RunPython):
                with connection.schema_editor(atomic=True) as editor:
                    operation.code(apps, editor)


@pytest.fixture(autouse=True)
def _reference_data(request):
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    from applications.models import Program

    if not Program.objects.exists():
        load_reference_data()


# Hypothesis profiles: "ci" in `make test`; HYPOTHESIS_PROFILE=deep for the full-size runs.
import os  # noqa: E402

from hypothesis import settings as hypothesis_settings  # noqa: E402

hypothesis_settings.register_profile("ci", max_examples=100, deadline=None)
hypothesis_settings.register_profile("deep", max_examples=2000, deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


# --- clients and applications (issue 4): application A (rep A, client A), B (rep B, client B) ---

from tests.outbox import outbox  # noqa: E402,F401  (the email and audit recorder fixture)


@pytest.fixture
def client_b_user(db):
    return factories.make_user(role=User.Role.CLIENT, email="client-b@example.test")


@pytest.fixture
def client_b(client_b_user):
    return signed_in(client_b_user)


@pytest.fixture
def application_a(rep_a_user, client_a_user):
    return factories.make_application(
        representative=rep_a_user.representative,
        client=factories.make_client(user=client_a_user),
        family_name="CANARY-A-Family",
        given_names="CANARY-A-Given",
    )


@pytest.fixture
def application_b(rep_b_user, client_b_user):
    return factories.make_application(
        representative=rep_b_user.representative,
        client=factories.make_client(user=client_b_user),
        family_name="CANARY-B-Family",
        given_names="CANARY-B-Given",
    )


@pytest.fixture
def world(application_a, application_b):
    """Two representatives, each with one client and one application (canaries in names)."""
    from types import SimpleNamespace

    return SimpleNamespace(application_a=application_a, application_b=application_b)
