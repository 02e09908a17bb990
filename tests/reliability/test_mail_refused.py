"""A mail server that refuses, or a worker killed mid-send: every email arrives exactly once
(QUALITY.md §6, "Email outbox", and §12, "SMTP down, worker killed").

The SMTP sink answers 451 (try again later) to the first attempts. A real worker on the
test's own Redis delivers; the test travels through the backoff with time_machine and makes
the sweeper and duplicate task messages race the retry.
"""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection, transaction
from django.utils import timezone

from accounts import services
from accounts.models import AuditEvent, OutboxEmail
from accounts.tasks import outbox_send_task

from .harness import drain, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
MINUTE = timedelta(minutes=1)


def queue_email(key: str) -> OutboxEmail:
    """One email queued in a business transaction; after commit it is published once."""
    with transaction.atomic():
        return services.outbox_add(
            to="someone@example.test",
            subject="Subject / Objet",
            body_text="Body",
            body_html="<p>Body</p>",
            key=key,
        )


def settled(email_id: int, attempts: int) -> OutboxEmail | None:
    """The row once its ``attempts``-th attempt has finished (no longer being sent)."""
    email = OutboxEmail.objects.get(pk=email_id)
    done = email.attempts >= attempts and email.status != OutboxEmail.Status.SENDING
    return email if done else None


def sweep_in_thread() -> None:
    try:
        services.outbox_sweep()
    finally:
        connection.close()  # the thread's own connection


def test_refused_emails_are_retried_with_growing_backoff_and_arrive_exactly_once(
    own_redis, smtp_sink, thread_worker
):
    smtp_sink.refuse_next = 3
    with time_machine.travel(timezone.now(), tick=True) as clock:
        email = queue_email("refused-then-accepted")
        backoffs = []
        for attempt in (1, 2, 3):
            row = wait_until(lambda a=attempt: settled(email.pk, a), 60, f"attempt {attempt}")
            assert row.status == OutboxEmail.Status.PENDING and row.last_error.endswith(" 451")
            backoffs.append(row.next_attempt_at - row.claimed_at)
            # Not due yet: the sweeper leaves it alone, and a duplicate message sends nothing.
            assert services.outbox_sweep() == []
            assert services.outbox_deliver(email_id=email.pk) is False
            clock.move_to(row.next_attempt_at + MINUTE)
            if attempt < 3:
                assert services.outbox_sweep() == [email.pk]

        # The last retry races: the sweeper and five duplicate messages at once, while the
        # first send is held at the end of DATA, on a worker of four threads.
        smtp_sink.release.clear()
        smtp_sink.in_data.clear()
        racers = [threading.Thread(target=sweep_in_thread)] + [
            threading.Thread(
                target=lambda: outbox_send_task.apply_async(args=[email.pk], retry=False)
            )
            for _ in range(5)
        ]
        for racer in racers:
            racer.start()
        for racer in racers:
            racer.join()
        smtp_sink.in_data.wait(timeout=60)
        drain(own_redis)  # every duplicate ran while the first send was held
        smtp_sink.release.set()
        wait_until(lambda: settled(email.pk, 4), 60, "the accepted attempt")

    assert smtp_sink.refusals == 3
    assert smtp_sink.message_ids() == [email.message_id]
    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.SENT and email.attempts == 4
    for attempt, backoff in enumerate(backoffs, start=1):
        full = MINUTE * 2 ** (attempt - 1)
        assert full * 0.8 <= backoff <= full, (attempt, backoff)


def test_a_server_that_never_accepts_makes_the_email_dead_after_the_cap(
    own_redis, smtp_sink, thread_worker
):
    smtp_sink.refuse_next = 100
    with time_machine.travel(timezone.now(), tick=True) as clock:
        email = queue_email("refused-for-good")
        for attempt in range(1, services.OUTBOX_MAX_ATTEMPTS + 1):
            row = wait_until(lambda a=attempt: settled(email.pk, a), 60, f"attempt {attempt}")
            if row.status == OutboxEmail.Status.DEAD:
                break
            clock.move_to(row.next_attempt_at + MINUTE)
            assert services.outbox_sweep() == [email.pk]
        drain(own_redis)

    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.DEAD
    assert email.attempts == services.OUTBOX_MAX_ATTEMPTS == smtp_sink.refusals
    assert smtp_sink.message_ids() == []
    dead = AuditEvent.objects.get(action="outbox.dead")
    assert dead.object_id == email.public_id and dead.reason == "max_attempts"


def test_a_worker_killed_mid_send_loses_nothing_and_sends_once(
    own_redis, smtp_sink, workers, thread_worker_later
):
    smtp_sink.release.clear()
    with time_machine.travel(timezone.now(), tick=True) as clock:
        email = queue_email("worker-killed-mid-send")
        doomed = workers.start(own_redis.url, smtp_port=smtp_sink.port)
        assert smtp_sink.in_data.wait(timeout=120), "the worker reached the end of DATA"
        workers.kill(doomed)
        smtp_sink.release.set()
        wait_until(lambda: smtp_sink.dropped == 1, 30, "the sink to see the client gone")

        email.refresh_from_db()
        assert email.status == OutboxEmail.Status.SENDING and email.attempts == 1
        # Until it is stuck long enough, the sweeper does not take it back.
        clock.shift(services.OUTBOX_STUCK_AFTER - MINUTE)
        assert services.outbox_sweep() == []
        clock.shift(2 * MINUTE)
        assert services.outbox_sweep() == []  # back to pending, after a backoff
        email.refresh_from_db()
        assert email.status == OutboxEmail.Status.PENDING and email.last_error == "WorkerLost"
        clock.move_to(email.next_attempt_at + MINUTE)
        thread_worker_later()
        assert services.outbox_sweep() == [email.pk]
        wait_until(lambda: settled(email.pk, 2), 60, "the second attempt")

    assert smtp_sink.message_ids() == [email.message_id]
    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.SENT and email.attempts == 2
