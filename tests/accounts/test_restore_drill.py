"""The restore drill (QUALITY.md §6, Backups): a dump of the test database with signed and
submitted applications restores into a scratch database where every signature, submission,
file and the audit chain verify; a missing or damaged dump, a file changed in storage and a
row changed behind the portal each make it fail. The scratch database is always dropped."""

import stat
import subprocess  # nosec B404
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection

from accounts.models import StoredFile
from accounts.restore_drill import Drill, DrillError, client_binary, scratch_prefix
from applications.models import Person, Submission
from tests import factories
from tests.applications.submission_helpers import make_ready
from tests.applications.test_submission import declare, sign_everything, submit
from tests.forms_imm.helpers import TODAY


def drill(*args) -> tuple[str, str | None]:
    out = StringIO()
    try:
        call_command("restore_drill", *args, stdout=out)
    except CommandError as error:
        return out.getvalue(), str(error)
    return out.getvalue(), None


def scratch_databases() -> set[str]:
    """This test database's scratch databases (other checkouts may run drills meanwhile)."""
    prefix = scratch_prefix(connection.settings_dict["NAME"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database WHERE starts_with(datname, %s)", [prefix])
        return {name for (name,) in cursor.fetchall()}


@pytest.fixture
def world(rep_a, application_a, rep_b_user):
    """A submitted application (signatures, manifest, package) and another rep's draft with
    an uploaded document."""
    with time_machine.travel(TODAY, tick=True):
        make_ready(rep_a, application_a)
        sign_everything(application_a)
        declare(application_a)
        submit(application_a)
    draft = factories.make_application(representative=rep_b_user.representative)
    factories.make_document(application=draft)
    return application_a, draft


@pytest.mark.django_db(transaction=True)
def test_the_drill_restores_and_verifies_everything_then_fails_on_tampering(world, tmp_path):
    application, _draft = world
    before = scratch_databases()
    output, error = drill()
    assert error is None, output
    signatures = application.signature_events.count()
    files = StoredFile.objects.count()
    assert signatures >= 3 and files >= 3
    assert f"Signatures verified: {signatures}; submissions: 1; files verified: {files}" in output
    assert "RESULT: PASS" in output and "tables" in output and "Seconds: dump" in output
    assert scratch_databases() == before

    # A missing dump, and a damaged one: pg_restore stops, the scratch database is dropped.
    missing = tmp_path / "missing.dump"
    assert drill("--dump", str(missing))[1] == (
        f"Restore drill could not run: no dump file at {missing}"
    )
    damaged = tmp_path / "damaged.dump"
    settings_dict = connection.settings_dict
    subprocess.run(  # noqa: S603
        [client_binary("pg_dump", 0), "-Fc", "-f", str(damaged), settings_dict["NAME"]],
        check=True,
        env={"PGHOST": settings_dict["HOST"], "PGUSER": settings_dict["USER"],
             "PGPORT": str(settings_dict["PORT"] or 5432)},
    )  # fmt: skip
    damaged.write_bytes(damaged.read_bytes()[: damaged.stat().st_size // 2])
    _output, error = drill("--dump", str(damaged))
    assert error.startswith("Restore drill could not run: pg_restore failed")
    assert scratch_databases() == before

    # A signed profile changed behind the portal, and a stored file changed in storage.
    Person.objects.filter(pk=application.principal_applicant_id).update(family_name="Forged")
    stored = Submission.objects.get().package
    with stored.file.open("wb") as handle:
        handle.write(b"%PDF-1.4 not the package")
    output, error = drill()
    assert error == "Restore drill failed: verify_signatures, verify_files"
    assert f"verify_files: MISMATCH file={stored.public_id} check=changed" in output
    assert "verify_signatures: MISMATCH" in output and "RESULT: FAIL" in output
    assert scratch_databases() == before


def fake_client(directory: Path, name: str, version: str) -> None:
    script = directory / name
    script.write_text(f"#!/bin/sh\necho '{name} (PostgreSQL) {version}'\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)


def test_the_client_must_be_at_least_the_server_version(tmp_path, monkeypatch):
    fake_client(tmp_path, "pg_dump", "13.4")
    monkeypatch.setattr("shutil.which", lambda name: str(tmp_path / name))
    monkeypatch.setattr("glob.glob", lambda pattern: [])
    assert client_binary("pg_dump", 13) == str(tmp_path / "pg_dump")
    with pytest.raises(DrillError, match="no pg_dump of PostgreSQL 15 or newer"):
        client_binary("pg_dump", 15)


def test_the_drill_needs_postgresql():
    drill = Drill()
    drill.db = {**drill.db, "ENGINE": "django.db.backends.sqlite3"}
    with pytest.raises(DrillError, match="needs PostgreSQL"):
        drill.run()
