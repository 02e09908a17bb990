"""What a paused or closed program does to submission: the gate lists it, the submission
checks it again under the intake lock, and nothing is counted or returned meanwhile."""

from unittest import mock

import pytest
import time_machine
from django.urls import reverse

from applications import submission
from applications.models import ProgramIntake, Submission
from tests.applications.submission_helpers import make_ready
from tests.applications.test_submission import declare, sign_everything, submit
from tests.forms_imm.helpers import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def declared(rep_a, application_a):
    with time_machine.travel(TODAY, tick=True):
        make_ready(rep_a, application_a)
        sign_everything(application_a)
        declare(application_a)
        yield application_a


def intake_of(application) -> ProgramIntake:
    return ProgramIntake.objects.get(program=application.program)


@pytest.mark.parametrize("state", ["paused", "closed"])
def test_a_stopped_program_blocks_submission_and_the_submit_page_says_why(declared, rep_a, state):
    ProgramIntake.objects.filter(program=declared.program).update(state=state, cap=10, used=3)
    assert [m.code for m in submission.submission_gate(declared)] == ["program"]
    with pytest.raises(submission.GateClosed):
        submit(declared)
    declared.refresh_from_db()
    assert declared.status == "rep_declared"  # kept, not returned: it may open again
    assert intake_of(declared).used == 3 and not Submission.objects.exists()
    url = reverse("applications:submit", args=[declared.public_id])
    page = rep_a.get(url).content.decode()
    assert "The program does not accept applications now." in page
    response = rep_a.post(url, {"submission_token": "6f1e1a52-8d4a-4a36-9a36-1f0b7c1c2d3e"})
    assert response.status_code == 302 and not Submission.objects.exists()


def test_a_pause_that_lands_after_the_gate_is_caught_under_the_intake_lock(declared):
    ProgramIntake.objects.filter(program=declared.program).update(state="paused")
    with mock.patch.object(submission, "submission_gate", return_value=[]):
        with pytest.raises(submission.GateClosed) as raised:
            submit(declared)
    assert raised.value.missing == [submission.PROGRAM_NOT_OPEN]
    declared.refresh_from_db()
    assert declared.status == "rep_declared" and not Submission.objects.exists()


def test_once_the_program_opens_again_the_draft_is_submitted(declared):
    ProgramIntake.objects.filter(program=declared.program).update(state="paused")
    with pytest.raises(submission.GateClosed):
        submit(declared)
    ProgramIntake.objects.filter(program=declared.program).update(state="open")
    result = submit(declared)
    assert result.created and result.submission is not None
    assert intake_of(declared).used == 1
