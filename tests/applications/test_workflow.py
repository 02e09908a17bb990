"""The status model: one TRANSITIONS table, one writer (_transition), one history row per move."""

import itertools
import re
from pathlib import Path

import pytest

from accounts.errors import WrongState
from applications.models import Application, ApplicationEvent
from applications.services import _transition
from tests import factories

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
STATUSES = [s.value for s in Application.Status]


def test_the_state_list_is_the_whole_of_workflow_9_1():
    assert set(STATUSES) == {
        "draft", "awaiting_client_signature", "client_signed", "rep_declared", "submitted",
        "completeness_check", "returned_incomplete", "returned_other", "accepted", "in_process",
        "approved", "refused", "withdrawn", "expired",
    }  # fmt: skip
    assert set(Application.TRANSITIONS) == set(STATUSES)
    for targets in Application.TRANSITIONS.values():
        assert targets <= set(STATUSES)


def test_key_moves_of_the_workflow_are_allowed():
    t = Application.TRANSITIONS
    assert "returned_other" in t["rep_declared"]  # over the intake cap at submission
    assert "draft" in t["returned_incomplete"]  # resubmit after completing
    assert not t["returned_other"] and not t["approved"] and not t["refused"]


@pytest.fixture
def application(rep_a_user):
    return factories.make_application(representative=rep_a_user.representative)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (a, b)
        for a, b in itertools.product(STATUSES, STATUSES)
        if b not in Application.TRANSITIONS[a]
    ],
)
def test_every_pair_outside_the_table_raises_and_writes_nothing(
    application, rep_a_user, current, target
):
    Application.objects.filter(pk=application.pk).update(status=current)
    application.refresh_from_db()
    with pytest.raises(WrongState):
        _transition(application, to=target, actor=rep_a_user)
    application.refresh_from_db()
    assert application.status == current
    assert not ApplicationEvent.objects.exists()


@pytest.mark.parametrize(
    ("current", "target"),
    [(a, b) for a, targets in Application.TRANSITIONS.items() for b in sorted(targets)],
)
def test_every_allowed_pair_writes_exactly_one_event(application, rep_a_user, current, target):
    Application.objects.filter(pk=application.pk).update(status=current)
    application.refresh_from_db()
    _transition(application, to=target, actor=rep_a_user, reason="test")
    application.refresh_from_db()
    assert application.status == target and application.status_changed_at is not None
    (event,) = ApplicationEvent.objects.all()
    assert (event.old_status, event.new_status, event.actor, event.reason) == (
        current,
        target,
        rep_a_user,
        "test",
    )


def test_no_status_assignment_outside_services_and_migrations():
    offenders = []
    pattern = re.compile(r"\.status\s*=(?!=)")
    for folder in ("accounts", "representatives", "clients", "applications", "forms_imm", "portal"):
        for path in (ROOT / folder).rglob("*.py"):
            if path.name == "services.py" or "migrations" in path.parts:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if pattern.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert offenders == []


def test_the_database_refuses_a_malformed_application_number(application):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=application.pk).update(application_number="E12345")
    Application.objects.filter(pk=application.pk).update(application_number="E099977028")
