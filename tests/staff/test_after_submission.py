"""Uploads after submission: answering a document request and reporting a change of
circumstances (applications.after_submission), as services and as the representative's
pages; and the processing timeline the representative and the client see."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.errors import WrongState
from accounts.models import OutboxEmail
from applications import after_submission, staff
from applications.documents import document_slots
from applications.history import processing_timeline
from applications.models import Application, ApplicationEvent, CircumstanceChange, Document
from applications.uploads import upload_check
from tests import factories
from tests.corpus import make_uploads
from tests.staff.helpers import OFFICER, make_staff_in

pytestmark = pytest.mark.django_db
DECIDED = ["approved", "refused", "withdrawn", "returned_other"]
BEFORE_SUBMISSION = ["draft", "awaiting_client_signature", "client_signed", "rep_declared"]


def _checked():
    return upload_check(
        SimpleUploadedFile("letter.pdf", make_uploads.good_pdf()), allowed_kinds={"pdf"}
    )


def _app(rep_user, status="completeness_check", number="F000000021"):
    return factories.make_application(
        representative=rep_user.representative,
        client=factories.make_client(user=factories.make_user(role="client"), activated=True),
        status=status,
        application_number=number,
    )


def _request(application, name="Police certificate"):
    return staff.staff_documents_request(
        application=application,
        name=name,
        due_on=timezone.localdate() + timedelta(days=20),
        actor=make_staff_in(OFFICER),
    )


def _fulfil(application, request, actor):
    return after_submission.document_request_fulfil(
        application=application, request=request, checked=_checked(), details={}, actor=actor
    )


# --- services ---------------------------------------------------------------------------------


def test_uploading_answers_the_request_with_who_and_when(rep_a_user):
    application = _app(rep_a_user)
    request = _request(application)
    OutboxEmail.objects.all().delete()
    document = _fulfil(application, request, rep_a_user)
    request.refresh_from_db()
    assert request.fulfilled_by == rep_a_user and request.fulfilled_at == document.uploaded_at
    assert request.document == document and document.slot_key == request.slot_key
    event = application.events.get(action=ApplicationEvent.Action.REQUESTED_DOCUMENT_UPLOADED)
    assert event.actor == rep_a_user and event.reason == "request"
    assert OutboxEmail.objects.count() == 2  # the representative and the client
    application.refresh_from_db()
    assert application.status == "completeness_check"  # nothing else moves


def test_a_request_is_answered_once(rep_a_user):
    application = _app(rep_a_user)
    request = _request(application)
    _fulfil(application, request, rep_a_user)
    with pytest.raises(after_submission.RequestClosed):
        _fulfil(application, request, rep_a_user)


@pytest.mark.parametrize("status", ["submitted", *DECIDED, "returned_incomplete", "draft"])
def test_a_request_is_not_open_outside_the_check_and_processing(rep_a_user, status):
    application = _app(rep_a_user)
    request = _request(application)
    Application.objects.filter(pk=application.pk).update(status=status)
    with pytest.raises(after_submission.RequestClosed):
        _fulfil(application, request, rep_a_user)
    assert not Document.objects.filter(slot_key=request.slot_key).exists()


def test_another_representative_cannot_answer(rep_a_user, rep_b_user):
    application = _app(rep_a_user)
    with pytest.raises(WrongState):
        _fulfil(application, _request(application), rep_b_user)


def _report(application, actor, kind="new_passport"):
    return after_submission.circumstance_change_report(
        application=application,
        kind=kind,
        note="  Passport renewed.  ",
        checked=_checked(),
        details={},
        actor=actor,
    )


@pytest.mark.parametrize("status", ["submitted", "completeness_check", "accepted", "in_process"])
def test_a_change_of_circumstances_is_logged_from_submission_to_decision(rep_a_user, status):
    application = _app(rep_a_user, status=status)
    change = _report(application, rep_a_user)
    assert change.note == "Passport renewed." and change.kind == "new_passport"
    assert change.document.slot_key == change.slot_key
    assert application.events.filter(
        action=ApplicationEvent.Action.CIRCUMSTANCES_REPORTED, actor=rep_a_user
    ).exists()


@pytest.mark.parametrize("status", [*BEFORE_SUBMISSION, *DECIDED, "returned_incomplete"])
def test_a_change_of_circumstances_is_refused_before_submission_and_after_a_decision(
    rep_a_user, status
):
    application = _app(rep_a_user, status=status)
    with pytest.raises(after_submission.CircumstancesClosed):
        _report(application, rep_a_user)
    assert not CircumstanceChange.objects.exists()


def test_uploads_after_submission_stay_off_the_checklist(rep_a_user):
    application = _app(rep_a_user)
    _fulfil(application, _request(application), rep_a_user)
    _report(application, rep_a_user)
    keys = [slot.key for slot in document_slots(application)]
    assert not any(key.startswith(("request--", "circumstances--")) for key in keys)


# --- the representative's pages -----------------------------------------------------------------


def test_the_application_page_shows_open_overdue_and_answered_requests(rep_a, rep_a_user):
    application = _app(rep_a_user)
    request = _request(application, name="Police certificate")
    late = _request(application, name="Medical exam")
    type(late).objects.filter(pk=late.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    url = reverse("applications:detail", args=[application.public_id])
    html = rep_a.get(url).content.decode()
    upload_url = reverse(
        "applications:requested_document_upload", args=[application.public_id, request.public_id]
    )
    assert upload_url in html and 'data-testid="overdue"' in html
    _fulfil(application, request, rep_a_user)
    html = rep_a.get(url).content.decode()
    assert upload_url not in html and "Sent on" in html


def test_the_representative_uploads_into_the_requested_slot(rep_a, rep_a_user):
    application = _app(rep_a_user)
    request = _request(application)
    url = reverse(
        "applications:requested_document_upload", args=[application.public_id, request.public_id]
    )
    assert rep_a.get(url).status_code == 200
    response = rep_a.post(url, {"file": SimpleUploadedFile("x.pdf", make_uploads.good_pdf())})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.is_fulfilled
    assert rep_a.get(url).status_code == 409  # answered: closed


def test_a_bad_file_is_refused_next_to_the_field_and_nothing_is_stored(rep_a, rep_a_user):
    application = _app(rep_a_user)
    request = _request(application)
    url = reverse(
        "applications:requested_document_upload", args=[application.public_id, request.public_id]
    )
    response = rep_a.post(url, {"file": SimpleUploadedFile("x.pdf", b"not a pdf at all")})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    request.refresh_from_db()
    assert not request.is_fulfilled


def test_a_request_of_another_application_is_a_404(rep_a, rep_a_user):
    application = _app(rep_a_user)
    other = _app(rep_a_user, number="F000000022")
    request = _request(other)
    url = reverse(
        "applications:requested_document_upload", args=[application.public_id, request.public_id]
    )
    assert rep_a.get(url).status_code == 404


def test_the_foreign_representative_gets_a_404(rep_b, rep_a_user):
    application = _app(rep_a_user)
    request = _request(application)
    for url in (
        reverse(
            "applications:requested_document_upload",
            args=[application.public_id, request.public_id],
        ),
        reverse("applications:circumstance_report", args=[application.public_id]),
    ):
        assert rep_b.get(url).status_code == 404
        assert rep_b.post(url, {}).status_code == 404


def test_the_representative_reports_a_change_of_circumstances(rep_a, rep_a_user):
    application = _app(rep_a_user, status="accepted")
    url = reverse("applications:circumstance_report", args=[application.public_id])
    response = rep_a.post(url, {"note": "kept", "file": ""})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "kind" in errors and "file" in errors
    assert "kept</textarea>" in response.content.decode()  # nothing typed is lost
    response = rep_a.post(
        url,
        {
            "kind": "marriage",
            "note": "Married on 2026-11-01.",
            "file": SimpleUploadedFile("x.pdf", make_uploads.good_pdf()),
        },
    )
    assert response.status_code == 302
    change = CircumstanceChange.objects.get(application=application)
    assert change.kind == "marriage"
    html = rep_a.get(reverse("applications:detail", args=[application.public_id])).content.decode()
    assert 'data-testid="circumstances"' in html and "Marriage or common-law union" in html


def test_a_change_of_circumstances_page_is_closed_on_a_draft(rep_a, rep_a_user):
    application = _app(rep_a_user, status="draft")
    url = reverse("applications:circumstance_report", args=[application.public_id])
    assert rep_a.get(url).status_code == 409


# --- the timeline -------------------------------------------------------------------------------


@pytest.fixture
def processed(rep_a_user):
    application = _app(rep_a_user)
    officer = make_staff_in(OFFICER, email="officer.secret@example.test")
    staff.staff_action(
        application=application,
        code="return_incomplete",
        actor=officer,
        reasons=["fee_missing"],
        note="Pay the difference.",
    )
    Application.objects.filter(pk=application.pk).update(status="completeness_check")
    request = _request(application, name="Birth certificate")
    _fulfil(application, request, rep_a_user)
    _report(application, rep_a_user, kind="birth")
    return application


def test_the_timeline_shows_decisions_requests_and_changes_with_staff_unnamed(processed):
    rows = processing_timeline(processed, for_client=False)
    actions = [row.action for row in rows]
    assert actions[:3] == ["circumstances:reported", "request:fulfilled", "request:opened"]
    returned = next(row for row in rows if row.action == "status:returned_incomplete")
    assert returned.actor == "IRCC staff" and returned.note == "Pay the difference."
    assert returned.details == ["Fee missing or underpaid"]
    assert all("officer.secret" not in row.actor for row in rows)


def test_the_representative_and_the_client_see_the_timeline_in_both_languages(processed, rep_a):
    from tests.conftest import signed_in

    rep_url = reverse("applications:detail", args=[processed.public_id])
    client = signed_in(processed.client.user)
    client_url = reverse("clients:application", args=[processed.public_id])
    for http, url in ((rep_a, rep_url), (client, client_url)):
        html = http.get(url).content.decode()
        assert "Pay the difference." in html and "IRCC staff" in html
        assert "Birth certificate" in html and "officer.secret" not in html
        html = http.get(url.replace("/en/", "/fr/", 1)).content.decode()
        assert "Personnel d’IRCC" in html or "Personnel d'IRCC" in html


def test_the_timeline_queries_do_not_grow(processed, rep_a_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        processing_timeline(processed, for_client=True)
    for number in range(5):
        _request(processed, name=f"Document {number}")
        _report(processed, rep_a_user)
    with CaptureQueriesContext(connection) as second:
        processing_timeline(processed, for_client=True)
    assert len(first) == len(second) == 4


def test_the_pages_with_a_timeline_keep_their_queries_constant(processed, rep_a, rep_a_user):
    """The representative's application page and the client's page of a processed
    application: the same number of queries with one request and change as with six."""
    from tests.conftest import signed_in
    from tests.forms_imm.test_queries import baseline, count

    client = signed_in(processed.client.user)
    urls = (
        (rep_a, reverse("applications:detail", args=[processed.public_id])),
        (client, reverse("clients:application", args=[processed.public_id])),
    )
    for http, _url in urls:
        baseline(http)
    before = [count(http, "get", url)[0] for http, url in urls]
    for number in range(5):
        _fulfil(processed, _request(processed, name=f"Document {number}"), rep_a_user)
        _report(processed, rep_a_user)
    after = [count(http, "get", url)[0] for http, url in urls]
    assert before == after


# --- what staff see in the admin ----------------------------------------------------------------


def test_staff_see_documents_received_and_changes_in_the_queue_and_the_application(rep_a_user):
    from tests.conftest import signed_in

    queue = reverse("admin:applications_application_changelist")
    answered = _app(rep_a_user, number="F000000031")
    request = _request(answered, name="Police certificate")
    document = _fulfil(answered, request, rep_a_user)
    changed = _app(rep_a_user, status="accepted", number="F000000032")
    change = _report(changed, rep_a_user, kind="new_address")
    _app(rep_a_user, number="F000000033")
    officer = signed_in(make_staff_in(OFFICER))
    html = officer.get(queue).content.decode()
    assert "documents received" in html.lower() and "change of circumstances" in html.lower()
    html = officer.get(queue, {"documents_received": "yes"}).content.decode()
    assert "F000000031" in html and "F000000032" not in html and "F000000033" not in html
    html = officer.get(queue, {"circumstances": "yes"}).content.decode()
    assert "F000000032" in html and "F000000031" not in html
    html = officer.get(queue, {"circumstances": "no"}).content.decode()
    assert "F000000032" not in html and "F000000033" in html
    page = officer.get(reverse("admin:applications_application_change", args=[answered.pk]))
    assert document.display_name in page.content.decode()
    page = officer.get(reverse("admin:applications_application_change", args=[changed.pk]))
    html = page.content.decode()
    assert change.document.display_name in html and "New address or contact details" in html


def test_the_full_history_page_names_staff_as_ircc_staff(processed, rep_a):
    html = rep_a.get(reverse("applications:history", args=[processed.public_id])).content.decode()
    assert "IRCC staff" in html and "officer.secret" not in html
    assert "Requested document uploaded" in html and "Change of circumstances reported" in html
