"""support.services: the transition table, assignment, replies and their emails."""

import itertools
import re
from pathlib import Path

import pytest

from accounts.errors import WrongState
from accounts.models import AuditEvent, OutboxEmail
from support.models import SupportEvent, SupportRequest
from support.services import (
    _transition,
    reference_generate,
    support_request_assign,
    support_request_reply,
    support_request_set_status,
)
from tests import factories

pytestmark = pytest.mark.django_db
Status = SupportRequest.Status
PAIRS = list(itertools.product(Status.values, repeat=2))


def at_status(status):
    support_request = factories.make_support_request()
    SupportRequest.objects.filter(pk=support_request.pk).update(status=status)
    support_request.refresh_from_db()
    return support_request


@pytest.mark.parametrize(("current", "to"), PAIRS)
def test_each_move_follows_the_table(current, to, staff_user):
    support_request = at_status(current)
    before = SupportEvent.objects.count()

    if to in SupportRequest.TRANSITIONS[current]:
        support_request_set_status(support_request=support_request, to=to, actor=staff_user)
        support_request.refresh_from_db()
        assert support_request.status == to
        event = SupportEvent.objects.latest("id")
        assert SupportEvent.objects.count() == before + 1
        assert (event.kind, event.old_status, event.new_status) == ("status_changed", current, to)
        assert event.actor == staff_user
    else:
        with pytest.raises(WrongState):
            support_request_set_status(support_request=support_request, to=to, actor=staff_user)
        support_request.refresh_from_db()
        assert support_request.status == current
        assert SupportEvent.objects.count() == before
        assert not AuditEvent.objects.filter(action="support_request.status_changed").exists()


def test_closed_is_final():
    assert SupportRequest.TRANSITIONS[Status.CLOSED] == frozenset()
    assert set(SupportRequest.TRANSITIONS) == set(Status.values)


def test_references_are_human_friendly_and_unique():
    references = {reference_generate() for _ in range(500)}
    assert len(references) == 500
    assert all(re.fullmatch(r"TI-[A-HJKMNP-Z2-9]{8}", r) for r in references)


def test_a_clashing_reference_is_drawn_again(monkeypatch):
    first = factories.make_support_request()
    draws = iter([first.reference, "TI-ABCDEFGH"])
    monkeypatch.setattr("support.services.reference_generate", lambda: next(draws))
    assert factories.make_support_request().reference == "TI-ABCDEFGH"


def test_assigning_a_new_request_puts_it_in_progress_with_history(staff_user):
    support_request = factories.make_support_request()

    support_request_assign(support_request=support_request, assignee=staff_user, actor=staff_user)

    support_request.refresh_from_db()
    assert support_request.assignee == staff_user
    assert support_request.status == Status.IN_PROGRESS
    kinds = list(support_request.events.values_list("kind", flat=True))
    assert kinds == ["submitted", "assigned", "status_changed"]
    # Assigning again to the same person changes nothing.
    support_request_assign(support_request=support_request, assignee=staff_user, actor=staff_user)
    assert support_request.events.count() == 3


def test_only_staff_can_be_assigned(rep_a_user, staff_user):
    support_request = factories.make_support_request()
    with pytest.raises(ValueError):
        support_request_assign(
            support_request=support_request, assignee=rep_a_user, actor=staff_user
        )


def test_a_reply_is_emailed_recorded_and_can_move_the_status(
    staff_user, django_capture_on_commit_callbacks
):
    support_request = factories.make_support_request(email="someone@example.test")

    with django_capture_on_commit_callbacks(execute=True):
        event = support_request_reply(
            support_request=support_request,
            message="Please clear your browser cache.",
            actor=staff_user,
            then_status=Status.WAITING_FOR_REPLY,
        )

    support_request.refresh_from_db()
    assert support_request.status == Status.WAITING_FOR_REPLY
    assert event.kind == SupportEvent.Kind.REPLIED and event.actor == staff_user
    email = OutboxEmail.objects.get(key=f"support:reply:{event.pk}")
    assert email.to == "someone@example.test"
    assert support_request.reference in email.subject
    assert "Please clear your browser cache." in email.body_text
    assert AuditEvent.objects.filter(action="support_request.replied").count() == 1


def test_a_closed_request_takes_no_reply(staff_user):
    support_request = at_status(Status.CLOSED)
    with pytest.raises(WrongState):
        support_request_reply(support_request=support_request, message="x", actor=staff_user)
    assert not support_request.events.filter(kind="replied").exists()
    assert not OutboxEmail.objects.filter(key__startswith="support:reply").exists()


def test_a_reply_with_a_disallowed_status_writes_nothing(staff_user):
    support_request = at_status(Status.RESOLVED)
    with pytest.raises(WrongState):
        support_request_reply(
            support_request=support_request, message="x", actor=staff_user,
            then_status=Status.WAITING_FOR_REPLY,
        )  # fmt: skip
    assert not support_request.events.filter(kind="replied").exists()


def test_transition_is_the_only_status_writer():
    """A source scan: no `.status =` on a support request outside support/services.py."""
    root = Path(__file__).resolve().parents[2] / "support"
    offenders = [
        str(path)
        for path in root.rglob("*.py")
        if path.name != "services.py"
        and "migrations" not in path.parts
        and re.search(r"\.status\s*=(?!=)", path.read_text())
    ]
    assert offenders == []
    assert _transition.__doc__ and "only writer" in _transition.__doc__
