"""The database's own guard against double booking: one commissioner post never holds two confirmed
appointments whose slots overlap (the confirm action checks it first, under a lock of the post; this is
the backstop for any other path, e.g. a bulk update).

Django has no overlap constraint that works on both databases, so each gets its native one:
- PostgreSQL: an exclusion constraint over (post, time range) for confirmed rows (btree_gist, a trusted
  extension since PostgreSQL 13, so a database owner may create it);
- SQLite: triggers on insert and update that abort the statement (reported as an IntegrityError).
Datetimes are stored by Django in UTC in one text format on SQLite, so comparing them as text is sound.
"""

from django.db import migrations

TABLE = "directservices_appointment"

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    f"""ALTER TABLE {TABLE} ADD CONSTRAINT appointment_no_overlap_per_post
        EXCLUDE USING gist (post_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
        WHERE (status = 'confirmed')""",
]
POSTGRES_BACKWARD = [f"ALTER TABLE {TABLE} DROP CONSTRAINT IF EXISTS appointment_no_overlap_per_post"]

_SQLITE_CHECK = f"""
    WHEN NEW.status = 'confirmed' AND NEW.post_id IS NOT NULL
    BEGIN
        SELECT RAISE(ABORT, 'appointment_no_overlap_per_post')
        WHERE EXISTS (
            SELECT 1 FROM {TABLE} AS other
            WHERE other.post_id = NEW.post_id
              AND other.status = 'confirmed'
              AND other.id != NEW.id
              AND other.starts_at < NEW.ends_at
              AND NEW.starts_at < other.ends_at
        );
    END"""
SQLITE_FORWARD = [
    f"CREATE TRIGGER appointment_no_overlap_insert BEFORE INSERT ON {TABLE} {_SQLITE_CHECK}",
    f"CREATE TRIGGER appointment_no_overlap_update BEFORE UPDATE ON {TABLE} {_SQLITE_CHECK}",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS appointment_no_overlap_insert",
    "DROP TRIGGER IF EXISTS appointment_no_overlap_update",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("directservices", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
