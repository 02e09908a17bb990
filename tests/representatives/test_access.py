"""representative_required and the start page route each representative by profile status."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import translation

from representatives.access import representative_required
from representatives.models import Representative
from tests import factories
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db
S = Representative.Status


@representative_required
def client_work(request):
    return HttpResponse(f"ok {request.representative.public_id}")


@representative_required(verified=False)
def profile_work(request):
    return HttpResponse("ok")


def call(view, user, method="get"):
    """Call the view as the locale middleware would for an /en/ address."""
    request = getattr(RequestFactory(), method)("/en/x/")
    request.user = user
    with translation.override("en"):
        return view(request)


def test_verified_representative_passes_and_gets_their_profile(db):
    representative = factories.make_representative(status=S.VERIFIED)
    response = call(client_work, representative.user)
    assert response.status_code == 200
    assert str(representative.public_id) in response.content.decode()


@pytest.mark.parametrize(
    ("status", "target"),
    [
        (S.PROFILE_INCOMPLETE, "/en/representative/profile/"),
        (S.PENDING, "/en/representative/status/"),
        (S.REJECTED, "/en/representative/status/"),
        (S.SUSPENDED, "/en/representative/status/"),
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_unverified_representative_is_sent_to_their_profile_or_status(db, status, target, method):
    representative = factories.make_representative(status=status)
    response = call(client_work, representative.user, method)
    assert (response.status_code, response["Location"]) == (302, target)


def test_representative_without_a_profile_row_is_sent_to_the_form(db):
    response = call(client_work, factories.make_user())
    assert response["Location"] == "/en/representative/profile/"


def test_unverified_representative_may_use_profile_pages(db):
    assert call(profile_work, factories.make_user()).status_code == 200


@pytest.mark.parametrize("persona", ["client_a_user", "staff_user", "superuser_user"])
def test_non_representatives_get_404(request, persona):
    from django.http import Http404

    with pytest.raises(Http404):
        call(client_work, request.getfixturevalue(persona))
    with pytest.raises(Http404):
        call(profile_work, request.getfixturevalue(persona))


def test_anonymous_is_sent_to_sign_in(db):
    from django.contrib.auth.models import AnonymousUser

    response = call(client_work, AnonymousUser())
    assert response.status_code == 302
    assert "/auth/login/" in response["Location"]


@pytest.mark.parametrize(
    ("status", "target"),
    [
        (S.PROFILE_INCOMPLETE, "/en/representative/profile/"),
        (S.PENDING, "/en/representative/status/"),
        (S.REJECTED, "/en/representative/status/"),
        (S.SUSPENDED, "/en/representative/status/"),
    ],
)
def test_start_page_routes_an_unverified_representative(db, status, target):
    representative = factories.make_representative(status=status)
    response = signed_in(representative.user).get("/en/start/")
    assert (response.status_code, response["Location"]) == (302, target)


def test_start_page_sends_a_new_representative_to_the_profile_form(db):
    response = signed_in(factories.make_user()).get("/en/start/")
    assert response["Location"] == "/en/representative/profile/"


def test_start_page_sends_a_verified_representative_to_their_work(rep_a):
    from django.urls import NoReverseMatch, reverse

    response = rep_a.get("/en/start/")
    try:
        dashboard = reverse("applications:dashboard")
    except NoReverseMatch:
        assert response.status_code == 200  # no dashboard yet: the start page
    else:
        assert (response.status_code, response["Location"]) == (302, dashboard)
