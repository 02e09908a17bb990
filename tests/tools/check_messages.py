"""Fail when French is incomplete: untranslated or fuzzy entries, or strings not yet extracted.

Runs makemessages on a scratch copy of the tree, so the committed catalogue is never touched.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PO = Path("locale/fr/LC_MESSAGES/django.po")
SKIP = {".venv", ".git", "staticfiles", "private_media", "node_modules", "tests", "bench"}


def msgids(po_text: str) -> set[str]:
    ids, current, in_id = set(), [], False
    for line in po_text.splitlines():
        if line.startswith("msgid "):
            current, in_id = [line[6:]], True
        elif line.startswith('"') and in_id:
            current.append(line)
        else:
            if in_id:
                joined = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', "\n".join(current)))
                if joined:
                    ids.add(joined)
            in_id = False
    return ids


def main() -> int:
    problems = []
    stats = subprocess.run(
        ["msgfmt", "--statistics", "-o", os.devnull, str(ROOT / PO)],
        capture_output=True,
        text=True,
        check=False,
    )
    if stats.returncode != 0 or "untranslated" in stats.stderr or "fuzzy" in stats.stderr:
        problems.append(f"{PO}: {stats.stderr.strip()}")
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "tree"
        shutil.copytree(ROOT, copy, ignore=lambda d, names: [n for n in names if n in SKIP])
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "makemessages",
                "-l",
                "fr",
                "--no-obsolete",
                "-v0",
                "--add-location=file",
            ],
            cwd=copy,
            check=True,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings_test"},
        )
        extracted = msgids((copy / PO).read_text(encoding="utf-8"))
    committed = msgids((ROOT / PO).read_text(encoding="utf-8"))
    missing = sorted(extracted - committed)
    if missing:
        problems.append(
            f"{len(missing)} string(s) not in {PO}; run `make messages` and translate them:\n  "
            + "\n  ".join(missing[:20])
        )
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print(f"French catalogue complete: {len(committed)} strings.")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
