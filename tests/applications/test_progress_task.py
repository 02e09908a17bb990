"""The nightly refresh of progress counters that move with the calendar."""

from datetime import date

import pytest
import time_machine

from applications.models import Application
from applications.services import application_progress_refresh
from applications.tasks import application_progress_refresh_task
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_child_turning_18_adds_their_forms_to_the_counters_overnight(application_a):
    factories.make_person(
        application=application_a,
        relationship="02",
        date_of_birth=date(2008, 12, 1),
        marital_status="02",
    )
    with time_machine.travel(date(2026, 11, 25), tick=False):
        application_progress_refresh(application_a)
    before = Application.objects.get(pk=application_a.pk)
    with time_machine.travel(date(2026, 12, 2), tick=False):
        assert application_progress_refresh_task() == 1
    after = Application.objects.get(pk=application_a.pk)
    assert after.tasks_total == before.tasks_total + 2  # IMM 5669 and IMM 5406
    assert after.updated_at == before.updated_at


def test_submitted_applications_are_left_alone(application_a):
    Application.objects.filter(pk=application_a.pk).update(
        status="submitted", tasks_total=99, tasks_done=1
    )
    assert application_progress_refresh_task() == 0
    assert Application.objects.get(pk=application_a.pk).tasks_total == 99
