"""The email outbox (QUALITY.md §6): transactional, idempotent, bilingual, retried, once."""

import smtplib
from datetime import UTC, datetime, timedelta
from email import message_from_string
from pathlib import Path

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from kombu.exceptions import OperationalError

from accounts import services
from accounts.errors import WrongState
from accounts.models import AuditEvent, OutboxEmail
from accounts.tasks import outbox_send_task
from tests import factories

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
TEST_TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


@pytest.fixture(autouse=True)
def probe_templates(settings):
    """templates/emails/outbox_probe* exist only for these tests (tests/templates)."""
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [*engine["DIRS"], TEST_TEMPLATES]}]


class FailingSMTP(BaseEmailBackend):
    """An SMTP server that refuses every message, counting the attempts."""

    calls = 0
    error: Exception = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    def send_messages(self, messages):
        FailingSMTP.calls += 1
        raise FailingSMTP.error


@pytest.fixture
def failing_smtp(settings):
    FailingSMTP.calls = 0
    FailingSMTP.error = smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
    settings.EMAIL_BACKEND = "tests.accounts.test_outbox.FailingSMTP"
    return FailingSMTP


def queue_probe(key="probe-1", *, to="client-a@example.test", language=None, **context):
    context = {"name": "Ana", "application_number": "A-000123", **context}
    return services.email_send(
        to=to, template="outbox_probe", context=context, key=key, language=language
    )


def row(email) -> OutboxEmail:
    return OutboxEmail.objects.get(pk=email.pk)


# --- Written in the same transaction ---------------------------------------------------------


def test_a_rolled_back_action_leaves_no_email_and_publishes_nothing(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            queue_probe()
            assert OutboxEmail.objects.count() == 1  # visible inside the transaction
            raise RuntimeError("the business change failed")

    assert OutboxEmail.objects.count() == 0
    assert callbacks == []
    assert mail.outbox == []


def test_nothing_is_published_before_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        with transaction.atomic():
            email = queue_probe()
        assert mail.outbox == []
        assert row(email).status == OutboxEmail.Status.PENDING
    assert len(callbacks) == 1  # the publish, registered to run after commit


def test_the_same_key_twice_is_one_row_and_one_publish(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = queue_probe("invite:42")
        second = queue_probe("invite:42", name="Someone else")

    assert first.pk == second.pk
    assert OutboxEmail.objects.count() == 1
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1
    assert "Ana" in mail.outbox[0].body


# --- Sent after commit, bilingual, with a fixed Message-ID ----------------------------------


def test_after_commit_the_email_is_sent_in_both_languages_english_first(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        email = queue_probe()

    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["client-a@example.test"]
    assert sent.subject == "Probe en PR Portal / Probe fr Portail RP"
    body = sent.body
    assert body.startswith("(La version française suit)")
    assert body.index("this part is in en: PR Portal") < body.index(
        "this part is in fr: Portail RP"
    )
    assert "http://" in body and "A-000123" in body
    html, mimetype = sent.alternatives[0]
    assert mimetype == "text/html"
    assert '<html lang="en">' in html and '<div lang="fr">' in html
    assert "this part is in fr: Portail RP" in html

    email = row(email)
    assert email.status == OutboxEmail.Status.SENT
    assert email.attempts == 1 and email.sent_at is not None
    assert sent.extra_headers["Message-ID"] == email.message_id
    assert message_from_string(sent.message().as_string())["Message-ID"] == email.message_id


def test_french_recipients_read_french_first(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queue_probe(language="fr")

    sent = mail.outbox[0]
    assert sent.subject == "Probe fr Portail RP / Probe en PR Portal"
    assert sent.body.startswith("(English follows)")
    assert sent.body.index("in fr") < sent.body.index("in en")
    assert '<html lang="fr">' in sent.alternatives[0][0]


def test_a_long_key_is_still_unique_and_idempotent():
    base = "application:" + "x" * 300
    first, again, other = queue_probe(base + "1"), queue_probe(base + "1"), queue_probe(base + "2")
    assert first.pk == again.pk != other.pk
    assert len(first.key) == 200


def test_the_message_id_is_fixed_by_the_key():
    assert queue_probe("k1").message_id == services.message_id_for("k1")
    assert queue_probe("k2").message_id != services.message_id_for("k1")
    assert services.message_id_for("k1").startswith("<") and "@" in services.message_id_for("k1")


def test_names_are_escaped_in_html_and_left_alone_in_plain_text(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        queue_probe(name="<b>O'Brien & Co</b>")

    sent = mail.outbox[0]
    assert "Hello <b>O'Brien & Co</b>," in sent.body
    html = sent.alternatives[0][0]
    assert "<b>O" not in html
    assert "&lt;b&gt;O&#x27;Brien &amp; Co&lt;/b&gt;" in html


def test_a_second_delivery_of_the_same_task_sends_nothing():
    email = queue_probe()
    outbox_send_task(email.pk)
    outbox_send_task(email.pk)

    assert len(mail.outbox) == 1
    assert row(email).attempts == 1


# --- SMTP failures: backoff, no duplicates, dead after the cap ------------------------------


def test_smtp_failures_back_off_from_a_minute_to_an_hour_then_the_row_dies(
    failing_smtp, time_machine
):
    time_machine.move_to(T0, tick=False)
    email = queue_probe()
    delays = []
    for attempt in range(1, services.OUTBOX_MAX_ATTEMPTS + 1):
        assert services.outbox_deliver(email_id=email.pk) is False
        assert failing_smtp.calls == attempt
        current = row(email)
        assert current.attempts == attempt
        assert current.last_error == "SMTPServerDisconnected"
        if attempt == services.OUTBOX_MAX_ATTEMPTS:
            break
        assert current.status == OutboxEmail.Status.PENDING
        delay = current.next_attempt_at - datetime.now(UTC)
        base = min(timedelta(minutes=1) * 2 ** (attempt - 1), timedelta(hours=1))
        assert base * 0.8 <= delay <= base
        delays.append(delay)
        # Not yet due: a stray task message does nothing.
        time_machine.shift(delay - timedelta(seconds=1))
        assert services.outbox_deliver(email_id=email.pk) is False
        assert failing_smtp.calls == attempt
        time_machine.shift(timedelta(seconds=1))

    dead = row(email)
    assert dead.status == OutboxEmail.Status.DEAD
    assert delays[-1] <= timedelta(hours=1) and delays[0] <= timedelta(minutes=1)
    assert AuditEvent.objects.filter(
        action="outbox.dead", object_id=dead.public_id, reason="max_attempts", outcome="failure"
    ).exists()
    time_machine.shift(timedelta(days=1))
    assert services.outbox_sweep() == []
    assert services.outbox_deliver(email_id=email.pk) is False
    assert failing_smtp.calls == services.OUTBOX_MAX_ATTEMPTS
    assert mail.outbox == []


def test_a_failure_then_a_success_delivers_exactly_once(settings, failing_smtp, time_machine):
    time_machine.move_to(T0, tick=False)
    email = queue_probe()
    services.outbox_deliver(email_id=email.pk)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    time_machine.shift(timedelta(minutes=2))

    assert services.outbox_sweep() == [email.pk]  # eager in tests: the task ran
    assert services.outbox_sweep() == []
    time_machine.shift(timedelta(hours=2))
    assert services.outbox_sweep() == []

    assert len(mail.outbox) == 1
    email = row(email)
    assert email.status == OutboxEmail.Status.SENT and email.attempts == 2
    assert email.last_error == ""


def test_a_permanently_refused_address_dies_at_once_without_recording_the_address(
    failing_smtp,
):
    failing_smtp.error = smtplib.SMTPRecipientsRefused(
        {"client-a@example.test": (550, b"5.1.1 <client-a@example.test> unknown")}
    )
    email = queue_probe()
    services.outbox_deliver(email_id=email.pk)

    dead = row(email)
    assert dead.status == OutboxEmail.Status.DEAD and dead.attempts == 1
    assert dead.last_error == "SMTPRecipientsRefused"
    assert AuditEvent.objects.filter(
        action="outbox.dead", object_id=email.public_id, reason="recipient_refused"
    ).exists()


def test_a_temporarily_refused_address_is_retried(failing_smtp):
    failing_smtp.error = smtplib.SMTPRecipientsRefused(
        {"client-a@example.test": (451, b"4.7.1 greylisted, try again later")}
    )
    email = queue_probe()
    services.outbox_deliver(email_id=email.pk)

    assert row(email).status == OutboxEmail.Status.PENDING


def test_an_smtp_reply_code_is_recorded(failing_smtp):
    failing_smtp.error = smtplib.SMTPDataError(554, b"Transaction failed for client-a@example.test")
    email = queue_probe()
    services.outbox_deliver(email_id=email.pk)

    assert row(email).last_error == "SMTPDataError 554"


def test_staff_retry_revives_a_dead_email_once(
    settings, failing_smtp, staff_user, django_capture_on_commit_callbacks
):
    email = queue_probe()
    OutboxEmail.objects.filter(pk=email.pk).update(
        status=OutboxEmail.Status.DEAD, attempts=10, last_error="SMTPServerDisconnected"
    )
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    with django_capture_on_commit_callbacks(execute=True):
        services.outbox_retry(email_id=email.pk, actor=staff_user)

    assert len(mail.outbox) == 1
    assert row(email).status == OutboxEmail.Status.SENT and row(email).attempts == 1
    assert AuditEvent.objects.filter(
        action="outbox.retried", actor=staff_user, object_id=email.public_id
    ).exists()
    with pytest.raises(WrongState):
        services.outbox_retry(email_id=email.pk, actor=staff_user)


# --- The sweeper ----------------------------------------------------------------------------


def test_the_sweeper_leaves_fresh_rows_to_their_own_publish(time_machine):
    time_machine.move_to(T0, tick=False)
    email = queue_probe()  # its request's publish was lost (no on_commit in this test)

    time_machine.shift(timedelta(seconds=30))
    assert services.outbox_sweep() == []
    time_machine.shift(timedelta(seconds=31))
    assert services.outbox_sweep() == [email.pk]
    assert services.outbox_sweep() == []
    assert len(mail.outbox) == 1


def test_the_sweeper_recovers_a_row_whose_worker_died_mid_send(time_machine):
    time_machine.move_to(T0, tick=False)
    email = queue_probe()
    OutboxEmail.objects.filter(pk=email.pk).update(
        status=OutboxEmail.Status.SENDING, claimed_at=T0, attempts=1
    )

    time_machine.shift(timedelta(minutes=9))
    assert services.outbox_sweep() == []
    assert row(email).status == OutboxEmail.Status.SENDING

    time_machine.shift(timedelta(minutes=2))
    services.outbox_sweep()
    recovered = row(email)
    assert recovered.status == OutboxEmail.Status.PENDING
    assert recovered.last_error == "WorkerLost"

    time_machine.shift(timedelta(minutes=2))
    assert services.outbox_sweep() == [email.pk]
    assert len(mail.outbox) == 1
    assert row(email).status == OutboxEmail.Status.SENT


def test_a_stuck_row_on_its_last_attempt_dies(time_machine):
    time_machine.move_to(T0, tick=False)
    email = queue_probe()
    OutboxEmail.objects.filter(pk=email.pk).update(
        status=OutboxEmail.Status.SENDING, claimed_at=T0, attempts=10
    )
    time_machine.shift(timedelta(minutes=11))
    services.outbox_sweep()

    assert row(email).status == OutboxEmail.Status.DEAD
    assert mail.outbox == []


def test_the_sweeper_survives_a_broker_outage_and_tries_again_later(monkeypatch, time_machine):
    time_machine.move_to(T0, tick=False)
    first, second = queue_probe("a"), queue_probe("b")
    time_machine.shift(timedelta(minutes=2))

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    with monkeypatch.context() as patch:
        patch.setattr(outbox_send_task, "apply_async", broker_down)
        assert services.outbox_sweep() == []
    assert row(first).status == row(second).status == OutboxEmail.Status.PENDING

    assert sorted(services.outbox_sweep()) == sorted([first.pk, second.pk])
    assert len(mail.outbox) == 2


def test_the_sweep_task_is_scheduled_every_30_seconds():
    from portal.celery import app

    entry = app.conf.beat_schedule["outbox_sweep_task"]
    assert entry["task"] == "accounts.tasks.outbox_sweep_task"
    assert entry["schedule"] == 30.0


def test_backoff_grows_and_is_capped():
    assert timedelta(seconds=48) <= services.outbox_backoff(1) <= timedelta(minutes=1)
    assert timedelta(seconds=96) <= services.outbox_backoff(2) <= timedelta(minutes=2)
    assert timedelta(minutes=48) <= services.outbox_backoff(9) <= timedelta(hours=1)


def test_an_email_for_a_user_is_queued_with_their_language(django_capture_on_commit_callbacks):
    user = factories.make_user(preferred_language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        queue_probe(to=user.email, language=user.preferred_language)

    assert mail.outbox[0].body.startswith("(English follows)")
