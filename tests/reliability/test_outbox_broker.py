"""A Redis outage neither fails nor slows the request that queues an email, and loses nothing.

The test stops its own Redis (never the machine's), makes a real request through the test
client while it is down, then restarts it and lets a real Celery worker deliver what the
sweeper publishes to the test's SMTP sink: exactly one message.
"""

import logging
import socket
import time
from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress

from accounts import services
from accounts.models import OutboxEmail
from accounts.tasks import outbox_send_task
from tests import factories

from .harness import drain, point_celery_at, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_an_email_queued_while_redis_is_down_is_delivered_exactly_once_after(
    own_redis, smtp_sink, workers, anon, caplog
):
    user = factories.make_user()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    own_redis.stop()

    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="accounts.queue"):
        response = anon.post("/en/auth/password/reset/", {"email": user.email})
    elapsed = time.monotonic() - started

    assert response.status_code == 302, "the request succeeded"
    assert elapsed < 2, f"the request waited on Redis for {elapsed:.2f} s"
    assert "sweeper will retry" in caplog.text
    email = OutboxEmail.objects.get()
    assert email.status == OutboxEmail.Status.PENDING and email.attempts == 0

    own_redis.start()
    workers.start(own_redis.url, smtp_port=smtp_sink.port)
    with time_machine.travel(timedelta(minutes=2)):
        assert services.outbox_sweep() == [email.pk]

    wait_until(
        lambda: OutboxEmail.objects.get(pk=email.pk).status == OutboxEmail.Status.SENT,
        60,
        "the worker to send the email",
    )
    assert smtp_sink.message_ids() == [email.message_id]

    # Later sweeps publish nothing, and a stray duplicate task message sends nothing.
    with time_machine.travel(timedelta(minutes=5)):
        assert services.outbox_sweep() == []
    outbox_send_task.apply_async(args=[email.pk], retry=False)
    drain(own_redis)

    assert smtp_sink.message_ids() == [email.message_id]
    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.SENT and email.attempts == 1


@pytest.fixture
def hung_redis():
    """A port that accepts connections and never answers (a Redis stuck mid-failover)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        point_celery_at(f"redis://127.0.0.1:{listener.getsockname()[1]}/0")
        try:
            yield
        finally:
            point_celery_at(None)


def test_a_hung_broker_does_not_hold_the_request_either(hung_redis, anon):
    user = factories.make_user()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    started = time.monotonic()
    response = anon.post("/en/auth/password/reset/", {"email": user.email})
    elapsed = time.monotonic() - started

    assert response.status_code == 302
    assert elapsed < 2, f"the request waited on Redis for {elapsed:.2f} s"
    assert OutboxEmail.objects.get().status == OutboxEmail.Status.PENDING
