"""Audit events are append-only and hash-chained in PostgreSQL (QUALITY.md §8).

1. ``accounts_auditevent_immutable`` (BEFORE UPDATE OR DELETE) rejects every change, except
   the one update the chain trigger below makes to a row it is sealing.
2. ``accounts_auditevent_chain`` is a deferred constraint trigger: at COMMIT it takes an
   advisory lock, reads the last sealed row and sets ``seq``, ``prev_hash`` and
   ``row_hash = sha256(prev_hash || content_hash)``. Taking the lock at commit, after every
   other lock the transaction holds, keeps the chain in commit order without deadlocks.

TRUNCATE is not blocked: the test suite's flush between transactional tests uses it. The
database role the portal runs as should not own the table in production (docs/architecture.md).
SQLite (make run) has no triggers; audit_record chains rows itself there.
"""

from django.db import migrations

# The advisory lock key, 418581342580, is any 64-bit constant private to this lock: it is
# "audit" in ASCII (0x6175646974).
FORWARD = """
CREATE FUNCTION accounts_auditevent_immutable() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND OLD.seq IS NULL
       AND current_setting('portal.audit_sealing', true) = 'on'
       AND (NEW.id, NEW.created_at, NEW.actor_id, NEW.actor_role, NEW.action,
            NEW.object_type, NEW.object_id, NEW.outcome, NEW.reason, NEW.ip,
            NEW.request_id, NEW.content_hash)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.created_at, OLD.actor_id, OLD.actor_role, OLD.action,
            OLD.object_type, OLD.object_id, OLD.outcome, OLD.reason, OLD.ip,
            OLD.request_id, OLD.content_hash)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'accounts_auditevent is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER accounts_auditevent_immutable
    BEFORE UPDATE OR DELETE ON accounts_auditevent
    FOR EACH ROW EXECUTE FUNCTION accounts_auditevent_immutable();

CREATE FUNCTION accounts_auditevent_chain() RETURNS trigger AS $$
DECLARE
    last_seq bigint;
    last_hash text;
BEGIN
    PERFORM pg_advisory_xact_lock(418581342580);
    SELECT seq, row_hash INTO last_seq, last_hash
        FROM accounts_auditevent WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1;
    last_seq := COALESCE(last_seq, 0);
    last_hash := COALESCE(last_hash, '');
    PERFORM set_config('portal.audit_sealing', 'on', true);
    UPDATE accounts_auditevent
        SET seq = last_seq + 1,
            prev_hash = last_hash,
            row_hash = encode(sha256(convert_to(last_hash || content_hash, 'UTF8')), 'hex')
        WHERE id = NEW.id AND seq IS NULL;
    PERFORM set_config('portal.audit_sealing', 'off', true);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER accounts_auditevent_chain
    AFTER INSERT ON accounts_auditevent
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION accounts_auditevent_chain();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS accounts_auditevent_chain ON accounts_auditevent;
DROP FUNCTION IF EXISTS accounts_auditevent_chain();
DROP TRIGGER IF EXISTS accounts_auditevent_immutable ON accounts_auditevent;
DROP FUNCTION IF EXISTS accounts_auditevent_immutable();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_outboxemail_storedfile_auditevent"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
    ]
