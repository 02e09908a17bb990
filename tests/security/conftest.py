"""The authorization world, built once per module and rolled back when the module ends."""

import pytest
from django.db import transaction
from django.test import override_settings

from tests.security.world import build_world


@pytest.fixture(scope="module")
def world_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """Build the world inside a transaction that is never committed.

    Each test's own ``db`` transaction nests inside it as a savepoint, so whatever a request
    writes (a sign-out, a session renewal) is undone before the next test.
    """
    storages = {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path_factory.mktemp("private_media"))},
        },
    }
    from django.conf import settings

    with (
        override_settings(STORAGES={**settings.STORAGES, **storages}),
        django_db_blocker.unblock(),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def world_db(world_once, db):
    return world_once


@pytest.fixture(autouse=True)
def _private_media(request, settings, tmp_path):
    """As tests/conftest.py's, except for tests in the shared world (its files live in the
    module's folder)."""
    if "world_db" in request.fixturenames:
        return
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private_media")},
        },
    }
