"""The status page: why a representative waits, what they sent, and how to fix a rejection."""

import pytest

from representatives.models import Representative
from representatives.services import representative_suspend
from tests import factories
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db
URL = "/en/representative/status/"
S = Representative.Status


def page_for(representative, url=URL):
    response = signed_in(representative.user).get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_pending_explains_the_wait_and_shows_the_details_read_only(db):
    representative = factories.make_representative(
        status=S.PENDING, full_name="Alex Martin", with_id_document=True
    )
    html = page_for(representative)
    assert "<h1>Your profile is waiting for verification</h1>" in html
    assert "public register of College of Immigration and Citizenship Consultants" in html
    assert representative.user.email in html
    assert "Alex Martin" in html and representative.membership_id in html
    assert "+1 613-555-0100" in html
    assert "K1A 0A9" in html and "Canada" in html
    assert f"/en/representative/id-document/{representative.id_document.public_id}/" in html
    assert 'href="/en/representative/profile/"' in html
    assert "<input" not in html.split("<main", 1)[1].split("</main>", 1)[0]


def test_rejected_shows_the_reason_escaped_and_how_to_fix_it(db):
    representative = factories.make_representative(
        status=S.REJECTED, rejection_reason="The ID <i>does not</i> match.\nSend a new scan."
    )
    html = page_for(representative)
    assert "<h1>Your profile needs changes</h1>" in html
    assert "The ID &lt;i&gt;does not&lt;/i&gt; match.<br>Send a new scan." in html
    assert "How to fix it" in html
    assert 'href="/en/representative/profile/"' in html


def test_verified_has_no_edit_link(db):
    html = page_for(factories.make_representative(status=S.VERIFIED))
    assert "<h1>Your profile is verified</h1>" in html
    assert 'href="/en/representative/profile/"' not in html


def test_suspended_shows_the_reason(db):
    representative = factories.make_representative(status=S.VERIFIED)
    staff = factories.make_staff(superuser=True)
    representative_suspend(representative=representative, actor=staff, reason="Membership lapsed.")
    html = page_for(representative)
    assert "<h1>Your account is suspended</h1>" in html
    assert "Membership lapsed." in html


def test_a_new_representative_is_asked_to_complete_the_profile(db):
    user = factories.make_user()
    html = signed_in(user).get(URL).content.decode()
    assert "<h1>Complete your profile</h1>" in html
    assert 'href="/en/representative/profile/"' in html
    assert not Representative.objects.filter(user=user).exists()


def test_status_page_in_french(db):
    representative = factories.make_representative(status=S.PENDING)
    html = page_for(representative, "/fr/representative/status/")
    assert '<html lang="fr">' in html
    assert "Votre profil attend la vérification" in html
    assert "Collège des consultants en immigration et en citoyenneté" in html


def test_status_rejects_post(rep_pending):
    assert rep_pending.post(URL).status_code == 405


def test_anonymous_is_sent_to_sign_in(anon):
    assert anon.get(URL)["Location"].startswith("/en/auth/login/")


@pytest.mark.parametrize("persona", ["client_a", "staff"])
def test_non_representatives_get_404(request, persona):
    assert request.getfixturevalue(persona).get(URL).status_code == 404


def test_status_page_needs_few_queries_above_the_signed_in_baseline(rep_pending):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rep_pending.get(URL)
    with CaptureQueriesContext(connection) as baseline:
        rep_pending.get("/en/privacy/")
    with CaptureQueriesContext(connection) as page:
        assert rep_pending.get(URL).status_code == 200
    assert len(page.captured_queries) - len(baseline.captured_queries) <= 3
