"""The restore drill (QUALITY.md §6, Backups): restore a dump next to the live database and
prove it is whole.

1. ``pg_dump -Fc`` the configured database (or take an existing dump file);
2. create a scratch database with a unique name (``drill_<database>_<random>``) and
   ``pg_restore`` the dump into it;
3. count the tables and rows restored;
4. run ``verify_signatures``, ``verify_files`` and ``verify_audit`` in one child process
   whose ``DATABASE_URL`` names the scratch database and whose ``PRIVATE_MEDIA_ROOT`` names
   the restored files (``--media-root``, default: the configured storage's folder);
5. drop the scratch database, whatever happened.

The PostgreSQL client must be at least the server's major version (an older ``pg_dump``
refuses a newer server, and an older ``pg_restore`` cannot read a newer dump format): the
drill looks for a matching client on PATH and in ``/usr/lib/postgresql/<N>/bin`` and stops
with a clear message when there is none.
"""

from __future__ import annotations

import glob
import os
import re
import secrets
import shutil
import subprocess  # nosec B404: fixed PostgreSQL and manage.py commands, no shell
import sys
import tempfile
import time
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from urllib.parse import quote

import psycopg
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connections
from psycopg import sql

CHECKS = ("verify_signatures", "verify_files", "verify_audit")
# Tables whose rows the summary names (evidence a reader cares about).
COUNTED = {
    "signatures": "applications_signatureevent",
    "submissions": "applications_submission",
    "files": "accounts_storedfile",
    "audit_rows": "accounts_auditevent",
}


class DrillError(Exception):
    """The drill could not run (no matching client, dump or restore failed)."""


@dataclass
class DrillResult:
    database: str
    scratch: str
    tables: int = 0
    rows: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    mismatches: list[str] = field(default_factory=list)
    failed_checks: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed_checks

    def summary(self) -> list[str]:
        counts = self.counts
        lines = [
            f"Restored {self.database} into {self.scratch}: {self.tables} tables, "
            f"{self.rows} rows.",
            f"Signatures verified: {counts.get('signatures', 0)}; submissions: "
            f"{counts.get('submissions', 0)}; files verified: {counts.get('files', 0)}; "
            f"audit rows: {counts.get('audit_rows', 0)}.",
            "Seconds: "
            + ", ".join(f"{step} {seconds:.1f}" for step, seconds in self.timings.items()),
        ]
        lines += self.mismatches
        lines.append(
            "RESULT: " + ("PASS" if self.ok else "FAIL (" + ", ".join(self.failed_checks) + ")")
        )
        return lines


def _major(version_text: str) -> int:
    match = re.search(r"(\d+)(?:\.\d+)?", version_text)
    if match is None:
        raise DrillError(f"cannot read a version from {version_text!r}")
    return int(match.group(1))


def client_binary(name: str, server_major: int) -> str:
    """The first ``name`` (PATH first, then the newest installed major) whose major version is
    at least the server's."""
    candidates = [shutil.which(name)] + sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda path: int(Path(path).parts[-3]) if Path(path).parts[-3].isdigit() else 0,
        reverse=True,
    )
    seen = []
    for path in filter(None, candidates):
        output = subprocess.run(  # noqa: S603  # nosec B603
            [path, "--version"], capture_output=True, text=True, check=False
        ).stdout
        major = _major(output)
        seen.append(f"{path} ({major})")
        if major >= server_major:
            return path
    raise DrillError(
        f"no {name} of PostgreSQL {server_major} or newer (found: {', '.join(seen) or 'none'}); "
        f"install postgresql-client-{server_major}"
    )


def scratch_name(database: str) -> str:
    """``drill_<database>_<random>``, within PostgreSQL's 63-character identifiers."""
    return f"{scratch_prefix(database)}{secrets.token_hex(6)}"


def scratch_prefix(database: str) -> str:
    return f"drill_{database[:40]}_"


class Drill:
    def __init__(self, *, alias: str = "default", dump: str | None = None, media_root=None,
                 jobs: int = 1, keep: bool = False):  # fmt: skip
        self.db = connections[alias].settings_dict
        self.dump = dump
        self.media_root = media_root
        self.jobs = jobs
        self.keep = keep
        self.result = DrillResult(database=self.db["NAME"], scratch=scratch_name(self.db["NAME"]))

    # --- connections ---------------------------------------------------------------------

    def _pg_env(self) -> dict[str, str]:
        env = dict(os.environ)
        for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"),
                              ("PASSWORD", "PGPASSWORD")):  # fmt: skip
            if self.db.get(key):
                env[variable] = str(self.db[key])
        return env

    def _connect(self, dbname: str):
        return psycopg.connect(
            dbname=dbname,
            host=self.db.get("HOST") or None,
            port=self.db.get("PORT") or None,
            user=self.db.get("USER") or None,
            password=self.db.get("PASSWORD") or None,
            autocommit=True,
        )

    def _url(self, dbname: str) -> str:
        user = quote(self.db.get("USER") or "", safe="")
        password = self.db.get("PASSWORD")
        auth = f"{user}:{quote(password, safe='')}@" if password else (f"{user}@" if user else "")
        host = self.db.get("HOST") or "localhost"
        port = f":{self.db['PORT']}" if self.db.get("PORT") else ""
        return f"postgres://{auth}{host}{port}/{dbname}"

    def _timed(self, step: str, function, *args):
        started = time.monotonic()
        try:
            return function(*args)
        finally:
            self.result.timings[step] = time.monotonic() - started

    def _run(self, command: list[str], what: str) -> None:
        completed = subprocess.run(  # noqa: S603  # nosec B603
            command, env=self._pg_env(), capture_output=True, text=True, check=False
        )
        if completed.returncode != 0:
            raise DrillError(f"{what} failed: {completed.stderr.strip()[-2000:]}")

    # --- steps ---------------------------------------------------------------------------

    def run(self) -> DrillResult:
        if "postgresql" not in self.db["ENGINE"]:
            raise DrillError("the drill needs PostgreSQL: set DATABASE_URL to a postgres:// URL")
        try:
            return self._run_steps()
        except psycopg.Error as error:
            raise DrillError(f"database: {str(error).strip()}") from error

    def _run_steps(self) -> DrillResult:
        started = time.monotonic()
        with self._connect(self.db["NAME"]) as connection:
            server_major = connection.info.server_version // 10000
        pg_dump = client_binary("pg_dump", server_major)
        pg_restore = client_binary("pg_restore", server_major)
        with tempfile.TemporaryDirectory(prefix="restore-drill-") as workdir:
            dump = self.dump
            if dump is None:
                dump = str(Path(workdir) / "portal.dump")
                command = [pg_dump, "-Fc", "--no-owner", "--no-privileges", "-d", self.db["NAME"],
                           "-f", dump]  # fmt: skip
                self._timed("dump", self._run, command, "pg_dump")
            elif not Path(dump).is_file():
                raise DrillError(f"no dump file at {dump}")
            self._timed("create", self._create_scratch)
            try:
                command = [pg_restore, "--no-owner", "--no-privileges", "--exit-on-error",
                           "-j", str(self.jobs), "-d", self.result.scratch, dump]  # fmt: skip
                self._timed("restore", self._run, command, "pg_restore")
                self._timed("count", self._count)
                self._timed("check_process", self._verify)
            finally:
                if not self.keep:
                    self._timed("drop", self._drop_scratch)
        self.result.timings["total"] = time.monotonic() - started
        return self.result

    def _create_scratch(self) -> None:
        with self._connect("postgres") as connection:
            connection.execute(
                sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.result.scratch))
            )

    def _drop_scratch(self) -> None:
        with self._connect("postgres") as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(self.result.scratch)
                )
            )

    def _count(self) -> None:
        with self._connect(self.result.scratch) as connection:
            tables = [
                name
                for (name,) in connection.execute(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = "
                    "'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
                )
            ]
            counts = {}
            for table in tables:
                query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
                counts[table] = connection.execute(query).fetchone()[0]
        self.result.tables = len(tables)
        self.result.rows = sum(counts.values())
        self.result.counts = {label: counts.get(table, 0) for label, table in COUNTED.items()}

    def _verify(self) -> None:
        """One child process on the scratch database runs every check (``verify_here``)."""
        env = {**os.environ, "DATABASE_URL": self._url(self.result.scratch)}
        media_root = self.media_root or getattr(default_storage, "location", None)
        if media_root:
            env["PRIVATE_MEDIA_ROOT"] = str(media_root)
        completed = subprocess.run(  # noqa: S603  # nosec B603
            [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "restore_drill",
             "--verify-here"],
            env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        for line in completed.stdout.splitlines():
            kind, _, rest = line.partition(" ")
            if kind == "TIMING":
                check, seconds = rest.split()
                self.result.timings[check] = float(seconds)
            elif kind == "FAILED":
                self.result.failed_checks.append(rest)
            elif "MISMATCH" in line:
                self.result.mismatches.append(line)
        if completed.returncode != 0 and not self.result.failed_checks:
            raise DrillError(f"the checks did not run: {completed.stderr.strip()[-2000:]}")


def verify_here(write) -> bool:
    """Run every check against the database this process is configured for, writing
    ``<check>: MISMATCH ...``, ``TIMING <check> <seconds>`` and ``FAILED <check>`` lines."""
    ok = True
    for check in CHECKS:
        out = StringIO()
        started = time.monotonic()
        try:
            call_command(check, stdout=out)
        except CommandError:
            ok = False
            write(f"FAILED {check}")
        for line in out.getvalue().splitlines():
            if "MISMATCH" in line:
                write(f"{check}: {line}")
        write(f"TIMING {check} {time.monotonic() - started:.2f}")
    return ok
