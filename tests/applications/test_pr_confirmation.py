"""PR confirmation services: opening at approval, every state check, permissions, history
rows, emails, and the eCOPR (its content read back from the PDF)."""

import itertools
from datetime import date

import pypdfium2
import pytest
from django.core.exceptions import PermissionDenied
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.errors import WrongState
from accounts.models import OutboxEmail, User
from applications import ecopr, pr_confirmation
from applications.models import ApplicationEvent, EcoprErrorReport, PRConfirmation
from tests import factories
from tests.applications.pr_helpers import ADDRESS, approved_application, photo
from tests.staff.helpers import OFFICER, PROGRAM_ADMIN, make_staff_in

pytestmark = pytest.mark.django_db
State = PRConfirmation.State


@pytest.fixture
def approved():
    return approved_application(dependants=1)


def _send(confirmation, actor, **overrides):
    values = {
        "confirmation": confirmation,
        "actor": actor,
        "in_canada": True,
        "entered_canada_on": date(2026, 1, 5),
        "address": ADDRESS,
        "photo": photo(),
        **overrides,
    }
    return pr_confirmation.pr_confirmation_send(**values)


def _in_state(confirmation, state):
    PRConfirmation.objects.filter(pk=confirmation.pk).update(
        state=state, landed_on=date(2026, 2, 1) if state == State.CONFIRMED else None
    )
    confirmation.refresh_from_db()
    return confirmation


def test_approval_opens_one_confirmation_per_person_becoming_a_permanent_resident(approved):
    application, supervisor = approved
    confirmations = pr_confirmation.confirmations_for(application)
    assert [c.person.given_names for c in confirmations] == ["Amina", "Child0"]
    assert {c.state for c in confirmations} == {State.PENDING}
    opened = ApplicationEvent.objects.filter(
        application=application, action=ApplicationEvent.Action.PR_OPENED
    )
    assert opened.count() == 2 and {e.actor for e in opened} == {supervisor}


def test_opening_again_adds_nothing(approved):
    application, supervisor = approved
    assert pr_confirmation.pr_confirmations_open(application=application, actor=supervisor) == []
    assert PRConfirmation.objects.filter(application=application).count() == 2


def test_opening_refuses_an_application_that_is_not_approved():
    application = factories.make_application(status="in_process")
    with pytest.raises(WrongState):
        pr_confirmation.pr_confirmations_open(application=application, actor=None)


def test_the_client_sends_presence_address_and_photo(approved, outbox):
    application, _ = approved
    confirmation = pr_confirmation.confirmations_for(application)[0]
    sent = _send(confirmation, application.client.user)
    assert sent.state == State.SUBMITTED
    assert sent.photo.purpose == "pr-photos" and sent.photo.width == 600
    assert (sent.city, sent.province, sent.postal_code) == ("Ottawa", "ON", "K1M 1M4")
    event = ApplicationEvent.objects.get(application=application, action="pr.sent")
    assert event.person_public_id == confirmation.person.public_id
    assert event.actor == application.client.user


@pytest.mark.parametrize("state", [State.SUBMITTED, State.PHOTO_ACCEPTED, State.CONFIRMED])
def test_the_client_cannot_send_once_under_review_or_later(approved, state):
    application, _ = approved
    confirmation = _in_state(pr_confirmation.confirmations_for(application)[0], state)
    with pytest.raises(WrongState):
        _send(confirmation, application.client.user)


def test_a_person_outside_canada_cannot_be_confirmed(approved):
    application, _ = approved
    confirmation = pr_confirmation.confirmations_for(application)[0]
    with pytest.raises(pr_confirmation.NotInCanada):
        _send(confirmation, application.client.user, in_canada=False)
    confirmation.refresh_from_db()
    assert confirmation.state == State.PENDING


def test_only_the_client_of_the_application_sends(approved):
    application, supervisor = approved
    confirmation = pr_confirmation.confirmations_for(application)[0]
    for actor in (application.representative.user, factories.make_client().user, supervisor):
        with pytest.raises(PermissionDenied):
            _send(confirmation, actor)


def test_photo_review_needs_the_permission(approved):
    application, _ = approved
    confirmation = _send(pr_confirmation.confirmations_for(application)[0], application.client.user)
    for actor in (make_staff_in(PROGRAM_ADMIN), factories.make_staff(), application.client.user):
        with pytest.raises(PermissionDenied):
            pr_confirmation.pr_photo_review(confirmation=confirmation, actor=actor, accept=True)


def test_a_rejection_needs_a_reason_emails_the_client_and_lets_them_send_again(approved, outbox):
    application, _ = approved
    officer = make_staff_in(OFFICER)
    confirmation = _send(pr_confirmation.confirmations_for(application)[0], application.client.user)
    with pytest.raises(pr_confirmation.ReasonMissing):
        pr_confirmation.pr_photo_review(
            confirmation=confirmation, actor=officer, accept=False, reason="  "
        )
    rejected = pr_confirmation.pr_photo_review(
        confirmation=confirmation, actor=officer, accept=False, reason="Shadows on the face."
    )
    assert rejected.state == State.PHOTO_REJECTED and rejected.reviewed_by == officer
    assert [e["template"] for e in outbox.emails] == ["pr_update"]
    assert outbox.emails[0]["to"] == application.client.user.email
    assert outbox.emails[0]["context"]["kind"] == "photo_rejected"
    again = _send(rejected, application.client.user, photo=photo(name="second.png"))
    assert again.state == State.SUBMITTED and again.rejection_reason == ""


@pytest.mark.parametrize(
    ("state", "service"),
    list(itertools.product([s for s in State if s != State.SUBMITTED], ["accept", "reject"]))
    + [(s, "confirm") for s in State if s != State.PHOTO_ACCEPTED],
)
def test_staff_actions_follow_the_transition_table(approved, state, service):
    application, _ = approved
    officer = make_staff_in(OFFICER)
    confirmation = _in_state(pr_confirmation.confirmations_for(application)[0], state)
    with pytest.raises(WrongState):
        if service == "confirm":
            pr_confirmation.pr_confirm(confirmation=confirmation, actor=officer)
        else:
            pr_confirmation.pr_photo_review(
                confirmation=confirmation, actor=officer, accept=service == "accept", reason="x"
            )


def test_confirming_issues_the_ecopr_and_emails_the_client(
    approved, django_capture_on_commit_callbacks
):
    application, _ = approved
    officer = make_staff_in(OFFICER)
    confirmation = _send(pr_confirmation.confirmations_for(application)[0], application.client.user)
    pr_confirmation.pr_photo_review(confirmation=confirmation, actor=officer, accept=True)
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = pr_confirmation.pr_confirm(confirmation=confirmation, actor=officer)
    assert confirmed.state == State.CONFIRMED and confirmed.landed_on is not None
    confirmation.refresh_from_db()
    assert confirmation.ecopr is not None and confirmation.ecopr.kind == "pdf"
    actions = list(
        ApplicationEvent.objects.filter(
            application=application, person_public_id=confirmation.person.public_id
        ).values_list("action", flat=True)
    )
    for action in ("pr.opened", "pr.sent", "pr.photo_accepted", "pr.confirmed", "pr.ecopr_issued"):
        assert action in actions
    email = OutboxEmail.objects.get(key=f"ecopr:{confirmation.public_id}")
    assert email.to == application.client.user.email
    assert "PR card will be mailed" in email.body_text
    # Rendering again keeps the issued file.
    assert ecopr.ecopr_build(confirmation_id=confirmation.pk) == "exists"


def test_the_ecopr_pdf_shows_the_person_the_number_the_landing_date_and_the_address(approved):
    application, _ = approved
    confirmation = _send(pr_confirmation.confirmations_for(application)[0], application.client.user)
    _in_state(confirmation, State.CONFIRMED)
    assert ecopr.ecopr_build(confirmation_id=confirmation.pk) == "rendered"
    confirmation.refresh_from_db()
    with confirmation.ecopr.file.open("rb") as handle:
        document = pypdfium2.PdfDocument(handle.read())
    text = " ".join(document[0].get_textpage().get_text_range().split())
    for expected in (
        "Confirmation of Permanent Residence",
        "Confirmation de résidence permanente",
        "Tremblay",
        "Amina",
        "1990-04-02",
        "12-3456-7890",
        "F000000042",
        "2026-02-01",
        "24 Sussex Drive",
        "K1M 1M4",
        "Date de naissance",
    ):
        assert expected in text, expected


def test_a_not_confirmed_person_gets_no_ecopr(approved):
    application, _ = approved
    confirmation = pr_confirmation.confirmations_for(application)[0]
    assert ecopr.ecopr_build(confirmation_id=confirmation.pk) == "not_confirmed"
    assert ecopr.pending_ecoprs() == []


def test_the_client_reports_an_error_and_the_representative_is_emailed(approved, outbox):
    application, _ = approved
    confirmation = _send(pr_confirmation.confirmations_for(application)[0], application.client.user)
    _in_state(confirmation, State.CONFIRMED)
    with pytest.raises(WrongState):  # no eCOPR yet
        pr_confirmation.ecopr_error_report(
            confirmation=confirmation,
            actor=application.client.user,
            field="name",
            correct_value="Amina Tremblay",
        )
    ecopr.ecopr_build(confirmation_id=confirmation.pk)
    outbox.emails.clear()
    report = pr_confirmation.ecopr_error_report(
        confirmation=confirmation,
        actor=application.client.user,
        field="date_of_birth",
        correct_value=" 1990-04-03 ",
    )
    assert (report.field, report.correct_value) == ("date_of_birth", "1990-04-03")
    assert EcoprErrorReport.objects.filter(confirmation=confirmation).count() == 1
    assert outbox.emails[0]["to"] == application.representative.user.email
    assert ApplicationEvent.objects.filter(action="pr.ecopr_error_reported").exists()
    with pytest.raises(PermissionDenied):
        pr_confirmation.ecopr_error_report(
            confirmation=confirmation,
            actor=application.representative.user,
            field="name",
            correct_value="x",
        )


# --- random sequences (Hypothesis) -------------------------------------------------------------

OPERATIONS = ("send", "accept", "reject", "confirm")


@settings(
    max_examples=40,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(st.sampled_from(OPERATIONS), max_size=8))
def test_random_sequences_follow_the_table_and_write_one_history_row_per_move(approved, steps):
    application, _ = approved
    officer = User.objects.filter(groups__name=OFFICER).first() or make_staff_in(OFFICER)
    confirmation = pr_confirmation.confirmations_for(application)[0]
    PRConfirmation.objects.filter(pk=confirmation.pk).update(state=State.PENDING, landed_on=None)
    confirmation.refresh_from_db()
    events = ApplicationEvent.objects.filter(
        application=application, person_public_id=confirmation.person.public_id
    )
    for step in steps:
        before_state, before_events = confirmation.state, events.count()
        target = {
            "send": State.SUBMITTED,
            "accept": State.PHOTO_ACCEPTED,
            "reject": State.PHOTO_REJECTED,
            "confirm": State.CONFIRMED,
        }[step]
        allowed = target in PRConfirmation.TRANSITIONS[before_state]
        try:
            if step == "send":
                _send(confirmation, application.client.user)
            elif step == "confirm":
                pr_confirmation.pr_confirm(confirmation=confirmation, actor=officer)
            else:
                pr_confirmation.pr_photo_review(
                    confirmation=confirmation, actor=officer, accept=step == "accept", reason="r"
                )
        except WrongState:
            assert not allowed
        else:
            assert allowed
        confirmation.refresh_from_db()
        assert confirmation.state == (target if allowed else before_state)
        assert events.count() == before_events + (1 if allowed else 0)
        if confirmation.state == State.PHOTO_REJECTED:
            assert confirmation.rejection_reason
        if confirmation.state == State.CONFIRMED:
            assert confirmation.landed_on is not None and confirmation.photo_id is not None
