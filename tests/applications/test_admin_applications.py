"""Staff see applications and client invitations in the admin, read-only."""

import pytest

from applications.models import Application

pytestmark = pytest.mark.django_db


def test_superuser_lists_and_opens_applications_read_only(superuser, world):
    # The staff queue lists applications from submission on.
    Application.objects.filter(pk=world.application_a.pk).update(status="submitted")
    listing = superuser.get("/en/staff-admin/applications/application/")
    assert listing.status_code == 200
    page = superuser.get(
        f"/en/staff-admin/applications/application/{world.application_a.pk}/change/"
    )
    assert page.status_code == 200
    assert 'name="status"' not in page.content.decode()
    superuser.post(
        f"/en/staff-admin/applications/application/{world.application_a.pk}/change/",
        {"status": "approved"},
    )
    assert Application.objects.get(pk=world.application_a.pk).status == "submitted"


def test_the_client_admin_never_shows_the_password_hash(superuser, application_a):
    client = application_a.client
    client.temporary_password_hash = "argon2$CANARY-HASH"
    client.save()
    page = superuser.get(f"/en/staff-admin/clients/client/{client.pk}/change/")
    assert page.status_code == 200
    assert "CANARY-HASH" not in page.content.decode()
