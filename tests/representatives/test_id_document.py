"""A representative downloads the identity document they sent, and nobody else's."""

import uuid

import pytest

from representatives.models import Representative
from tests import factories
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db
S = Representative.Status


def url(document_id):
    return f"/en/representative/id-document/{document_id}/"


@pytest.fixture
def owner(db):
    return factories.make_representative(status=S.PENDING, with_id_document=True)


def test_representative_downloads_their_document_as_an_attachment(owner):
    response = signed_in(owner.user).get(url(owner.id_document.public_id))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_another_representatives_document_is_404(owner):
    other = factories.make_representative(status=S.VERIFIED, with_id_document=True)
    assert signed_in(other.user).get(url(owner.id_document.public_id)).status_code == 404


def test_an_unknown_document_is_404(owner):
    assert signed_in(owner.user).get(url(uuid.uuid4())).status_code == 404


def test_a_replaced_document_is_no_longer_served(owner):
    old = owner.id_document
    owner.id_document = factories.make_id_document(uploaded_by=owner.user)
    owner.save(update_fields=["id_document"])
    assert signed_in(owner.user).get(url(old.public_id)).status_code == 404


def test_download_rejects_post(owner):
    assert signed_in(owner.user).post(url(owner.id_document.public_id)).status_code == 405


def test_anonymous_is_sent_to_sign_in(anon, owner):
    assert anon.get(url(owner.id_document.public_id))["Location"].startswith("/en/auth/login/")


@pytest.mark.parametrize("persona", ["client_a", "staff", "superuser"])
def test_non_representatives_get_404_even_for_a_real_document(request, persona, owner):
    client = request.getfixturevalue(persona)
    assert client.get(url(owner.id_document.public_id)).status_code == 404
