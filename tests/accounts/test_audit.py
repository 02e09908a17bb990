"""The audit trail (QUALITY.md §8): append-only in the database, hash-chained in commit order."""

import threading
import uuid

import pytest
from django.db import DatabaseError, connection, connections, transaction

from accounts.models import AuditEvent, OutboxEmail, User
from accounts.services import audit_record, audit_verify
from tests import factories


def outbox_row() -> OutboxEmail:
    return OutboxEmail.objects.create(
        key=f"k-{uuid.uuid4()}", to="x@example.test", subject="s", body_text="t",
        body_html="h", message_id=f"<{uuid.uuid4().hex}@test>",
    )  # fmt: skip


@pytest.mark.django_db
def test_a_row_records_who_did_what_to_which_object_and_nothing_else():
    user = factories.make_user(role=User.Role.REPRESENTATIVE)
    target = outbox_row()

    event = audit_record(
        actor=user,
        action="application.submitted",
        obj=target,
        reason="gate_passed",
        ip=" 203.0.113.9 ",
        request_id="req-123",
    )

    event = AuditEvent.objects.get(pk=event.pk)
    assert event.actor == user and event.actor_role == "representative"
    assert event.action == "application.submitted"
    assert event.object_type == "accounts.outboxemail" and event.object_id == target.public_id
    assert event.outcome == "success" and event.reason == "gate_passed"
    assert event.ip == "203.0.113.9" and event.request_id == "req-123"
    assert len(event.content_hash) == 64


@pytest.mark.django_db
def test_anonymous_actors_and_junk_addresses_are_recorded_safely():
    from django.contrib.auth.models import AnonymousUser

    first = audit_record(actor=None, action="auth.login_failed", outcome="failure", ip="nonsense")
    second = audit_record(actor=AnonymousUser(), action="auth.login_failed", outcome="failure")

    assert first.actor is None and first.actor_role == "anonymous" and first.ip == ""
    assert second.actor is None and second.actor_role == "anonymous"
    with pytest.raises(ValueError):
        audit_record(actor=None, action="x.y", outcome="maybe")


@pytest.mark.django_db
def test_the_database_refuses_to_change_a_row():
    event = audit_record(actor=None, action="file.uploaded")

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(reason="edited")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE accounts_auditevent SET action = 'x' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


@pytest.mark.django_db
def test_the_database_refuses_to_delete_a_row():
    event = audit_record(actor=None, action="file.uploaded")

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM accounts_auditevent")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db
def test_only_the_chain_trigger_may_seal_a_row():
    event = audit_record(actor=None, action="file.uploaded")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            # Pretending to be the sealer still may not change the content.
            cursor.execute("SELECT set_config('portal.audit_sealing', 'on', true)")
            cursor.execute(
                "UPDATE accounts_auditevent SET seq = 1, reason = 'forged' WHERE id = %s",
                [event.pk],
            )


@pytest.mark.django_db(transaction=True)
def test_rows_are_chained_at_commit_and_the_chain_verifies():
    user = factories.make_user()
    for action in ("auth.signed_in", "application.created", "auth.signed_out"):
        audit_record(actor=user, action=action)
    with transaction.atomic():
        audit_record(actor=user, action="file.uploaded")
        audit_record(actor=user, action="file.downloaded")

    events = list(AuditEvent.objects.order_by("seq"))
    assert [e.seq for e in events] == [1, 2, 3, 4, 5]
    assert events[0].prev_hash == ""
    assert all(b.prev_hash == a.row_hash for a, b in zip(events, events[1:], strict=False))
    assert audit_verify() == []


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_row_leaves_no_gap():
    audit_record(actor=None, action="a.one")
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=None, action="a.rolled_back")
        raise RuntimeError
    audit_record(actor=None, action="a.two")

    assert list(AuditEvent.objects.order_by("seq").values_list("seq", "action")) == [
        (1, "a.one"),
        (2, "a.two"),
    ]
    assert audit_verify() == []


@pytest.fixture
def triggers_off():
    """Act as a database superuser who bypasses the triggers, to tamper with the table."""

    def run(sql, params=()):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute(sql, params)

    return run


@pytest.mark.django_db(transaction=True)
def test_tampering_is_detected(triggers_off):
    for n in range(4):
        audit_record(actor=None, action=f"a.{n}", reason="ok")
    assert audit_verify() == []

    triggers_off("UPDATE accounts_auditevent SET reason = 'changed' WHERE seq = 2")
    assert audit_verify() == ["seq 2: content changed"]

    triggers_off("UPDATE accounts_auditevent SET reason = 'ok' WHERE seq = 2")
    triggers_off("DELETE FROM accounts_auditevent WHERE seq = 3")
    problems = audit_verify()
    assert "seq 3: missing (next is 4)" in problems
    assert "seq 4: link to the previous row broken" in problems


@pytest.mark.django_db(transaction=True)
def test_concurrent_transactions_build_one_chain_without_forks():
    threads, errors = 8, []
    barrier = threading.Barrier(threads)

    def append(n):
        try:
            with transaction.atomic():
                audit_record(actor=None, action=f"thread.{n}")
                barrier.wait(timeout=30)  # every transaction is open before any commits
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=append, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)

    assert errors == []
    assert sorted(AuditEvent.objects.values_list("seq", flat=True)) == list(range(1, 9))
    assert audit_verify() == []


@pytest.mark.django_db(transaction=True)
def test_auditing_inside_a_transaction_that_locks_rows_cannot_deadlock():
    """T1 audits then waits for a row T2 holds while T2 audits: no global lock until commit."""
    target = factories.make_user()
    t2_holds_row = threading.Event()
    errors = []

    def first():
        try:
            with transaction.atomic():
                audit_record(actor=None, action="first.audited")
                t2_holds_row.wait(timeout=30)
                User.objects.select_for_update().get(pk=target.pk)  # waits for T2's commit
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    def second():
        try:
            with transaction.atomic():
                User.objects.select_for_update().get(pk=target.pk)
                t2_holds_row.set()
                audit_record(actor=None, action="second.audited")
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=first), threading.Thread(target=second)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)

    assert errors == []
    assert list(AuditEvent.objects.order_by("seq").values_list("action", flat=True)) == [
        "second.audited",
        "first.audited",
    ]
    assert audit_verify() == []


@pytest.mark.django_db
def test_audit_events_are_read_only_in_the_admin(superuser):
    event = audit_record(actor=None, action="file.uploaded")
    base = "/en/staff-admin/accounts/auditevent/"

    assert superuser.get(base).status_code == 200
    assert superuser.get(f"{base}{event.pk}/change/").status_code == 200
    assert superuser.get(f"{base}add/").status_code == 403
    assert superuser.get(f"{base}{event.pk}/delete/").status_code == 403
    response = superuser.post(f"{base}{event.pk}/change/", {"action": "edited", "reason": "x"})
    assert response.status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).action == "file.uploaded"


@pytest.mark.integration
def test_make_runs_sqlite_database_chains_rows_in_python(tmp_path):
    """SQLite has no triggers: audit_record chains rows itself (make run only)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "CELERY_BROKER_URL")
    }
    env.update(DEBUG="true", DATABASE_URL=f"sqlite:///{tmp_path / 'dev.sqlite3'}")
    script = (
        "from accounts.services import audit_record, audit_verify\n"
        "from accounts.models import AuditEvent\n"
        "for n in range(3): audit_record(actor=None, action=f'dev.{n}')\n"
        "print(list(AuditEvent.objects.order_by('seq').values_list('seq', flat=True)))\n"
        "print(audit_verify())\n"
    )
    for command in (["migrate", "--no-input", "-v0"], ["shell", "-c", script]):
        result = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=root, env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines()[-2:] == ["[1, 2, 3]", "[]"]
