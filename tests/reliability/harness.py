"""What the failure tests start for themselves: a Redis, an SMTP sink and Celery workers.

Each test gets its own ``redis-server`` on a free port (never the machine's shared Redis on
6379), its own SMTP sink in a thread on a free port, and real worker processes on that Redis
and the test database. ``point_celery_at`` makes the test process publish to that Redis.
"""

from __future__ import annotations

import email
import os
import select
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path

import redis
from django.conf import settings
from django.db import connection
from kombu import pools

from portal.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition, seconds: float, what: str):
    """Poll ``condition`` until it returns something true; a generous limit only detects a
    hang (tests never assert speed)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


# --- Redis ----------------------------------------------------------------------------------


class OwnRedis:
    """A throw-away redis-server: no persistence, its own port, stopped and started by the test."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)

        def answers():
            try:
                return client.ping()
            except redis.ConnectionError:
                return False

        wait_until(answers, 10, "our redis-server to start")

    def stop(self) -> None:
        """Kill it outright (SIGKILL, as a crash would); it keeps nothing (no persistence)."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    @property
    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port, socket_connect_timeout=1)


def point_celery_at(url: str | None) -> None:
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


# --- SMTP -----------------------------------------------------------------------------------


@dataclass
class SmtpSink:
    """A small SMTP server in a thread that records each message it accepts.

    ``refuse_next`` MAIL commands are answered with ``refuse_reply`` (451: try again later).
    While ``release`` is clear, the end of each DATA waits, so a test can kill the client
    mid-send; a message whose client went away meanwhile is not accepted, as a real server
    that never sent its 250 would not have taken responsibility for it.
    """

    refuse_next: int = 0
    refuse_reply: bytes = b"451 4.3.0 Mailbox busy, try again later"
    messages: list[Message] = field(default_factory=list)
    refusals: int = 0
    dropped: int = 0
    release: threading.Event = field(default_factory=threading.Event)
    in_data: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self):
        self.release.set()
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                sink._session(self.connection, self.rfile, self.wfile)

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> SmtpSink:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def message_ids(self) -> list[str]:
        with self.lock:
            return [message["Message-ID"] for message in self.messages]

    def _refuse(self) -> bool:
        with self.lock:
            if self.refuse_next <= 0:
                return False
            self.refuse_next -= 1
            self.refusals += 1
            return True

    def _session(self, sock, rfile, wfile) -> None:
        def reply(line: bytes) -> None:
            wfile.write(line + b"\r\n")
            wfile.flush()

        reply(b"220 sink.test ESMTP")
        while line := rfile.readline():
            verb = line[:4].upper()
            if verb == b"EHLO":
                reply(b"250-sink.test\r\n250 8BITMIME")
            elif verb == b"MAIL":
                reply(self.refuse_reply if self._refuse() else b"250 2.1.0 OK")
            elif verb == b"DATA":
                reply(b"354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while (data := rfile.readline()) not in (b".\r\n", b""):
                    lines.append(data[1:] if data.startswith(b"..") else data)
                self.in_data.set()
                self.release.wait(timeout=120)
                if _peer_gone(sock):
                    with self.lock:
                        self.dropped += 1
                    return
                with self.lock:
                    self.messages.append(email.message_from_bytes(b"".join(lines)))
                reply(b"250 2.0.0 Queued")
            elif verb == b"QUIT":
                reply(b"221 2.0.0 Bye")
                return
            elif verb in (b"HELO", b"RCPT", b"RSET", b"NOOP"):
                reply(b"250 OK")
            else:
                reply(b"502 5.5.2 Command not recognised")


def _peer_gone(sock) -> bool:
    readable, _w, _x = select.select([sock], [], [], 0)
    if not readable:
        return False
    try:
        return sock.recv(1, socket.MSG_PEEK) == b""
    except OSError:
        return True


# --- Celery workers -------------------------------------------------------------------------


class Workers:
    """Real ``celery worker`` processes on the test's Redis and the test database."""

    def __init__(self, log_dir: Path):
        self.log_dir = log_dir
        self.started: list[tuple[subprocess.Popen, object]] = []

    def start(
        self,
        broker_url: str,
        *,
        queues: str = "default",
        smtp_port: int | None = None,
        include: tuple[str, ...] = (),
        env: dict | None = None,
    ) -> subprocess.Popen:
        db = connection.settings_dict
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.reliability.worker_settings",
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "CELERY_BROKER_URL": broker_url,
            # The folder the test process stores files in (tests/conftest.py: _private_media).
            "PRIVATE_MEDIA_ROOT": str(settings.STORAGES["default"]["OPTIONS"]["location"]),
            "SMTP_SINK_PORT": str(smtp_port or 1),
            **(env or {}),
        }
        log = open(self.log_dir / f"worker-{len(self.started)}.log", "wb")  # noqa: SIM115
        command = [
            sys.executable, "-m", "celery", "-A", "portal", "worker", "-Q", queues,
            "--pool", "solo", "--without-heartbeat", "--without-gossip", "--without-mingle",
            "-l", "warning", "--include", ",".join(("tests.tools.celery_probe", *include)),
        ]  # fmt: skip
        process = subprocess.Popen(
            command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT
        )
        self.started.append((process, log))
        return process

    @staticmethod
    def kill(process: subprocess.Popen) -> None:
        """SIGKILL: no cleanup, no acknowledgement, as when the machine loses the process."""
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    def log(self) -> str:
        return "\n".join(
            (self.log_dir / f"worker-{index}.log").read_text(errors="replace")
            for index in range(len(self.started))
        )

    def stop_all(self) -> None:
        """Kill what is left: the test is over, so nothing needs a warm shutdown."""
        for process, log in self.started:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)
            log.close()


def drain(own_redis: OwnRedis, queue: str = "default", seconds: float = 60) -> None:
    """Wait until a worker consuming ``queue`` has run everything published before now: a
    probe task goes to the back of the queue and records itself in the broker's Redis."""
    from tests.tools.celery_probe import probe_task

    key = f"drained-{time.monotonic_ns()}"
    probe_task.apply_async(args=[key], queue=queue, retry=False)
    wait_until(lambda: own_redis.client.get(key), seconds, f"the worker to drain {queue}")


@contextmanager
def in_process_worker(concurrency: int = 4):
    """A real Celery worker on threads inside the test process (celery.contrib.testing).

    It consumes whatever broker ``point_celery_at`` chose and shares the test's time_machine
    clock. Each task closes its thread's database connection when it ends.
    """
    from celery.contrib.testing.worker import start_worker
    from celery.signals import task_postrun

    import tests.tools.celery_probe  # noqa: F401  (registers the probe ``drain`` sends)

    def close_connection(**_kwargs):
        connection.close()

    task_postrun.connect(close_connection, weak=False)
    try:
        with start_worker(
            celery_app, pool="threads", concurrency=concurrency, perform_ping_check=False,
            loglevel="WARNING", shutdown_timeout=30,
        ):  # fmt: skip
            yield
    finally:
        task_postrun.disconnect(close_connection)
