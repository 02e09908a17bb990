"""``make load``: simulated representatives and clients using the portal at once.

By default 50 simulated people (about two thirds representatives, one third clients) for
3 minutes, after a 10 s warm-up that is not measured, against gunicorn (gthread -w 2 -t 4,
DEBUG off, PostgreSQL, Redis broker) on a free loopback port. Each person has their own
signed-in session and walks a realistic loop with a short think time: a representative opens
the dashboard, an application and its task list, a form section, autosaves that section as
they type (a real write: optimistic version, history, progress), the documents page and the
history; a client opens each form's printable review. The trivial view ``/__bench/plain/`` is
sampled in the same run.

Reports, per page: requests, errors, p50, p95 and max latency, and the p95 as a ratio to the
trivial view's. Any error (a status other than the expected one, a timeout) makes the exit code
1. Results go to ``bench/results/load-<date>-<commit>.json``. Requests go only to 127.0.0.1,
the loop is bounded in time and every thread stops by itself.

Usage: ``python -m bench.load [--users 50] [--seconds 180] [--warmup 10] [--database NAME]``.
The test suite runs a CI-sized version (tests/bench/test_load.py).
"""

import argparse
import http.client
import json
import os
import random
import re
import secrets
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
REPRESENTATIVE_SHARE = 2 / 3
THINK_SECONDS = (0.2, 1.0)


def configure(database: str) -> None:
    """Point bench.env at this run's own database before anything imports it."""
    os.environ["BENCH_DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{database}"


@dataclass
class Persona:
    kind: str  # "representative" | "client"
    cookie: str
    pages: list[tuple[str, str]]  # (page name, path) read in order, each loop
    autosave: tuple[str, dict] | None = None  # (section path, body without the version)


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, page: str, ms: float, error: str | None) -> None:
        with self.lock:
            self.latencies.setdefault(page, [])
            self.errors.setdefault(page, [])
            if error is None:
                self.latencies[page].append(ms)
            else:
                self.errors[page].append(error)


def seed(users: int) -> list[Persona]:
    """Representatives with two applications each (a PA and a spouse), clients of some of
    them; every person signed in as a real sign-in with MFA leaves the session."""
    from django.conf import settings
    from django.urls import reverse
    from django.utils import translation

    from bench.seed import ensure_database
    from tests import factories
    from tests.conftest import signed_in
    from tests.forms_imm.helpers import background_post, print_url, section_url

    ensure_database()
    translation.activate("en")
    representatives = max(1, round(users * REPRESENTATIVE_SHARE))
    clients = users - representatives
    personas: list[Persona] = []
    applications = []
    for _ in range(representatives):
        rep = factories.make_representative()
        mine = []
        for _ in range(2):
            client = factories.make_client(activated=True)
            client.user.set_password(secrets.token_urlsafe(24))  # chose their own password
            client.user.save(update_fields=["password"])
            application = factories.make_application(representative=rep, client=client)
            factories.make_person(application=application, relationship="01", given_names="Sam")
            mine.append(application)
        applications.extend(mine)
        application = mine[0]
        pa = application.principal_applicant
        cookie = signed_in(rep.user).cookies[settings.SESSION_COOKIE_NAME].value
        detail = reverse("applications:detail", args=[application.public_id])
        section = section_url(application, pa, "background")
        personas.append(
            Persona(
                kind="representative",
                cookie=cookie,
                pages=[
                    ("dashboard", reverse("applications:dashboard")),
                    ("application", detail),
                    ("section", section),
                    ("documents", reverse("applications:documents", args=[application.public_id])),
                    ("history", reverse("applications:history", args=[application.public_id])),
                ],
                autosave=(section, background_post()),
            )
        )
    for index in range(clients):
        application = applications[(index * 2) % len(applications)]
        pa = application.principal_applicant
        cookie = signed_in(application.client.user).cookies[settings.SESSION_COOKIE_NAME].value
        personas.append(
            Persona(
                kind="client",
                cookie=cookie,
                pages=[("form review", print_url(application, pa))],
            )
        )
    return personas


CSRF_COOKIE = re.compile(r"csrftoken=([^;]+)")


class Walker:
    """One simulated person: a keep-alive connection and a loop of pages until the deadline."""

    def __init__(self, persona, port, stats, *, record_from: float, deadline: float, seed: int):
        self.persona, self.port, self.stats, self.deadline = persona, port, stats, deadline
        self.record_from = record_from
        self.random = random.Random(seed)
        self.cookies = {"sessionid": persona.cookie}
        self.version: int | None = None
        self.typed = 0
        self.connection = self._connect()

    def _connect(self):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def _headers(self, extra=None) -> dict:
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return {"Cookie": cookie, "Accept-Language": "en", **(extra or {})}

    def request(self, page: str, method: str, path: str, *, body=None, headers=None, ok=(200,)):
        started = time.perf_counter()
        error = None
        response = None
        try:
            self.connection.request(method, path, body=body, headers=self._headers(headers))
            response = self.connection.getresponse()
            content = response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                match = CSRF_COOKIE.search(header)
                if match:
                    self.cookies["csrftoken"] = match.group(1)
            if response.status not in ok:
                error = f"HTTP {response.status}"
            elif page == "section" and method == "GET":
                found = re.search(rb'name="expected_version" value="(\d+)"', content)
                self.version = int(found.group(1)) if found else 0
        except (OSError, http.client.HTTPException) as exc:
            error = type(exc).__name__
            self.connection.close()
            self.connection = self._connect()
        if started >= self.record_from:  # the warm-up is not measured, but its errors count
            self.stats.add(page, (time.perf_counter() - started) * 1000, error)
        elif error is not None:
            self.stats.add(page, 0.0, error)
        return response

    def autosave(self) -> None:
        path, body = self.persona.autosave
        if self.version is None or "csrftoken" not in self.cookies:
            return
        self.typed += 1
        data = {
            **body,
            "details": f"Typed {self.typed} while the load test runs.",
            "expected_version": str(self.version),
            "csrfmiddlewaretoken": self.cookies["csrftoken"],
        }
        response = self.request(
            "autosave",
            "POST",
            path,
            body=urlencode(data),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Autosave": "1",
                "X-CSRFToken": self.cookies["csrftoken"],
            },
            ok=(204,),
        )
        if response is not None and response.getheader("X-Form-Version"):
            self.version = int(response.getheader("X-Form-Version"))

    def run(self) -> None:
        while time.perf_counter() < self.deadline:
            for page, path in self.persona.pages:
                if time.perf_counter() >= self.deadline:
                    break
                self.request(page, "GET", path)
                if page == "section" and self.persona.autosave:
                    self.autosave()
                time.sleep(self.random.uniform(*THINK_SECONDS))
            self.request("trivial view", "GET", "/__bench/plain/")
        self.connection.close()


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def report(stats: Stats, seconds: float) -> dict:
    base = percentile(stats.latencies.get("trivial view", []), 95) or None
    pages = {}
    for page in sorted(stats.latencies):
        values = stats.latencies[page]
        p95 = percentile(values, 95)
        pages[page] = {
            "requests": len(values) + len(stats.errors[page]),
            "errors": len(stats.errors[page]),
            "error_kinds": sorted(set(stats.errors[page])),
            "p50_ms": round(statistics.median(values), 1) if values else None,
            "p95_ms": round(p95, 1),
            "max_ms": round(max(values), 1) if values else None,
            "p95_ratio_to_trivial": round(p95 / base, 2) if base else None,
        }
    total = sum(page["requests"] for page in pages.values())
    return {"pages": pages, "requests": total, "rps": round(total / seconds, 1)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=180)
    parser.add_argument("--warmup", type=float, default=10, help="seconds not measured first")
    parser.add_argument("--database", default="portal_load")
    parser.add_argument("--no-save", action="store_true", help="do not write bench/results")
    args = parser.parse_args(argv)
    configure(args.database)
    from bench import env
    from bench.run import commit, free_port, start_gunicorn, worker_rss_mb
    from bench.seed import setup_django

    setup_django()
    started_seed = time.monotonic()
    personas = seed(args.users)
    seed_seconds = time.monotonic() - started_seed
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env={**os.environ, **env.variables()},
        check=True,
    )
    port = free_port()
    server = start_gunicorn(port)
    stats = Stats()
    try:
        record_from = time.perf_counter() + args.warmup
        deadline = record_from + args.seconds
        walkers = [
            threading.Thread(
                target=Walker(
                    persona, port, stats, record_from=record_from, deadline=deadline, seed=index
                ).run,
                daemon=True,
            )
            for index, persona in enumerate(personas)
        ]
        for walker in walkers:
            walker.start()
            time.sleep(min(0.05, args.seconds / 100))  # ramp up
        for walker in walkers:
            walker.join(timeout=args.warmup + args.seconds + 60)
        rss = worker_rss_mb(server)
    finally:
        server.terminate()
        server.wait(timeout=30)
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": commit(),
        "users": {
            "representatives": sum(p.kind == "representative" for p in personas),
            "clients": sum(p.kind == "client" for p in personas),
        },
        "seconds": args.seconds,
        "warmup_seconds": args.warmup,
        "seed_seconds": round(seed_seconds, 1),
        "server": "gunicorn gthread -w 2 -t 4, DEBUG=false, PostgreSQL, same machine",
        "worker_rss_mb": rss,
        **report(stats, args.seconds),
    }
    print(json.dumps(result, indent=2))
    if not args.no_save:
        RESULTS.mkdir(exist_ok=True)
        out = RESULTS / f"load-{datetime.now(UTC):%Y-%m-%d}-{result['commit']}.json"
        out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {out.relative_to(ROOT)}")
    errors = sum(page["errors"] for page in result["pages"].values())
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
