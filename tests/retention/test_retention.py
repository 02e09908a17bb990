"""Abandoned drafts (QUALITY.md §6): the representative is warned once, the draft is removed
with its files after the warning period, a record and an audit row stay; a change restarts
the clock; submitted and signed applications are never removed; a dry run changes nothing."""

import uuid
from datetime import datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from accounts.models import AuditEvent, OutboxEmail, StoredFile
from applications.models import Application, Document, Person, SignatureEvent, Submission
from applications.services import person_update
from retention.models import RemovedDraft, RetentionNotice
from retention.services import retention_run
from retention.tasks import retention_run_task
from tests import factories

START = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.get_fixed_timezone(0))


def day(n: int) -> datetime:
    return START + timedelta(days=n)


def run(n: int, *, dry_run: bool = False):
    with time_machine.travel(day(n), tick=False):
        return retention_run(dry_run=dry_run)


def warnings():
    return OutboxEmail.objects.filter(key__startswith="draft-retention:")


@pytest.fixture
def draft(db, rep_a_user):
    """A draft started on day 0 with a spouse and two uploaded documents, untouched since."""
    with time_machine.travel(START, tick=False):
        application = factories.make_application(representative=rep_a_user.representative)
        factories.make_person(application=application, relationship="10", family_name="Spouse")
        factories.make_document(application=application)
        factories.make_document(application=application, item_code=None, name="letter.pdf")
    return application


def test_the_representative_is_warned_once_then_the_draft_and_its_files_are_removed(
    draft, django_capture_on_commit_callbacks
):
    files = list(StoredFile.objects.all())
    assert len(files) == 2 and all(default_storage.exists(f.file.name) for f in files)
    # Day 149: not idle long enough to be warned (180 - 30 days).
    assert run(149).warned == [] and not warnings().exists()
    # Day 150: one warning, in both languages, with the removal date.
    report = run(150)
    assert report.warned == [str(draft.public_id)]
    email = warnings().get()
    assert email.to == "rep-a@example.test"
    assert "A draft application will be removed" in email.subject
    assert "Un brouillon de demande sera supprimé" in email.subject
    assert str(draft.public_id) in email.body_text
    assert "July 4, 2026" in email.body_text and "4 juillet 2026" in email.body_text
    notice = RetentionNotice.objects.get()
    assert notice.removal_due_at == day(180)
    # Later runs in the warning period send nothing more.
    assert run(151).warned == [] and run(179).waiting == 1
    assert warnings().count() == 1 and Application.objects.filter(pk=draft.pk).exists()
    # Day 180: removed with its profiles, documents and files (their bytes after commit); the
    # record stays.
    with django_capture_on_commit_callbacks(execute=True):
        report = run(180)
    assert report.removed == [str(draft.public_id)]
    assert not Application.objects.filter(pk=draft.pk).exists()
    assert not Person.objects.exists() and not Document.objects.exists()
    assert not StoredFile.objects.exists()
    assert not any(default_storage.exists(f.file.name) for f in files)
    # The emails about the draft keep nothing (the warning was long sent).
    assert warnings().get().body_text == "" and warnings().get().to == "erased@invalid"
    record = RemovedDraft.objects.get()
    assert record.application_public_id == draft.public_id
    assert (record.people, record.documents, record.files) == (2, 2, 2)
    assert record.file_bytes == sum(f.size for f in files) and record.file_bytes > 0
    assert record.warned_at == day(150) and record.removed_at == day(180)
    assert record.last_change_at == draft.updated_at and record.status == "draft"
    assert record.representative == draft.representative and record.program == draft.program
    actions = set(
        AuditEvent.objects.filter(object_id=draft.public_id).values_list("action", flat=True)
    )
    assert actions == {"application.retention_warned", "application.removed_idle"}
    # The record holds no personal data: IDs, dates and counts only.
    assert not {"family_name", "given_names", "email"} & {
        f.name for f in RemovedDraft._meta.get_fields()
    }
    assert run(400).removed == [] and RemovedDraft.objects.count() == 1


def test_a_late_warning_still_gives_the_whole_warning_period(draft):
    """A job that did not run for a while warns first and removes 30 days later."""
    run(300)
    assert RetentionNotice.objects.get().removal_due_at == day(330)
    assert run(329).removed == [] and run(330).removed == [str(draft.public_id)]


def test_a_change_after_the_warning_restarts_the_clock_and_warns_again(draft, rep_a_user):
    run(151)
    pa = draft.principal_applicant
    pa.refresh_from_db()
    with time_machine.travel(day(170), tick=False):
        person_update(
            person=pa, changes={"family_name": "Changed"}, expected_version=pa.version,
            actor=rep_a_user,
        )  # fmt: skip
    assert run(181).removed == [] and run(310).warned == []
    assert Application.objects.filter(pk=draft.pk).exists()
    # A new idle period: a second warning (a new key), then removal 180 days after the change.
    assert run(320).warned == [str(draft.public_id)] and warnings().count() == 2
    assert run(349).removed == [] and run(350).removed == [str(draft.public_id)]


@pytest.mark.django_db
def test_submitted_and_signed_applications_are_never_removed(draft, rep_a_user):
    with time_machine.travel(START, tick=False):
        returned = factories.make_application(
            representative=rep_a_user.representative, status="returned_incomplete"
        )
        Submission.objects.create(
            application=returned, number=1, token=uuid.uuid4(), application_number="F000000001",
            submitted_by=rep_a_user, manifest={}, manifest_sha256="0" * 64,
        )  # fmt: skip
        signed = factories.make_application(
            representative=rep_a_user.representative, status="awaiting_client_signature"
        )
        SignatureEvent.objects.create(
            application=signed, form_key="consent_declaration", signer=signed.client.user,
            signer_role="client", capacity="self", attestation_version="v1",
            attestation_sha256="0" * 64, content_json="{}", content_sha256="0" * 64,
            seal="0" * 64,
        )  # fmt: skip
        factories.make_application(representative=rep_a_user.representative, status="accepted")
    report = run(151)
    assert report.warned == [str(draft.public_id)] and report.kept_signed == 1
    run(400)
    assert set(Application.objects.values_list("status", flat=True)) == {
        "returned_incomplete", "awaiting_client_signature", "accepted",
    }  # fmt: skip
    assert warnings().count() == 1 and RemovedDraft.objects.count() == 1


def test_a_dry_run_reports_and_changes_nothing(draft):
    out = StringIO()
    with time_machine.travel(day(151), tick=False):
        call_command("retention_run", "--dry-run", stdout=out)
    assert "1 draft(s) would be warned, 0 would be removed" in out.getvalue()
    assert "0 idle but signed (kept), 0 failed." in out.getvalue()
    assert f"warn {draft.public_id}" in out.getvalue()
    assert not warnings().exists() and not RetentionNotice.objects.exists()
    run(151)
    out = StringIO()
    with time_machine.travel(day(200), tick=False):
        call_command("retention_run", "--dry-run", stdout=out)
    assert f"remove {draft.public_id}" in out.getvalue()
    assert Application.objects.filter(pk=draft.pk).exists() and not RemovedDraft.objects.exists()
    assert StoredFile.objects.count() == 2


def test_the_daily_task_runs_the_job(draft, settings):
    settings.DRAFT_RETENTION_DAYS, settings.DRAFT_RETENTION_WARNING_DAYS = 10, 2
    with time_machine.travel(day(8), tick=False):
        assert retention_run_task() == {"warned": 1, "removed": 0, "failed": 0}
    with time_machine.travel(day(10), tick=False):
        assert retention_run_task() == {"warned": 0, "removed": 1, "failed": 0}
    from portal.celery import app

    assert app.conf.beat_schedule["retention_run_task"]["task"] == (
        "retention.tasks.retention_run_task"
    )


def test_a_draft_changed_after_it_was_listed_is_not_removed(draft, rep_a_user):
    """The removal re-reads the draft under its row lock: a change that landed between the
    job's listing and the removal (the notice is for the old last change) keeps it."""
    from retention.services import draft_retention_remove

    run(150)
    listed = Application.objects.get(pk=draft.pk)  # what the job read
    pa = Person.objects.get(pk=draft.principal_applicant_id)
    with time_machine.travel(day(185), tick=False):
        person_update(
            person=pa, changes={"given_names": "Changed"}, expected_version=pa.version,
            actor=rep_a_user,
        )  # fmt: skip
        assert draft_retention_remove(application=listed, now=day(185)) is None
    assert Application.objects.filter(pk=draft.pk).exists() and not RemovedDraft.objects.exists()


def test_one_draft_that_cannot_be_removed_does_not_stop_the_others(
    draft, rep_a_user, monkeypatch, caplog
):
    with time_machine.travel(START, tick=False):
        other = factories.make_application(representative=rep_a_user.representative)
    run(150)

    from retention import services

    erase = services.application_documents_erase

    def broken(*, application_ids):
        if application_ids == [draft.pk]:
            raise RuntimeError("storage down")
        return erase(application_ids=application_ids)

    monkeypatch.setattr("retention.services.application_documents_erase", broken)
    report = run(180)
    assert report.failed == [str(draft.public_id)] and report.removed == [str(other.public_id)]
    assert Application.objects.filter(pk=draft.pk).exists() and StoredFile.objects.count() == 2
    assert RemovedDraft.objects.get().application_public_id == other.public_id
    assert "draft_retention_remove failed" in caplog.text
    # The next run, with storage back, removes it.
    monkeypatch.undo()
    assert run(181).removed == [str(draft.public_id)]
