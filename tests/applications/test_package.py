"""The submission package: no network or file URL, no half-written file on failure."""

import uuid
from pathlib import Path
from unittest import mock

import pytest
import time_machine
from django.core.files.storage import default_storage

from applications import package
from applications.models import Submission
from tests.applications.submission_helpers import make_ready
from tests.applications.test_submission import declare, sign_everything, submit
from tests.forms_imm.helpers import TODAY

pytestmark = pytest.mark.django_db


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
