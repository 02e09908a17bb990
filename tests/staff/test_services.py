"""Staff services: the transition table, permissions, the history row and the emails."""

import itertools
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.errors import DomainError, WrongState
from accounts.models import OutboxEmail
from applications import staff
from applications.models import Application, ApplicationEvent, DocumentRequest, StaffDecision
from tests import factories
from tests.staff.helpers import OFFICER, PROGRAM_ADMIN, SUPERVISOR, make_staff_in

pytestmark = pytest.mark.django_db
STATUSES = [s.value for s in Application.Status]
REASONS = {
    "return_incomplete": ["missing_item", "fee_missing"],
    "return_other": ["cap_reached"],
    "refuse": ["inadmissible"],
}


@pytest.fixture
def supervisor():
    return make_staff_in(SUPERVISOR)


@pytest.fixture
def officer():
    return make_staff_in(OFFICER)


def _app(status, **extra):
    return factories.make_application(status=status, application_number="F000000001", **extra)


@pytest.mark.parametrize(("status", "code"), list(itertools.product(STATUSES, staff.ACTIONS)))
def test_every_status_and_action_pair_follows_the_transition_table(supervisor, status, code):
    application = _app(status)
    allowed = (
        status in staff.STAFF_STATUSES and staff.ACTIONS[code].to in Application.TRANSITIONS[status]
    )
    events = ApplicationEvent.objects.filter(application=application)
    if allowed:
        staff.staff_action(
            application=application, code=code, actor=supervisor, reasons=REASONS.get(code, [])
        )
        application.refresh_from_db()
        assert application.status == staff.ACTIONS[code].to
        # Approval also opens the PR confirmations (their rows: tests/applications).
        event = events.get(action=ApplicationEvent.Action.STATUS_CHANGED)
        assert (event.actor, event.old_status, event.new_status) == (
            supervisor,
            status,
            application.status,
        )
    else:
        with pytest.raises(WrongState):
            staff.staff_action(
                application=application, code=code, actor=supervisor, reasons=REASONS.get(code, [])
            )
        application.refresh_from_db()
        assert application.status == status
        assert not events.exists()
        assert not StaffDecision.objects.exists()


@pytest.mark.parametrize("status", STATUSES)
def test_withdraw_follows_the_transition_table(status):
    application = _app(status)
    actor = application.representative.user
    if Application.Status.WITHDRAWN in Application.TRANSITIONS[status]:
        staff.application_withdraw(application=application, actor=actor)
        application.refresh_from_db()
        assert application.status == "withdrawn"
        assert OutboxEmail.objects.count() == 2
    else:
        with pytest.raises(WrongState):
            staff.application_withdraw(application=application, actor=actor)
        assert not OutboxEmail.objects.exists()


def test_only_the_applications_own_representative_withdraws(rep_b_user, client_a_user):
    application = _app("submitted")
    for outsider in (rep_b_user, client_a_user, make_staff_in(SUPERVISOR)):
        with pytest.raises(PermissionDenied):
            staff.application_withdraw(application=application, actor=outsider)
    application.refresh_from_db()
    assert application.status == "submitted"


@pytest.mark.parametrize(
    ("group", "code", "status", "may"),
    [
        (OFFICER, "check_start", "submitted", True),
        (OFFICER, "return_incomplete", "completeness_check", True),
        (OFFICER, "accept", "completeness_check", True),
        (OFFICER, "approve", "in_process", False),
        (OFFICER, "refuse", "in_process", False),
        (SUPERVISOR, "approve", "in_process", True),
        (SUPERVISOR, "refuse", "in_process", True),
        (PROGRAM_ADMIN, "accept", "completeness_check", False),
        (PROGRAM_ADMIN, "return_other", "completeness_check", False),
    ],
)
def test_each_action_needs_its_permission(group, code, status, may):
    actor = make_staff_in(group)
    application = _app(status)
    call = {"application": application, "code": code, "actor": actor}
    if may:
        staff.staff_action(**call, reasons=REASONS.get(code, []))
        assert ApplicationEvent.objects.filter(application=application, actor=actor).exists()
    else:
        with pytest.raises(PermissionDenied):
            staff.staff_action(**call, reasons=REASONS.get(code, []))
        application.refresh_from_db()
        assert application.status == status


def test_staff_without_a_group_and_non_staff_are_refused(rep_a_user):
    application = _app("submitted")
    for actor in (factories.make_staff(), rep_a_user):
        with pytest.raises(PermissionDenied):
            staff.staff_action(application=application, code="check_start", actor=actor)


def test_return_as_incomplete_keeps_reasons_items_and_note_and_emails_both(officer):
    application = _app("completeness_check")
    staff.staff_action(
        application=application,
        code="return_incomplete",
        actor=officer,
        reasons=["missing_item", "fee_missing", "missing_item"],
        items=["imm5532"] if application.program.checklist.filter(code="imm5532").exists() else [],
        note="The marriage certificate is missing.",
    )
    application.refresh_from_db()
    assert application.status == "returned_incomplete"
    assert application.is_editable  # unlocked back to the representative
    decision = staff.latest_return(application)
    assert decision.reasons == ["missing_item", "fee_missing"]
    assert decision.note == "The marriage certificate is missing."
    event = ApplicationEvent.objects.get(application=application)
    assert event.reason == "missing_item,fee_missing"
    assert "marriage" not in event.reason  # codes only in the history
    recipients = set(OutboxEmail.objects.values_list("to", flat=True))
    assert recipients == {application.representative.user.email, application.client.user.email}
    assert all("returned as incomplete" in e.subject for e in OutboxEmail.objects.all())
    assert all("marriage" not in e.body_text for e in OutboxEmail.objects.all())


@pytest.mark.parametrize(
    ("code", "reasons"),
    [
        ("return_incomplete", []),
        ("return_incomplete", ["cap_reached"]),
        ("return_other", ["missing_item"]),
        ("refuse", []),
        ("accept", ["missing_item"]),
    ],
)
def test_reasons_must_come_from_the_actions_own_list(supervisor, code, reasons):
    status = "in_process" if code == "refuse" else "completeness_check"
    application = _app(status)
    with pytest.raises(staff.ReasonsInvalid):
        staff.staff_action(application=application, code=code, actor=supervisor, reasons=reasons)
    assert not ApplicationEvent.objects.exists()


def test_items_must_belong_to_the_applications_program(officer):
    application = _app("completeness_check")
    with pytest.raises(staff.ReasonsInvalid):
        staff.staff_action(
            application=application,
            code="return_incomplete",
            actor=officer,
            reasons=["missing_item"],
            items=["no-such-item"],
        )


def test_accept_emails_the_acknowledgement_of_receipt(officer):
    application = _app("completeness_check")
    staff.staff_action(application=application, code="accept", actor=officer)
    subjects = list(OutboxEmail.objects.values_list("subject", flat=True))
    assert len(subjects) == 2
    assert all("Acknowledgement of receipt" in s and "F000000001" in s for s in subjects)


def test_request_documents_opens_a_slot_with_a_due_date(officer):
    application = _app("accepted")
    due = timezone.localdate() + timedelta(days=30)
    request = staff.staff_documents_request(
        application=application, name="Police certificate", due_on=due, actor=officer
    )
    assert request.slot_key == f"request--{request.public_id}"
    event = ApplicationEvent.objects.get(application=application)
    assert event.action == ApplicationEvent.Action.DOCUMENTS_REQUESTED
    assert event.actor == officer
    assert OutboxEmail.objects.count() == 2


@pytest.mark.parametrize("status", STATUSES)
def test_documents_are_requested_only_while_staff_hold_the_application(officer, status):
    application = _app(status)
    call = {
        "application": application,
        "name": "Police certificate",
        "due_on": timezone.localdate() + timedelta(days=30),
        "actor": officer,
    }
    if status in ("completeness_check", "accepted", "in_process"):
        staff.staff_documents_request(**call)
        assert DocumentRequest.objects.count() == 1
    else:
        with pytest.raises(WrongState):
            staff.staff_documents_request(**call)
        assert not DocumentRequest.objects.exists()


def test_a_document_request_needs_a_name_and_a_future_date(officer):
    application = _app("accepted")
    with pytest.raises(DomainError):
        staff.staff_documents_request(
            application=application,
            name=" ",
            due_on=timezone.localdate() + timedelta(1),
            actor=officer,
        )
    with pytest.raises(DomainError):
        staff.staff_documents_request(
            application=application, name="Photo", due_on=timezone.localdate(), actor=officer
        )
    with pytest.raises(PermissionDenied):
        staff.staff_documents_request(
            application=application,
            name="Photo",
            due_on=timezone.localdate() + timedelta(1),
            actor=make_staff_in(PROGRAM_ADMIN),
        )
    assert not DocumentRequest.objects.exists()


def test_actions_for_lists_what_the_user_may_do_now(officer, supervisor):
    application = _app("in_process")
    assert [a.code for a in staff.actions_for(application, supervisor)] == ["approve", "refuse"]
    assert staff.actions_for(application, officer) == []
