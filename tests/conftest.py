"""Personas (QUALITY.md §1) as signed-in test clients. Later issues extend the world."""

import pytest
from django.test import Client

from accounts.models import User
from representatives.models import Representative
from tests import factories


def signed_in(user) -> Client:
    """A test client signed in the way a real sign-in leaves the session."""
    client = Client()
    client.force_login(user)
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
