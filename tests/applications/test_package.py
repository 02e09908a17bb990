"""The submission package: no network or file URL, no half-written file on failure."""

import hashlib
import uuid
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.utils import timezone

from applications import package
from applications.models import Submission
from tests.applications.submission_helpers import make_ready
from tests.applications.test_submission import declare, sign_everything, submit
from tests.forms_imm.helpers import TODAY

pytestmark = pytest.mark.django_db
MINUTE = timedelta(minutes=1)


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/x.css",
        "https://169.254.169.254/latest/meta-data",
        "file:///etc/passwd",
        f"{package.BASE_URL}static/../../etc/passwd",
        f"{package.BASE_URL}media/secret.pdf",
    ],
)
def test_the_fetcher_refuses_network_and_file_urls(url):
    with pytest.raises(ValueError):
        package._fetcher().fetch(url)


def test_the_fetcher_serves_vendored_static_files():
    response = package._fetcher().fetch(f"{package.BASE_URL}static/css/print.css")
    assert response.status == 200


@pytest.fixture
def submitted(rep_a, application_a):
    with time_machine.travel(TODAY, tick=True):
        make_ready(rep_a, application_a)
        sign_everything(application_a)
        declare(application_a)
        submit(application_a, uuid.uuid4())  # on_commit does not run: no package yet
    return Submission.objects.get()


def test_a_failed_render_leaves_no_file_and_a_retry_stores_one(submitted):
    folder = Path(default_storage.path("submission-packages"))
    before = set(folder.glob("*")) if folder.exists() else set()
    from celery.exceptions import Retry

    from applications.tasks import submission_package_render_task

    with (
        mock.patch.object(package, "package_render", side_effect=RuntimeError("boom")),
        pytest.raises(Retry),
    ):
        submission_package_render_task.apply(args=(submitted.pk,))
    # A worker dying while the file is written (here: the rename fails) leaves no part file.
    with mock.patch.object(package.os, "replace", side_effect=OSError("disk")):
        with pytest.raises(OSError):
            package.submission_package_build(submission_id=submitted.pk)
    submitted.refresh_from_db()
    assert submitted.package is None and submitted.package_status == "failed"
    after = set(folder.glob("*")) if folder.exists() else set()
    assert after == before  # nothing half-written
    assert package.pending_packages() == [submitted.pk]
    assert package.submission_package_build(submission_id=submitted.pk) == "rendered"
    assert package.submission_package_build(submission_id=submitted.pk) == "exists"
    submitted.refresh_from_db()
    assert submitted.package_status == "ready"
    assert not list(folder.glob("*.part"))
    assert submitted.package.file.open("rb").read(5) == b"%PDF-"


@pytest.fixture
def bare(application_a):
    """A submission without the forms (cheap): the package holds the evidence pages."""
    from tests import factories

    return factories.make_submission(application=application_a)


def test_a_render_that_loses_the_race_keeps_the_winners_file_and_leaves_nothing(bare):
    """Two renders of one submission (the first stalled past its claim): the file is renamed
    into place under the row lock, so the loser can neither replace the winner's file nor
    leave its own behind."""
    real_render = package.package_render
    calls, inner = [], []

    def render(submission):
        calls.append(submission.pk)
        if len(calls) > 1:
            return real_render(submission)  # the other task, which wins
        # This render stalls past the claim's lifetime, so another task takes over.
        with time_machine.travel(timezone.now() + package.PACKAGE_RENDER_STALE):
            inner.append(package.submission_package_build(submission_id=submission.pk))
        return b"%PDF-1.7 the loser's bytes"

    with mock.patch.object(package, "package_render", side_effect=render):
        assert package.submission_package_build(submission_id=bare.pk) == "exists"

    assert inner == ["rendered"]
    bare.refresh_from_db()
    final = Path(default_storage.path(package.package_name(bare)))
    assert list(final.parent.iterdir()) == [final]
    content = final.read_bytes()
    assert content.startswith(b"%PDF-") and b"the loser's bytes" not in content
    assert hashlib.sha256(content).hexdigest() == bare.package.sha256


def test_a_second_task_while_a_render_runs_stops_at_once(bare):
    with mock.patch.object(package, "package_render", return_value=b"%PDF-1.7") as render:
        Submission.objects.filter(pk=bare.pk).update(package_claimed_at=timezone.now())
        assert package.submission_package_build(submission_id=bare.pk) == "busy"
        assert render.call_count == 0
        with time_machine.travel(timezone.now() + package.PACKAGE_RENDER_STALE):
            assert package.submission_package_build(submission_id=bare.pk) == "rendered"
        assert package.submission_package_build(submission_id=bare.pk) == "exists"
    bare.refresh_from_db()
    assert bare.package_status == "ready" and bare.package_attempts == 1


def test_the_sweep_republishes_unclaimed_packages_once_a_minute_and_clears_orphans(bare):
    folder = Path(default_storage.path(package.PACKAGE_FOLDER))
    folder.mkdir(parents=True)
    orphan = folder / f"dead{package.PART_SUFFIX}"
    orphan.write_bytes(b"%PDF-half")
    start = bare.package_published_at
    with mock.patch("applications.tasks.submission_package_render_task.apply_async") as publish:
        with time_machine.travel(start + timedelta(seconds=30)):
            assert package.package_sweep() == []  # the submit's own task has its chance
        assert orphan.exists(), "a part file this young may belong to a running render"
        with time_machine.travel(start + timedelta(seconds=61)):
            assert package.package_sweep() == [bare.pk]
            assert package.package_sweep() == []  # just published
        # A render claimed it: left alone until the claim is stale.
        Submission.objects.filter(pk=bare.pk).update(package_claimed_at=start + MINUTE * 2)
        with time_machine.travel(start + MINUTE * 4):
            assert package.package_sweep() == []
        with time_machine.travel(timezone.now() + MINUTE * 8):
            assert package.package_sweep() == [bare.pk]
    assert publish.call_count == 2
    publish.assert_called_with(args=(bare.pk,), retry=False)
    assert not orphan.exists()


def test_the_sweep_stops_at_a_broker_error_and_logs_it(bare, application_b, caplog):
    from kombu.exceptions import OperationalError

    from tests import factories

    factories.make_submission(application=application_b)
    with (
        mock.patch(
            "applications.tasks.submission_package_render_task.apply_async",
            side_effect=OperationalError("down"),
        ) as publish,
        time_machine.travel(timezone.now() + MINUTE * 2),
    ):
        assert package.package_sweep() == []
    assert publish.call_count == 1
    assert "package sweep: broker unreachable" in caplog.text


def test_the_package_sweep_is_scheduled_every_minute():
    from applications.tasks import submission_package_sweep_task
    from portal.celery import app

    entry = app.conf.beat_schedule["submission_package_sweep_task"]
    assert entry["task"] == submission_package_sweep_task.name
    assert entry["schedule"] == 60.0 and entry["options"]["expires"] < 60
