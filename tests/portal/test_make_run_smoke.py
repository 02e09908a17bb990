"""`make run`'s embedded defaults (DEBUG, SQLite, no broker) migrate and serve the home page."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.integration


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_sqlite_development_setup_migrates_and_serves_home(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "CELERY_BROKER_URL", "EMAIL_HOST", "SECRET_KEY")
        and not k.startswith("DJANGO_")
    }
    env.update(DEBUG="true", DATABASE_URL=f"sqlite:///{tmp_path / 'dev.sqlite3'}")
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "--no-input", "-v0"], ["createcachetable"], ["demo_data"]):
        result = subprocess.run(
            manage + command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, result.stderr
    assert "rep@demo.test" in result.stdout

    port = free_port()
    server = subprocess.Popen(
        manage + ["runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        body = None
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/fr/", timeout=2) as resp:
                    body = resp.read().decode()
                    break
            except OSError:
                time.sleep(0.2)
        assert body is not None, "the development server did not answer"
        assert '<html lang="fr">' in body
        assert "Mode développement" in body
    finally:
        server.terminate()
        server.wait(timeout=20)
