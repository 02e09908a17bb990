"""A worker killed in the middle of a package render leaves nothing half-written, and the
package is produced exactly once afterwards (QUALITY.md §6, "Package render").

A real worker renders on the test's own Redis with its file writes made to stall half way
(slow_render.py); the test SIGKILLs it there, then the sweeper and a fresh worker finish the
job.
"""

import hashlib
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from accounts.models import StoredFile
from accounts.queue import publish_after_commit
from applications import package
from applications.models import ApplicationEvent, Submission
from applications.tasks import submission_package_render_task
from tests import factories

from .harness import drain, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def submitted(own_redis, application_a):
    """A submission recorded the way ``application_submit`` records one: the row, then after
    commit the render task published to our Redis (tests/applications covers the submit)."""
    with transaction.atomic():
        submission = factories.make_submission(application=application_a)
        publish_after_commit(submission_package_render_task, submission.pk)
        assert own_redis.client.llen("pdf") == 0
    assert own_redis.client.llen("pdf") == 1, "the render task was published after commit"
    return submission


def test_a_worker_killed_mid_render_leaves_no_package_and_a_new_one_renders_it_once(
    own_redis, workers, thread_worker_later, submitted, tmp_path
):
    final = Path(default_storage.path(package.package_name(submitted)))
    folder = final.parent
    marker = tmp_path / "stalled"

    doomed = workers.start(
        own_redis.url,
        queues="pdf",
        include=("tests.reliability.slow_render",),
        env={"SLOW_RENDER_MARKER": str(marker)},
    )
    wait_until(marker.exists, 120, "the worker to be half way through writing the package")
    parts = list(folder.glob(f"*{package.PART_SUFFIX}"))
    assert len(parts) == 1 and parts[0].stat().st_size > 0, "half the PDF is on disk"
    workers.kill(doomed)

    submitted.refresh_from_db()
    assert not final.exists(), "nothing at the final path"
    assert list(folder.glob("*.pdf")) == []
    assert submitted.package is None and submitted.package_status != "ready"
    assert submitted.package_attempts == 1
    assert not StoredFile.objects.filter(purpose="submission_package").exists()

    # The claim of the killed render holds the sweeper off until it is stale...
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert package.package_sweep() == []
    # ...then it publishes the package again and removes the orphaned part file; a worker
    # sharing the test's clock (a subprocess would not) renders it.
    with time_machine.travel(timezone.now() + timedelta(minutes=6), tick=True):
        thread_worker_later()
        assert package.package_sweep() == [submitted.pk]
        assert not parts[0].exists()
        wait_until(
            lambda: Submission.objects.get(pk=submitted.pk).package_status == "ready",
            120,
            "the new worker to render the package",
        )
    submitted.refresh_from_db()
    stored = StoredFile.objects.get(purpose="submission_package")
    assert submitted.package == stored
    assert list(folder.iterdir()) == [final]
    content = final.read_bytes()
    assert content.startswith(b"%PDF-") and content.rstrip().endswith(b"%%EOF")
    assert hashlib.sha256(content).hexdigest() == stored.sha256

    # A duplicate task (a republish racing a slow render, the lost message coming back)
    # renders nothing new, and the stored file keeps the hash on record.
    with time_machine.travel(timezone.now() + timedelta(minutes=12)):
        assert package.package_sweep() == []
    submission_package_render_task.apply_async(args=(submitted.pk,), retry=False)
    drain(own_redis, queue="pdf", seconds=120)
    assert StoredFile.objects.filter(purpose="submission_package").count() == 1
    assert list(folder.iterdir()) == [final]
    assert hashlib.sha256(final.read_bytes()).hexdigest() == stored.sha256
    assert (
        ApplicationEvent.objects.filter(
            application=submitted.application, action=ApplicationEvent.Action.PACKAGE_READY
        ).count()
        == 1
    )
