"""Staff verify, reject, suspend and reinstate representatives in the admin."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from representatives.models import MembershipBody, Representative, RepresentativeEvent
from tests import factories
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db
S = Representative.Status


def admin_url(name, representative):
    return reverse(f"admin:representatives_representative_{name}", args=[representative.public_id])


def change_url(representative):
    return reverse("admin:representatives_representative_change", args=[representative.pk])


@pytest.fixture
def pending(db):
    return factories.make_representative(
        status=S.PENDING, full_name="Pat Pending", with_id_document=True
    )


def test_changelist_lists_filters_and_searches(verifier, pending):
    factories.make_representative(status=S.VERIFIED, full_name="Vera Verified")
    url = reverse("admin:representatives_representative_changelist")
    html = verifier.get(url, {"status__exact": "pending"}).content.decode()
    assert "Pat Pending" in html and "Vera Verified" not in html
    for term in ("pat pending", pending.user.email, pending.membership_id):
        html = verifier.get(url, {"q": term}).content.decode()
        assert "Pat Pending" in html and "Vera Verified" not in html, term


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_changelist_stays_within_budget_at_1_and_25_rows(verifier):
    """QUALITY.md §9: admin changelist ≤ 6 queries above the signed-in baseline, same at N."""
    url = reverse("admin:representatives_representative_changelist")
    factories.make_representative(status=S.PENDING)
    verifier.get(url)  # warm the caches a first request fills
    baseline = count_queries(verifier, "/en/privacy/")
    at_1 = count_queries(verifier, url)
    for _ in range(24):
        factories.make_representative(status=S.PENDING)
    at_25 = count_queries(verifier, url)
    assert at_1 == at_25
    assert at_1 - baseline <= 6


def test_change_view_is_read_only_with_the_decision_buttons(verifier, pending):
    html = verifier.get(change_url(pending)).content.decode()
    assert "Pat Pending" in html
    assert 'name="_save"' not in html  # no way to edit fields
    assert 'name="status"' not in html
    assert admin_url("verify", pending) in html
    assert admin_url("reject", pending) in html
    assert admin_url("id_document", pending) in html
    assert admin_url("id_preview", pending) in html


def test_staff_without_the_permission_see_no_buttons(staff_user, pending):
    from django.contrib.auth.models import Permission

    staff_user.user_permissions.add(Permission.objects.get(codename="view_representative"))
    html = signed_in(staff_user).get(change_url(pending)).content.decode()
    assert "Pat Pending" in html
    assert admin_url("verify", pending) not in html
    assert signed_in(staff_user).get(admin_url("id_document", pending)).status_code == 403


def test_verify_makes_the_representative_verified_and_queues_an_email(
    verifier, verifier_user, pending, sent_emails
):
    response = verifier.post(admin_url("verify", pending))
    assert response.status_code == 302
    assert response["Location"] == change_url(pending)
    pending.refresh_from_db()
    assert pending.status == S.VERIFIED
    assert pending.verified_by == verifier_user
    assert pending.events.get().actor == verifier_user
    assert [e["template"] for e in sent_emails] == ["representative_verified"]
    assert sent_emails[0]["to"] == pending.user.email


def test_verify_rejects_get(verifier, pending):
    assert verifier.get(admin_url("verify", pending)).status_code == 405
    pending.refresh_from_db()
    assert pending.status == S.PENDING


def test_verify_needs_the_permission(staff_user, pending, sent_emails):
    client = signed_in(staff_user)
    assert client.post(admin_url("verify", pending)).status_code == 403
    assert client.post(admin_url("reject", pending), {"reason": "no"}).status_code == 403
    pending.refresh_from_db()
    assert pending.status == S.PENDING
    assert not RepresentativeEvent.objects.exists()
    assert sent_emails == []


def test_anonymous_and_representatives_are_kept_out_of_the_admin(anon, rep_a, pending):
    for client in (anon, rep_a):
        response = client.post(admin_url("verify", pending))
        assert response.status_code == 302
        assert "login" in response["Location"]
    pending.refresh_from_db()
    assert pending.status == S.PENDING


def test_verifying_twice_is_a_wrong_state(verifier, pending, sent_emails):
    verifier.post(admin_url("verify", pending))
    response = verifier.post(admin_url("verify", pending))
    assert response.status_code == 409
    assert RepresentativeEvent.objects.count() == 1
    assert len(sent_emails) == 1


def test_unknown_representative_is_404(verifier):
    url = reverse("admin:representatives_representative_verify", args=[uuid.uuid4()])
    assert verifier.post(url).status_code == 404


def test_reject_page_asks_for_a_reason(verifier, pending):
    response = verifier.get(admin_url("reject", pending))
    assert response.status_code == 200
    assert 'name="reason"' in response.content.decode()


def test_reject_without_a_reason_is_refused_and_nothing_is_written(verifier, pending, sent_emails):
    response = verifier.post(admin_url("reject", pending), {"reason": "   "})
    assert response.status_code == 200
    assert "Give the reason" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == S.PENDING
    assert not RepresentativeEvent.objects.exists()
    assert sent_emails == []


def test_reject_with_a_reason_emails_it(verifier, pending, sent_emails):
    reason = "Your membership ID R000000 is not on the CICC register."
    response = verifier.post(admin_url("reject", pending), {"reason": reason})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == S.REJECTED
    assert pending.rejection_reason == reason
    [email] = sent_emails
    assert (email["template"], email["context"]["reason"]) == ("representative_rejected", reason)


def test_reject_a_verified_representative_is_a_wrong_state(verifier, sent_emails):
    representative = factories.make_representative(status=S.VERIFIED)
    response = verifier.post(admin_url("reject", representative), {"reason": "late"})
    assert response.status_code == 409
    representative.refresh_from_db()
    assert representative.status == S.VERIFIED
    assert sent_emails == []


def test_suspend_and_reinstate_from_the_admin(verifier, sent_emails):
    representative = factories.make_representative(status=S.VERIFIED)
    html = verifier.get(change_url(representative)).content.decode()
    assert admin_url("suspend", representative) in html
    assert verifier.post(admin_url("suspend", representative), {"reason": ""}).status_code == 200
    assert (
        verifier.post(admin_url("suspend", representative), {"reason": "Lapsed"}).status_code == 302
    )
    representative.refresh_from_db()
    assert representative.status == S.SUSPENDED
    assert (
        admin_url("reinstate", representative)
        in verifier.get(change_url(representative)).content.decode()
    )
    assert verifier.post(admin_url("reinstate", representative)).status_code == 302
    representative.refresh_from_db()
    assert representative.status == S.VERIFIED


def test_id_document_download_for_verifiers(verifier, pending):
    response = verifier.get(admin_url("id_document", pending))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_id_document_preview_is_an_inline_sandboxed_image(verifier, pending):
    response = verifier.get(admin_url("id_preview", pending))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == "inline"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "no-store"


def test_id_document_views_reject_post(verifier, pending):
    assert verifier.post(admin_url("id_document", pending)).status_code == 405
    assert verifier.post(admin_url("id_preview", pending)).status_code == 405


def test_representative_without_a_document_has_none_to_download(verifier):
    representative = factories.make_representative(status=S.PROFILE_INCOMPLETE)
    assert verifier.get(admin_url("id_document", representative)).status_code == 404


def test_nobody_adds_or_deletes_representatives_in_the_admin(superuser, pending):
    assert superuser.get(reverse("admin:representatives_representative_add")).status_code == 403
    delete = reverse("admin:representatives_representative_delete", args=[pending.pk])
    assert superuser.post(delete, {"post": "yes"}).status_code == 403
    assert Representative.objects.filter(pk=pending.pk).exists()


def test_status_cannot_be_changed_by_posting_the_change_form(superuser, pending):
    superuser.post(change_url(pending), {"status": "verified", "full_name": "X"})
    pending.refresh_from_db()
    assert (pending.status, pending.full_name) == (S.PENDING, "Pat Pending")


def test_membership_bodies_are_editable_data(superuser, cicc):
    url = reverse("admin:representatives_membershipbody_change", args=[cicc.pk])
    data = {
        "code": "cicc",
        "name_en": cicc.name_en,
        "name_fr": cicc.name_fr,
        "representative_types": ["consultant"],
        "membership_id_pattern": "^R[0-9]{7}$",
        "pattern_hint_en": "R and 7 digits",
        "pattern_hint_fr": "R et 7 chiffres",
        "source_note": "",
        "is_active": "on",
        "sort_order": "1",
    }
    assert superuser.post(url, data).status_code == 302
    cicc.refresh_from_db()
    assert cicc.membership_id_is_valid("R1234567")
    bad = superuser.post(url, {**data, "membership_id_pattern": "^R[0-9"})
    assert bad.status_code == 200
    assert "This is not a valid regular expression." in bad.content.decode()
    cicc.refresh_from_db()
    assert cicc.membership_id_pattern == "^R[0-9]{7}$"


def test_verifier_sees_the_admin_in_french(verifier, pending):
    url = reverse("admin:representatives_representative_change", args=[pending.pk]).replace(
        "/en/", "/fr/"
    )
    html = verifier.get(url).content.decode()
    assert "Vérifier" in html


def test_membership_body_is_never_deleted(superuser, cicc):
    url = reverse("admin:representatives_membershipbody_delete", args=[cicc.pk])
    assert superuser.post(url, {"post": "yes"}).status_code == 403
    assert MembershipBody.objects.filter(pk=cicc.pk).exists()
