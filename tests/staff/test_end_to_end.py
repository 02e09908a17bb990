"""The whole staff cycle of issue 8, end to end through the real URLs: submitted → returned as
incomplete (reasons, items, note) → flagged on the representative's dashboard → reopened, fixed,
signed again, declared and resubmitted through the gate → staff see what changed → accepted
(acknowledgement to the representative and the client) → a document requested with a due date
and uploaded into its slot → approved → the client confirms PR for each person → staff accept
the photos and confirm → eCOPR issued, emailed and downloadable by the client.

At each step: the status, the history rows (actor and time), the emails, and what the
representative and the client see on their own pages."""

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from applications import pr_confirmation
from applications.models import ApplicationEvent, PRConfirmation, StaffDecision
from tests.conftest import signed_in
from tests.corpus.make_uploads import good_pdf
from tests.forms_imm.helpers import TODAY
from tests.staff import cycle
from tests.staff.helpers import OFFICER, SUPERVISOR, make_staff_in

pytestmark = pytest.mark.django_db
Action = ApplicationEvent.Action


@pytest.fixture(autouse=True)
def frozen():
    # The forms' ten-year periods are counted from the helpers' TODAY.
    with time_machine.travel(TODAY, tick=True) as traveller:
        yield traveller


def sent(outbox, address, *, kind=None, template="staff_update"):
    return [
        email
        for email in outbox.to(address, template)
        if kind is None or email["context"].get("kind") == kind
    ]


def test_the_whole_staff_cycle(rep_a_user, rep_a, outbox, django_capture_on_commit_callbacks):
    started = timezone.now()
    application, pa, spouse = cycle.prepared(rep_a_user, rep_a)
    client_user = application.client.user
    client = signed_in(client_user)
    rep_email, client_email = rep_a_user.email, client_user.email
    officer_user = make_staff_in(OFFICER, email="officer.hidden@example.test")
    supervisor_user = make_staff_in(SUPERVISOR, email="supervisor.hidden@example.test")
    officer, supervisor = signed_in(officer_user), signed_in(supervisor_user)
    detail = cycle.app_url("detail", application)
    client_page = reverse("clients:application", args=[application.public_id])

    # 1. Submitted through the gate; both are told.
    with django_capture_on_commit_callbacks(execute=True):
        cycle.sign_declare_submit(rep_a, client, application)
    assert application.status == "submitted" and application.application_number
    assert application.submissions.count() == 1
    assert sent(outbox, rep_email, template="application_submitted")
    assert sent(outbox, client_email, template="application_submitted")

    # 2. The officer starts the check and returns it as incomplete: reasons, items, a note.
    item = application.program.checklist.filter(is_active=True).first()
    cycle.staff_act(officer, application, "check_start")
    assert application.status == "completeness_check"
    cycle.staff_act(
        officer,
        application,
        "return_incomplete",
        reasons=["missing_signature", "fee_missing"],
        items=[item.code],
        note=cycle.NOTE,
    )
    assert application.status == "returned_incomplete" and application.is_editable  # unlocked
    decision = StaffDecision.objects.get(application=application)
    assert decision.kind == "returned_incomplete" and decision.decided_by == officer_user
    assert decision.reasons == ["missing_signature", "fee_missing"]
    assert decision.items == [item.code] and decision.note == cycle.NOTE
    assert len(sent(outbox, rep_email, kind="returned_incomplete")) == 1
    assert len(sent(outbox, client_email, kind="returned_incomplete")) == 1
    assert cycle.status_events(application)[-2:] == [
        ("submitted", "completeness_check", officer_user.pk),
        ("completeness_check", "returned_incomplete", officer_user.pk),
    ]

    # 3. The representative's dashboard flags it with those reasons; the page shows the note.
    dashboard = rep_a.get(reverse("applications:dashboard")).content.decode()
    assert 'data-testid="return-reasons"' in dashboard
    assert "Missing signature" in dashboard and "Fee missing or underpaid" in dashboard
    page = rep_a.get(detail).content.decode()
    assert 'data-testid="staff-return"' in page and cycle.NOTE in page and item.name_en in page
    # Both see the return in the processing history, by "IRCC staff", never the officer.
    for browser, url in ((rep_a, detail), (client, client_page)):
        html = browser.get(url).content.decode()
        assert 'data-testid="timeline"' in html and "IRCC staff" in html, url
        assert cycle.NOTE in html and "officer.hidden" not in html, url

    # 4. The representative reopens it: a draft again, every signature to give again.
    assert rep_a.post(cycle.app_url("reopen", application)).status_code == 302
    application.refresh_from_db()
    assert application.status == "draft" and application.is_editable
    assert cycle.status_events(application)[-1] == (
        "returned_incomplete",
        "draft",
        rep_a_user.pk,
    )
    assert all(not entry.is_valid for entry in _signatures(application))
    assert (
        'data-testid="return-reasons"'
        not in rep_a.get(reverse("applications:dashboard")).content.decode()
    )

    # 5. Fixes a form, the client signs again, the representative declares and resubmits.
    cycle.fix_a_form(rep_a, application, spouse)
    with django_capture_on_commit_callbacks(execute=True):
        cycle.sign_declare_submit(rep_a, client, application)
    assert application.status == "submitted" and application.submissions.count() == 2
    resubmitted = cycle.events(application, Action.SUBMITTED)
    assert len(resubmitted) == 2 and resubmitted[-1].actor == rep_a_user
    # Staff see what changed since the returned submission: the edited form.
    html = officer.get(cycle.admin_url("change", application)).content.decode()
    assert "Changes since the previous submission" in html and "Forms changed" in html

    # 6. Staff check it again and accept it: the acknowledgement goes to both.
    cycle.staff_act(officer, application, "check_start")
    cycle.staff_act(officer, application, "accept")
    assert application.status == "accepted"
    assert len(sent(outbox, rep_email, kind="accepted")) == 1
    assert len(sent(outbox, client_email, kind="accepted")) == 1

    # 7. A document is requested with a due date; the representative sees the request.
    due = cycle.due_date()
    response = officer.post(
        cycle.admin_url("request_documents", application),
        {"name": "Police certificate from France", "due_on": due.isoformat()},
    )
    assert response.status_code == 302
    document_request = application.document_requests.get()
    assert document_request.due_on == due and document_request.requested_by == officer_user
    requested = cycle.events(application, Action.DOCUMENTS_REQUESTED)
    assert [e.actor for e in requested] == [officer_user]
    assert sent(outbox, rep_email, kind="documents_requested")
    page = rep_a.get(detail).content.decode()
    assert "Police certificate from France" in page and due.isoformat() in page

    # The representative uploads the document into the requested slot.
    upload = reverse(
        "applications:requested_document_upload",
        args=[application.public_id, document_request.public_id],
    )
    response = rep_a.post(upload, {"file": SimpleUploadedFile("police.pdf", good_pdf())})
    assert response.status_code == 302
    document_request.refresh_from_db()
    assert document_request.is_fulfilled and document_request.fulfilled_by == rep_a_user
    uploaded = cycle.events(application, Action.REQUESTED_DOCUMENT_UPLOADED)
    assert [e.actor for e in uploaded] == [rep_a_user]
    assert rep_a.get(upload).status_code == 409  # answered: the slot is closed
    application.refresh_from_db()
    assert application.status == "accepted"  # nothing else moves

    # 8. Processing, then the supervisor approves: the client is invited to confirm PR.
    cycle.staff_act(officer, application, "process_start")
    assert officer.post(cycle.act_url(application, "approve"), {"confirm": "on"}).status_code == 403
    cycle.staff_act(supervisor, application, "approve")
    assert application.status == "approved"
    assert len(sent(outbox, client_email, kind="approved")) == 1
    confirmations = pr_confirmation.confirmations_for(application)
    assert [c.person_id for c in confirmations] == [pa.pk, spouse.pk]
    opened = cycle.events(application, Action.PR_OPENED)
    assert {e.actor for e in opened} == {supervisor_user} and len(opened) == 2

    # 9. The client confirms presence, address and photo for each person.
    body = client.get(client_page).content.decode()
    assert 'data-testid="pr-confirmations"' in body
    for confirmation in confirmations:
        url = reverse(
            "clients:pr_confirm", args=[application.public_id, confirmation.person.public_id]
        )
        assert client.post(url, cycle.pr_form()).status_code == 302
        confirmation.refresh_from_db()
        assert confirmation.state == PRConfirmation.State.SUBMITTED
    assert [e.actor for e in cycle.events(application, Action.PR_SENT)] == [client_user] * 2

    # 10. Staff accept each photo and confirm: an eCOPR per person, emailed to the client.
    for confirmation in confirmations:
        person_id = confirmation.person.public_id
        review = cycle.admin_url("pr_review", application, person_id)
        assert officer.post(review, {"decision": "accept"}).status_code == 302
        with django_capture_on_commit_callbacks(execute=True):
            confirm = cycle.admin_url("pr_confirm", application, person_id)
            assert officer.post(confirm, {"confirm": "on"}).status_code == 302
        confirmation.refresh_from_db()
        assert confirmation.state == PRConfirmation.State.CONFIRMED
        assert confirmation.ecopr is not None
        keys = [email["key"] for email in outbox.to(client_email)]
        assert f"ecopr:{confirmation.public_id}" in keys
        download = client.get(
            reverse("applications:ecopr", args=[application.public_id, person_id])
        )
        assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    for action in (Action.PR_PHOTO_ACCEPTED, Action.PR_CONFIRMED):
        assert [e.actor for e in cycle.events(application, action)] == [officer_user] * 2
    assert len(cycle.events(application, Action.ECOPR_ISSUED)) == 2
    body = client.get(client_page).content.decode()
    assert "The PR card will be mailed to:" in body

    # The representative's full history lists every step, staff shown as "IRCC staff".
    html = rep_a.get(cycle.app_url("history", application)).content.decode()
    assert "IRCC staff" in html and "hidden@example.test" not in html
    for label in ("Application submitted", "Additional documents requested", "eCOPR issued"):
        assert label in html, label

    # Every history row has a time inside the test.
    finished = timezone.now()
    for event in application.events.all():
        assert started <= event.at <= finished, event


def _signatures(application):
    from applications import signatures

    application.refresh_from_db()
    return signatures.required_signatures(application)
