"""The audit table append-only at the database.

On PostgreSQL a trigger refuses every UPDATE and DELETE of an audit row, whatever SQL the application
sends. The one exception is the retention job, which moves the oldest rows to an archive file: it sets the
transaction-local setting ``huicai.audit_retention`` to ``on`` before its DELETE (huicai.core.jobs). An
UPDATE is never allowed. SQLite has no roles; there the ORM refuses (AuditEventQuerySet) and the hash
chain shows any change made behind its back.
"""

from django.db import migrations

CREATE_TRIGGER = """
CREATE OR REPLACE FUNCTION huicai_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('huicai.audit_retention', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION USING
        MESSAGE = 'the audit log is append-only: ' || TG_OP || ' refused',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER core_auditevent_append_only
    BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION huicai_audit_append_only();
"""

DROP_TRIGGER = """
DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent;
DROP FUNCTION IF EXISTS huicai_audit_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE_TRIGGER)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGER)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_audit_chain_and_actor_text")]

    operations = [
        migrations.RunPython(create_trigger, drop_trigger),
    ]
