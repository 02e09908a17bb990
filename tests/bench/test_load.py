"""The load scenario (bench/load.py) at CI size: a few people for a few seconds, 0 errors.

The full size (50 people for 3 minutes) is ``make load``; its figures are in bench/README.md.
"""

import json
import subprocess
import sys
from pathlib import Path

import psycopg
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def test_simulated_representatives_and_clients_get_no_error_on_any_page():
    database = f"test_load_{settings.TEST_TREE_ID}"
    try:
        result = subprocess.run(
            [sys.executable, "-m", "bench.load", "--users", "6", "--seconds", "8",
             "--warmup", "2", "--database", database, "--no-save"],
            cwd=ROOT, capture_output=True, text=True, timeout=240, check=False,
        )  # fmt: skip
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        report = json.loads(result.stdout[: result.stdout.rindex("}") + 1])
    finally:
        with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    pages = report["pages"]
    expected = {"dashboard", "application", "section", "autosave", "documents", "history",
                "form review", "trivial view"}  # fmt: skip
    assert expected <= set(pages)
    for name in expected:
        assert pages[name]["requests"] > 0, name
        assert pages[name]["errors"] == 0, (name, pages[name]["error_kinds"])
        assert pages[name]["p95_ms"] > 0
    assert report["users"] == {"representatives": 4, "clients": 2}
