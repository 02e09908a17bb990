"""Staff see the outbox in the admin, find dead emails, and retry them through the service."""

import pytest
from django.core import mail

from accounts.models import AuditEvent, OutboxEmail
from accounts.services import outbox_add

pytestmark = pytest.mark.django_db
CHANGELIST = "/en/staff-admin/accounts/outboxemail/"


def make_email(key, *, status=OutboxEmail.Status.PENDING):
    email = outbox_add(
        to=f"{key}@example.test",
        subject=f"Subject {key}",
        body_text="Your temporary password is CANARY-SECRET",
        body_html="<p>Your temporary password is CANARY-SECRET</p>",
        key=key,
    )
    OutboxEmail.objects.filter(pk=email.pk).update(status=status, attempts=10)
    return OutboxEmail.objects.get(pk=email.pk)


def test_staff_filter_dead_emails_without_seeing_their_bodies(superuser):
    dead = make_email("dead-one", status=OutboxEmail.Status.DEAD)
    make_email("sent-one", status=OutboxEmail.Status.SENT)

    response = superuser.get(CHANGELIST, {"status__exact": "dead"})
    assert response.status_code == 200
    assert "Subject dead-one" in response.text and "Subject sent-one" not in response.text

    detail = superuser.get(f"{CHANGELIST}{dead.pk}/change/")
    assert detail.status_code == 200
    assert "CANARY-SECRET" not in detail.text
    assert 'name="_save"' not in detail.text


def test_the_retry_action_requeues_dead_emails_only(superuser, django_capture_on_commit_callbacks):
    dead = make_email("dead-one", status=OutboxEmail.Status.DEAD)
    sent = make_email("sent-one", status=OutboxEmail.Status.SENT)

    with django_capture_on_commit_callbacks(execute=True):
        response = superuser.post(
            CHANGELIST, {"action": "retry_dead", "_selected_action": [dead.pk, sent.pk]}
        )

    assert response.status_code == 302
    dead.refresh_from_db()
    sent.refresh_from_db()
    assert dead.status == OutboxEmail.Status.SENT and dead.attempts == 1
    assert sent.status == OutboxEmail.Status.SENT and sent.attempts == 10
    assert [m.to for m in mail.outbox] == [["dead-one@example.test"]]
    assert AuditEvent.objects.filter(action="outbox.retried", object_id=dead.public_id).count() == 1


def test_outbox_rows_cannot_be_added_edited_or_deleted(superuser):
    email = make_email("one")
    assert superuser.get(f"{CHANGELIST}add/").status_code == 403
    assert superuser.get(f"{CHANGELIST}{email.pk}/delete/").status_code == 403
    assert superuser.post(f"{CHANGELIST}{email.pk}/change/", {"to": "x@y.z"}).status_code == 403
    assert OutboxEmail.objects.get(pk=email.pk).to == "one@example.test"


def test_staff_without_permissions_see_nothing(staff):
    make_email("one")
    assert staff.get(CHANGELIST).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(anon):
    response = anon.get(CHANGELIST)
    assert response.status_code == 302
    assert "login" in response["Location"]
