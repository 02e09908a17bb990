"""Tasks are published only after commit, and a real worker on Redis runs them."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import transaction

from accounts.queue import publish_after_commit
from portal.celery import app as celery_app
from tests.tools.celery_probe import probe_task

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker_queue():
    """A real worker on the machine's Redis (test database 15), on a queue of its own."""
    queue = f"probe-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings_test"}
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "-Q",
            queue,
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
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    celery_app.conf.task_always_eager = False
    try:
        yield queue
    finally:
        celery_app.conf.task_always_eager = True
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


def wait_for(store, key, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if store.get(key):
            return True
        time.sleep(0.2)
    return False


def test_rolled_back_task_never_runs_and_committed_task_runs_on_the_worker(worker_queue):
    store = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    rolled_back, committed = f"rb-{uuid.uuid4().hex}", f"ok-{uuid.uuid4().hex}"

    with pytest.raises(RuntimeError), transaction.atomic():
        publish_after_commit(probe_task, rolled_back, queue=worker_queue)
        raise RuntimeError("the business change failed")
    with transaction.atomic():
        publish_after_commit(probe_task, committed, queue=worker_queue)
        assert store.llen(worker_queue) == 0, "nothing is published before commit"

    assert wait_for(store, committed, 60), "the committed task did not run on the worker"
    assert store.get(rolled_back) is None
    assert store.llen(worker_queue) == 0


def test_publishing_with_the_broker_down_neither_fails_nor_waits(caplog):
    from tests.reliability.harness import point_celery_at

    point_celery_at("redis://127.0.0.1:1/0")  # nothing listens on port 1
    try:
        started = time.monotonic()
        with transaction.atomic():
            publish_after_commit(probe_task, "never")
        assert time.monotonic() - started < 2
    finally:
        point_celery_at(None)
    assert "task publish failed" in caplog.text
