"""Fixtures of the failure tests: their own Redis, SMTP sink and workers (harness.py)."""

from contextlib import ExitStack

import pytest

from .harness import OwnRedis, SmtpSink, Workers, in_process_worker, point_celery_at


@pytest.fixture
def own_redis():
    """A Redis of the test's own, which the test process publishes to."""
    from portal.celery import app as celery_app

    server = OwnRedis()
    server.start()
    point_celery_at(server.url)
    assert celery_app.connection_for_write().as_uri().endswith(f":{server.port}/0")
    try:
        yield server
    finally:
        point_celery_at(None)
        server.stop()


@pytest.fixture
def smtp_sink(settings):
    """An SMTP sink of the test's own; the test process sends to it through real SMTP."""
    sink = SmtpSink().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 30
    try:
        yield sink
    finally:
        sink.stop()


@pytest.fixture
def workers(tmp_path):
    started = Workers(tmp_path)
    try:
        yield started
    finally:
        started.stop_all()


@pytest.fixture
def thread_worker(own_redis):
    """A real Celery worker (four threads) in the test process, consuming our Redis; being in
    the process, it shares the test's time_machine clock, so backoffs can be travelled."""
    with in_process_worker():
        yield


@pytest.fixture
def thread_worker_later(own_redis):
    """Call it to start the in-process worker at a chosen moment (stopped after the test)."""
    with ExitStack() as stack:
        yield lambda: stack.enter_context(in_process_worker())
