"""Fixtures for the representative profile and verification tests."""

import pytest
from django.contrib.auth.models import Permission

from tests import factories


@pytest.fixture
def sent_emails(monkeypatch):
    """Record every email_send call the representative services make (and still queue it)."""
    from representatives import services

    calls = []
    real = services.email_send

    def spy(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(services, "email_send", spy)
    return calls


@pytest.fixture
def audits(monkeypatch):
    """Record every audit_record call the representative services make (and still write it)."""
    from representatives import services

    calls = []
    real = services.audit_record

    def spy(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(services, "audit_record", spy)
    return calls


def grant_verify(user):
    for codename in ("verify_representative", "view_representative"):
        user.user_permissions.add(
            Permission.objects.get(codename=codename, content_type__app_label="representatives")
        )
    # Permissions are cached on the instance.
    for cache in ("_perm_cache", "_user_perm_cache"):
        user.__dict__.pop(cache, None)
    return user


@pytest.fixture
def verifier_user(db):
    return grant_verify(factories.make_staff(email="verifier@example.test"))


@pytest.fixture
def verifier(verifier_user):
    from tests.conftest import signed_in

    return signed_in(verifier_user)


@pytest.fixture
def cicc(db):
    return factories.make_membership_body("cicc")


@pytest.fixture
def lso(db):
    return factories.make_membership_body(
        "lso",
        name_en="Law Society of Ontario",
        name_fr="Barreau de l'Ontario",
        representative_types=["lawyer", "paralegal"],
    )


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A /fr/ request leaves French active in the worker; do not leak it into the next test."""
    yield
    from django.utils import translation

    translation.activate("en")
