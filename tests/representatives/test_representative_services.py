"""Services: the only writers of Representative.status, each change with one history row."""

import itertools

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts.errors import GateNotMet, WrongState
from representatives.models import Representative, RepresentativeEvent
from representatives.services import (
    _transition,
    representative_reinstate,
    representative_reject,
    representative_submit_profile,
    representative_suspend,
    representative_verify,
)
from tests import factories

pytestmark = pytest.mark.django_db
S = Representative.Status
ALL_PAIRS = list(itertools.product(S, S))
ALLOWED = [(old, new) for old, new in ALL_PAIRS if new in Representative.TRANSITIONS[old]]
FORBIDDEN = [(old, new) for old, new in ALL_PAIRS if new not in Representative.TRANSITIONS[old]]
# What the table's constraints need alongside each target status.
NEEDS = {S.VERIFIED: {"verified_at": timezone.now}, S.REJECTED: {"rejection_reason": lambda: "x"}}


def profile_data(body, **overrides):
    data = {
        "full_name": "Alex Martin",
        "rep_type": Representative.Type.CONSULTANT,
        "membership_body": body,
        "membership_id": "R123456",
        "firm_name": "Martin Immigration",
        "address_street": "1 Main Street",
        "address_unit": "",
        "address_city": "Ottawa",
        "address_province": "ON",
        "address_region": "",
        "address_postal_code": "K1A 0B1",
        "address_country": "CA",
        "phone": "16135550123",
        "phone_extension": "",
        "id_document_type": "passport",
    }
    data.update(overrides)
    return data


def checked_upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from applications.uploads import UploadField

    upload = SimpleUploadedFile("id.png", factories.png_bytes(), content_type="image/png")
    return UploadField(allowed_kinds={"pdf", "jpeg", "png"}).clean(upload)


@pytest.mark.parametrize(("old", "new"), FORBIDDEN)
def test_every_pair_outside_the_table_raises_wrong_state_and_writes_nothing(old, new):
    representative = factories.make_representative(status=old)
    with pytest.raises(WrongState), transaction.atomic():
        locked = Representative.objects.select_for_update().get(pk=representative.pk)
        _transition(locked, to=new, actor=representative.user)
    representative.refresh_from_db()
    assert representative.status == old
    assert not RepresentativeEvent.objects.exists()


@pytest.mark.parametrize(("old", "new"), ALLOWED)
def test_every_allowed_pair_writes_exactly_one_event(old, new):
    representative = factories.make_representative(status=old)
    changes = {field: make() for field, make in NEEDS.get(new, {}).items()}
    with transaction.atomic():
        locked = Representative.objects.select_for_update().get(pk=representative.pk)
        _transition(locked, to=new, actor=representative.user, reason="why", changes=changes)
    representative.refresh_from_db()
    assert representative.status == new
    assert representative.status_changed_at is not None
    event = RepresentativeEvent.objects.get()
    assert (event.old_status, event.new_status, event.actor, event.reason) == (
        old,
        new,
        representative.user,
        "why",
    )


def test_first_submission_creates_the_profile_and_makes_it_pending(cicc, audits):
    user = factories.make_user()
    result = representative_submit_profile(
        representative=Representative(user=user),
        data=profile_data(cicc),
        id_upload=checked_upload(),
        actor=user,
    )
    representative = Representative.objects.get(user=user)
    assert result.pk == representative.pk
    assert representative.status == S.PENDING
    assert representative.membership_id == "R123456"
    assert representative.submitted_at is not None
    assert representative.id_document.kind == "png"
    assert representative.id_document.sha256
    event = representative.events.get()
    assert (event.old_status, event.new_status, event.actor) == (
        S.PROFILE_INCOMPLETE,
        S.PENDING,
        user,
    )
    assert [a["action"] for a in audits] == ["representative.profile_submitted"]


def test_resubmission_after_rejection_keeps_the_document_and_clears_the_reason(cicc):
    representative = factories.make_representative(status=S.REJECTED, with_id_document=True)
    document = representative.id_document
    representative_submit_profile(
        representative=representative,
        data=profile_data(cicc, full_name="Alex Corrected"),
        actor=representative.user,
    )
    representative.refresh_from_db()
    assert representative.status == S.PENDING
    assert representative.id_document == document
    assert representative.rejection_reason == ""
    assert representative.full_name == "Alex Corrected"
    assert representative.events.get().old_status == S.REJECTED


def test_a_new_upload_replaces_the_document(cicc):
    representative = factories.make_representative(status=S.PENDING, with_id_document=True)
    old = representative.id_document
    representative_submit_profile(
        representative=representative,
        data=profile_data(cicc),
        id_upload=checked_upload(),
        actor=representative.user,
    )
    representative.refresh_from_db()
    assert representative.id_document != old
    assert representative.events.get().new_status == S.PENDING


def test_submission_without_any_document_is_refused_and_writes_nothing(cicc):
    user = factories.make_user()
    with pytest.raises(GateNotMet):
        representative_submit_profile(
            representative=Representative(user=user), data=profile_data(cicc), actor=user
        )
    assert not Representative.objects.filter(user=user, status=S.PENDING).exists()
    assert not RepresentativeEvent.objects.exists()


@pytest.mark.parametrize("status", [S.VERIFIED, S.SUSPENDED])
def test_verified_or_suspended_profile_cannot_be_resubmitted(cicc, status):
    representative = factories.make_representative(status=status, with_id_document=True)
    with pytest.raises(WrongState):
        representative_submit_profile(
            representative=representative,
            data=profile_data(cicc, full_name="Changed"),
            actor=representative.user,
        )
    representative.refresh_from_db()
    assert representative.status == status
    assert representative.full_name != "Changed"
    assert not representative.events.exists()


def test_submission_never_copies_privileged_fields(cicc):
    representative = factories.make_representative(status=S.PENDING, with_id_document=True)
    data = profile_data(cicc, status=S.VERIFIED, verified_at=timezone.now(), user=None)
    representative_submit_profile(
        representative=representative, data=data, actor=representative.user
    )
    representative.refresh_from_db()
    assert representative.status == S.PENDING
    assert representative.verified_at is None


def test_verify_records_who_and_when_and_emails_the_representative(
    verifier_user, sent_emails, audits
):
    representative = factories.make_representative(status=S.PENDING)
    representative_verify(representative=representative, actor=verifier_user)
    representative.refresh_from_db()
    assert representative.status == S.VERIFIED
    assert representative.verified_by == verifier_user
    assert representative.verified_at is not None
    assert representative.events.get().new_status == S.VERIFIED
    [email] = sent_emails
    assert email["to"] == representative.user.email
    assert email["template"] == "representative_verified"
    assert email["context"]["name"] == representative.full_name
    assert [a["action"] for a in audits] == ["representative.verified"]


def test_reject_needs_a_reason(verifier_user, sent_emails):
    representative = factories.make_representative(status=S.PENDING)
    with pytest.raises(ValueError):
        representative_reject(representative=representative, actor=verifier_user, reason="  ")
    representative.refresh_from_db()
    assert representative.status == S.PENDING
    assert not representative.events.exists()
    assert sent_emails == []


def test_reject_stores_and_emails_the_reason(verifier_user, sent_emails):
    representative = factories.make_representative(status=S.PENDING)
    representative_reject(
        representative=representative, actor=verifier_user, reason="ID not on the register."
    )
    representative.refresh_from_db()
    assert representative.status == S.REJECTED
    assert representative.rejection_reason == "ID not on the register."
    assert representative.events.get().reason == "ID not on the register."
    [email] = sent_emails
    assert email["template"] == "representative_rejected"
    assert email["context"]["reason"] == "ID not on the register."
    assert email["language"] == representative.user.preferred_language


def test_decisions_need_the_verify_permission(staff_user, sent_emails):
    representative = factories.make_representative(status=S.PENDING)
    with pytest.raises(PermissionDenied):
        representative_verify(representative=representative, actor=staff_user)
    with pytest.raises(PermissionDenied):
        representative_reject(representative=representative, actor=staff_user, reason="no")
    representative.refresh_from_db()
    assert representative.status == S.PENDING
    assert sent_emails == []


@pytest.mark.parametrize("status", [S.PROFILE_INCOMPLETE, S.VERIFIED, S.REJECTED, S.SUSPENDED])
def test_verify_outside_pending_is_a_wrong_state(verifier_user, sent_emails, status):
    representative = factories.make_representative(status=status)
    with pytest.raises(WrongState):
        representative_verify(representative=representative, actor=verifier_user)
    assert not representative.events.exists()
    assert sent_emails == []


def test_suspend_and_reinstate(verifier_user, sent_emails):
    representative = factories.make_representative(status=S.VERIFIED)
    representative_suspend(
        representative=representative, actor=verifier_user, reason="Membership lapsed."
    )
    representative.refresh_from_db()
    assert representative.status == S.SUSPENDED
    representative_reinstate(representative=representative, actor=verifier_user)
    representative.refresh_from_db()
    assert representative.status == S.VERIFIED
    assert [e.new_status for e in representative.events.order_by("at", "pk")] == [
        S.SUSPENDED,
        S.VERIFIED,
    ]
    assert [e["template"] for e in sent_emails] == [
        "representative_suspended",
        "representative_verified",
    ]
    # Each decision has its own idempotency key, so the outbox sends both.
    assert sent_emails[0]["key"] != sent_emails[1]["key"]
