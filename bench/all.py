"""``make bench``: every benchmark in one command, each as a ratio to the trivial view.

1. ``bench.submission`` in its own process (a throwaway test database, Django's test client):
   the trivial view, a section save (completing the PA's IMM 5669 background page), the submit
   request, and a package render for four people (time, and peak Python memory).
2. ``bench.run`` (seeds 10,000 applications, serves them with gunicorn): the trivial view and
   the dashboard's first and deep pages at c=1 and c=16, and the RSS of each web worker.

Each measure is divided by the trivial view measured by the same harness in the same run. The
combined figures go to ``bench/results/all-<date>-<commit>.json`` and are printed as a table,
with the load average before and after (the machine is shared; compare ratios).

Usage: ``python -m bench.all [--quick] [--skip-seed] [--repeats N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def run_submission(repeats: int) -> dict:
    """bench.submission in a fresh process (test settings; the dashboard run changes the
    environment of this one)."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "submission.json"
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings_test",
            "BENCH_ENDPOINTS": "1",
        }
        subprocess.run(
            [sys.executable, "-m", "bench.submission", "--repeats", str(repeats), "--out", out],
            cwd=ROOT,
            env=environment,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        return json.loads(out.read_text(encoding="utf-8"))


def rows(dashboard: dict, submission: dict) -> list[dict]:
    """The table: one row per measure, its value, the trivial view's and the ratio."""
    results = dashboard["results"]
    table = []
    for name, label in (
        ("dashboard_first_page", "Dashboard, first page (10,000 applications)"),
        ("dashboard_deep_page", "Dashboard, deep page (row 5,000)"),
    ):
        c1, c16 = results[f"{name}_c1"], results[f"{name}_c16"]
        plain1, plain16 = results["plain_c1"], results["plain_c16"]
        table.append(_row(f"{label}, c=1 p50", c1["p50_ms"], plain1["p50_ms"], "ms"))
        table.append(_row(f"{label}, c=16 throughput", c16["rps"], plain16["rps"], "req/s"))
    plain = submission["plain_view_ms_p50"]
    table += [
        _row("Section save (IMM 5669 background), p50", submission["section_save_ms_p50"], plain),
        _row("Submission request, p50", submission["submit_request_ms_p50"], plain),
        _row("Package render (4 people), p50", submission["package_render_ms_p50"], plain),
    ]
    table.append(
        {
            "measure": "Package render peak Python memory",
            "value": f"{submission['package_peak_python_memory_mb_max']} MB",
            "baseline": "",
            "ratio": "",
        }
    )
    for index, size in enumerate(dashboard["worker_rss_mb"], start=1):
        table.append(
            {
                "measure": f"Web worker {index} RSS",
                "value": f"{size} MB",
                "baseline": "",
                "ratio": "",
            }
        )
    return table


def _row(measure: str, value: float, baseline: float, unit: str = "ms") -> dict:
    return {
        "measure": measure,
        "value": f"{value} {unit}",
        "baseline": f"{baseline} {unit}",
        "ratio": round(value / baseline, 2) if baseline else None,
    }


def print_table(table: list[dict]) -> None:
    widths = [max(len(str(row[key])) for row in table) for key in table[0]]
    header = ("Measure", "Value", "Trivial view", "Ratio")
    widths = [max(width, len(title)) for width, title in zip(widths, header, strict=True)]
    print("  ".join(title.ljust(width) for title, width in zip(header, widths, strict=True)))
    for row in table:
        cells = [str(value) for value in row.values()]
        print("  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="short dashboard runs, 1 repeat")
    parser.add_argument("--skip-seed", action="store_true")
    parser.add_argument("--repeats", type=int, default=3, help="submission bench repeats")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()
    submission = run_submission(1 if args.quick else args.repeats)
    from bench import run as dashboard_bench

    dashboard = dashboard_bench.run(
        [*(["--quick"] if args.quick else []), *(["--skip-seed"] if args.skip_seed else [])]
    )
    table = rows(dashboard, submission)
    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": dashboard["commit"],
        "load_average_before": [round(value, 2) for value in load_before],
        "load_average_after": [round(value, 2) for value in os.getloadavg()],
        "table": table,
        "dashboard": dashboard,
        "submission": submission,
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"all-{datetime.now(UTC):%Y-%m-%d}-{report['commit']}.json"
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print()
    print_table(table)
    print(
        f"load average before {report['load_average_before']}, after {report['load_average_after']}"
    )
    print(f"wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
