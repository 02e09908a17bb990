"""Random sequences of staff and representative actions (including the uploads allowed after
submission) keep the workflow's invariants."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from accounts.errors import DomainError
from applications import after_submission, staff
from applications.models import (
    Application,
    ApplicationEvent,
    CircumstanceChange,
    ReturnReason,
    StaffDecision,
)
from applications.services import person_update
from applications.uploads import upload_check
from tests import factories
from tests.corpus import make_uploads
from tests.staff.helpers import OFFICER, SUPERVISOR, make_staff_in

pytestmark = pytest.mark.django_db
DECISIONS = (StaffDecision.Kind.APPROVED, StaffDecision.Kind.REFUSED)
ANY_REASONS = st.lists(st.sampled_from([code for code, _label in ReturnReason.choices]), max_size=3)

PDF = make_uploads.good_pdf()


def _checked():
    return upload_check(SimpleUploadedFile("letter.pdf", PDF), allowed_kinds={"pdf"})


class StaffWorkflow(RuleBasedStateMachine):
    actors: dict = {}

    def __init__(self):
        super().__init__()
        self.application = factories.make_application(
            representative=self.actors["representative"].representative,
            status=Application.Status.SUBMITTED,
        )
        self.status = self.application.status
        self.events = 0

    def _record(self, outcome_ok: bool, before: str) -> None:
        self.application.refresh_from_db()
        after = self.application.status
        if outcome_ok:
            assert after in Application.TRANSITIONS[before]
            self.events += 1
        else:
            assert after == before
        self.status = after

    @rule(
        code=st.sampled_from(sorted(staff.ACTIONS)),
        who=st.sampled_from(["officer", "supervisor", "representative"]),
        reasons=ANY_REASONS,
    )
    def staff_action(self, code, who, reasons):
        before = self.application.status
        try:
            staff.staff_action(
                application=self.application, code=code, actor=self.actors[who], reasons=reasons
            )
        except (DomainError, PermissionDenied):
            self._record(False, before)
            return
        # Only a permitted actor, in a staff-held state, with valid reasons, gets here.
        assert who != "representative"
        assert not (who == "officer" and code in ("approve", "refuse"))
        assert before in staff.STAFF_STATUSES
        self._record(True, before)

    @rule()
    def withdraw(self):
        before = self.application.status
        try:
            staff.application_withdraw(
                application=self.application, actor=self.actors["representative"]
            )
        except DomainError:
            self._record(False, before)
            return
        self._record(True, before)

    @rule()
    def request_documents(self):
        before = self.application.status
        try:
            staff.staff_documents_request(
                application=self.application,
                name="Police certificate",
                due_on=timezone.localdate() + timedelta(days=10),
                actor=self.actors["officer"],
            )
        except DomainError:
            assert before not in staff.DOCUMENT_REQUEST_STATUSES
            return
        self.events += 1
        self.application.refresh_from_db()
        assert self.application.status == before

    @rule()
    def answer_a_request(self):
        request = self.application.document_requests.filter(fulfilled_at__isnull=True).first()
        if request is None:
            return
        before = self.application.status
        try:
            after_submission.document_request_fulfil(
                application=self.application,
                request=request,
                checked=_checked(),
                details={},
                actor=self.actors["representative"],
            )
        except DomainError:
            assert before not in staff.DOCUMENT_REQUEST_STATUSES
            return
        assert before in staff.DOCUMENT_REQUEST_STATUSES
        self.events += 1
        self.application.refresh_from_db()
        assert self.application.status == before

    @rule(kind=st.sampled_from(CircumstanceChange.Kind.values))
    def report_a_change_of_circumstances(self, kind):
        before = self.application.status
        try:
            after_submission.circumstance_change_report(
                application=self.application,
                kind=kind,
                note="",
                checked=_checked(),
                details={},
                actor=self.actors["representative"],
            )
        except DomainError:
            assert before not in after_submission.CIRCUMSTANCE_STATUSES
            return
        assert before in staff.STAFF_STATUSES
        self.events += 1
        self.application.refresh_from_db()
        assert self.application.status == before

    @rule()
    def representative_edits(self):
        person = self.application.principal_applicant
        person.refresh_from_db()
        try:
            person_update(
                person=person,
                changes={"given_names": "Changed"},
                expected_version=person.version,
                actor=self.actors["representative"],
            )
        except DomainError:
            assert not self.application.is_editable
            return
        assert self.application.status in Application.EDITABLE

    @invariant()
    def history_matches_the_actions(self):
        counted = ApplicationEvent.objects.filter(application=self.application).exclude(
            action=ApplicationEvent.Action.PERSON_CHANGED
        )
        assert counted.count() == self.events

    @invariant()
    def no_decision_twice(self):
        decided = StaffDecision.objects.filter(application=self.application, kind__in=DECISIONS)
        assert decided.count() <= 1
        if decided:
            assert self.application.status in ("approved", "refused")


def test_random_action_sequences_keep_the_invariants(rep_a_user):
    StaffWorkflow.actors = {
        "officer": make_staff_in(OFFICER),
        "supervisor": make_staff_in(SUPERVISOR),
        "representative": rep_a_user,
    }
    run_state_machine_as_test(
        StaffWorkflow,
        settings=settings(
            max_examples=40,
            stateful_step_count=15,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
