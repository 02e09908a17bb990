"""``make bench``: the dashboard at 10,000 applications under gunicorn, as ratios to a baseline.

Seeds (idempotently), starts gunicorn (gthread -w 2 -t 4, DEBUG off, PostgreSQL) on a free
loopback port, signs one representative in, then measures each scenario: 2 s warm-up, 10 s
measured, 3 repeats, median. The baseline ``/__bench/plain/`` (a bare response behind the full
middleware, signed in) is measured in the same run. Results go to
``bench/results/<date>-<commit>.json``; the figures are copied into bench/README.md by hand.

Usage: ``python -m bench.run [--quick] [--skip-seed]``.
"""

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import env, loadgen

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare() -> tuple[str, str]:
    """A signed-in session cookie for the bench representative, and a deep-page cursor."""
    env.apply()
    import django

    django.setup()
    from django.conf import settings

    from accounts.models import User
    from applications.models import Application
    from tests.conftest import signed_in

    user = User.objects.get(email="bench-rep-a@example.test")
    cookie = signed_in(user).cookies[settings.SESSION_COOKIE_NAME].value
    ordered = Application.objects.filter(representative__user=user).order_by(
        "-updated_at", "-public_id"
    )
    deep = ordered.values_list("public_id", flat=True)[5000]
    return f"{settings.SESSION_COOKIE_NAME}={cookie}", str(deep)


def start_gunicorn(port: int) -> subprocess.Popen:
    command = [
        str(Path(PYTHON).parent / "gunicorn"),
        "portal.wsgi:application",
        "--worker-class", "gthread", "--workers", "2", "--threads", "4",
        "--bind", f"127.0.0.1:{port}",
        "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env.variables()})
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise RuntimeError("gunicorn did not start")


def worker_rss_mb(master: subprocess.Popen) -> list[float]:
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children")
    sizes = []
    for pid in children.read_text().split() if children.exists() else []:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                sizes.append(round(int(line.split()[1]) / 1024, 1))
    return sizes


def measure(port, path, cookie, concurrency, *, warmup, seconds, repeats) -> dict:
    loadgen.run(port=port, path=path, cookie=cookie, concurrency=concurrency, seconds=warmup)
    runs = [
        loadgen.run(port=port, path=path, cookie=cookie, concurrency=concurrency, seconds=seconds)
        for _ in range(repeats)
    ]
    return {
        "path": path.split("?")[0],
        "concurrency": concurrency,
        "rps": round(statistics.median(r.rps for r in runs), 1),
        "p50_ms": round(statistics.median(r.percentile(50) for r in runs), 2),
        "p95_ms": round(statistics.median(r.percentile(95) for r in runs), 2),
        "errors": sum(r.errors for r in runs),
        "requests": sum(r.requests for r in runs),
    }


def commit() -> str:
    result = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout.strip() or "unknown"


def main(argv=None) -> int:
    run(argv)
    return 0


def run(argv=None) -> dict:
    """Seed, serve, measure; write the JSON report and return it."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1 s warm-up, 4 s, 1 repeat")
    parser.add_argument("--skip-seed", action="store_true")
    args = parser.parse_args(argv)
    warmup, seconds, repeats = (1, 4, 1) if args.quick else (2, 10, 3)
    if not args.skip_seed:
        subprocess.run([PYTHON, "-m", "bench.seed"], cwd=ROOT, check=True)
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env={**os.environ, **env.variables()},
        check=True,
    )
    cookie, deep_cursor = prepare()
    port = free_port()
    server = start_gunicorn(port)
    scenarios = {
        "plain": "/__bench/plain/",
        "dashboard_first_page": "/en/applications/",
        "dashboard_deep_page": f"/en/applications/?after={deep_cursor}",
    }
    results = {}
    try:
        for name, path in scenarios.items():
            for concurrency in (1, 16):
                key = f"{name}_c{concurrency}"
                results[key] = measure(
                    port, path, cookie, concurrency, warmup=warmup, seconds=seconds, repeats=repeats
                )
                print(key, results[key], flush=True)
        rss = worker_rss_mb(server)
    finally:
        server.terminate()
        server.wait(timeout=30)
    for name in ("dashboard_first_page", "dashboard_deep_page"):
        for concurrency in (1, 16):
            row, base = results[f"{name}_c{concurrency}"], results[f"plain_c{concurrency}"]
            row["rps_ratio"] = round(row["rps"] / base["rps"], 3) if base["rps"] else None
            row["p50_ratio"] = round(row["p50_ms"] / base["p50_ms"], 2) if base["p50_ms"] else None
    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": commit(),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "method": {"warmup_s": warmup, "measured_s": seconds, "repeats": repeats},
        "server": "gunicorn gthread -w 2 -t 4, DEBUG=false, PostgreSQL, same machine",
        "applications": 10_000,
        "worker_rss_mb": rss,
        "results": results,
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"{datetime.now(UTC):%Y-%m-%d}-{report['commit']}.json"
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)}")
    return report


if __name__ == "__main__":
    sys.exit(main())
