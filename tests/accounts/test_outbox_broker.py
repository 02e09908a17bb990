"""A Redis outage neither fails nor slows the request that queues an email, and loses nothing.

The test starts its own Redis on a free port and stops it (never the machine's), makes a real
request through the test client while it is down, then restarts it and lets a real Celery
worker deliver what the sweeper publishes: exactly one message.
"""

import logging
import os
import socket
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
import redis
import time_machine
from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import connection
from kombu import pools

from accounts import services
from accounts.models import OutboxEmail
from accounts.tasks import outbox_send_task
from portal.celery import app as celery_app
from tests import factories
from tests.tools.celery_probe import probe_task

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


class OwnRedis:
    """A throw-away redis-server: no persistence, its own port, stopped by the test."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)

        def answers():
            try:
                return client.ping()
            except redis.ConnectionError:
                return False

        wait_until(answers, 10, "our redis-server to start")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


def point_celery_at(url: str | None):
    """Publish to ``url`` (None: back to the test settings, eager).

    Celery reads CELERY_BROKER_URL from the environment before its own configuration, so
    setting ``conf.broker_url`` alone would quietly keep publishing to the machine's Redis.
    """
    os.environ["CELERY_BROKER_URL"] = url or settings.CELERY_BROKER_URL
    celery_app.conf.broker_url = url or settings.CELERY_BROKER_URL
    celery_app.conf.task_always_eager = url is None
    # Drop every cached connection and producer pool (kombu keeps them in a global registry,
    # so a merely closed pool would be handed out again).
    pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def own_redis():
    server = OwnRedis()
    server.start()
    point_celery_at(server.url)
    assert celery_app.connection_for_write().as_uri().endswith(f":{server.port}/0")
    try:
        yield server
    finally:
        point_celery_at(None)
        if server.process.poll() is None:
            server.stop()


@pytest.fixture
def start_worker(tmp_path):
    """Start a real worker on our Redis and the test database; emails land in files."""
    workers = []
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    db = connection.settings_dict

    def start(broker_url: str):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.tools.outbox_worker_settings",
            "DATABASE_URL": (f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"),
            "CELERY_BROKER_URL": broker_url,
            "OUTBOX_TEST_MAIL_DIR": str(mail_dir),
        }
        log = open(tmp_path / "worker.log", "wb")  # noqa: SIM115 - closed with the worker
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "portal",
                "worker",
                "-Q",
                "default",
                "--pool",
                "solo",
                "--include",
                "tests.tools.celery_probe",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "-l",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        workers.append((worker, log))
        return mail_dir

    yield start
    for worker, log in workers:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
        log.close()


def message_ids(mail_dir: Path) -> list[str]:
    return [
        line.split(":", 1)[1].strip()
        for path in mail_dir.iterdir()
        for line in path.read_text().splitlines()
        if line.lower().startswith("message-id:")
    ]


def test_an_email_queued_while_redis_is_down_is_delivered_exactly_once_after(
    own_redis, start_worker, anon, caplog
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
    mail_dir = start_worker(own_redis.url)
    with time_machine.travel(timedelta(minutes=2)):
        assert services.outbox_sweep() == [email.pk]

    wait_until(
        lambda: OutboxEmail.objects.get(pk=email.pk).status == OutboxEmail.Status.SENT,
        60,
        "the worker to send the email",
    )
    assert message_ids(mail_dir) == [email.message_id]

    # Later sweeps publish nothing, and a stray duplicate task message sends nothing.
    with time_machine.travel(timedelta(minutes=5)):
        assert services.outbox_sweep() == []
    outbox_send_task.apply_async(args=[email.pk], retry=False)
    sentinel = f"outbox-done-{uuid.uuid4().hex}"
    probe_task.apply_async(args=[sentinel], queue="default", retry=False)
    store = redis.Redis.from_url(own_redis.url)
    # probe_task records itself in the broker's Redis: the worker runs tasks in order.
    wait_until(lambda: store.get(sentinel), 60, "the worker to drain its queue")

    assert message_ids(mail_dir) == [email.message_id]
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
