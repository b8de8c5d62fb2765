"""manage.py backup and restore (issue 14.4): an encrypted copy that comes back whole, or not at all.

The drills run on the engine of the test run: on SQLite the restored instance is another file, on
PostgreSQL another database on the same server (pg_dump and pg_restore), each restored by another process.
"""

import base64
import hashlib
import io
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from huicai.casework import actions
from huicai.casework.tests.conftest import prepare
from huicai.core.models import AuditEvent
from huicai.ops.backup import (
    CHUNK,
    MAGIC,
    POSTGRES_ADVICE,
    BackupError,
    DecryptedReader,
    EncryptedWriter,
    backup_cipher,
    postgres_table_digests,
    table_digests,
)

ROOT = Path(__file__).resolve().parents[3]
ON_SQLITE = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"


@pytest.fixture
def loaded(case, settings, tmp_path):
    """The test world with a submitted application whose materials are uploaded, and an archived audit file."""
    settings.VAR_DIR = tmp_path / "var"
    settings.HUICAI_AUDIT_ARCHIVE_DIR = tmp_path / "audit-archive"
    settings.HUICAI_AUDIT_ARCHIVE_DIR.mkdir()
    (settings.HUICAI_AUDIT_ARCHIVE_DIR / "audit-2025-09.jsonl").write_text('{"id": 1}\n')
    world = case.world
    application = prepare(case, [case.hukou, case.housing])
    actions.submit_application(application, by=world.wang_fang, at=world.at)
    (tmp_path / "backups").mkdir()
    return case


def file_digests(*roots):
    return {
        f"{root.name}/{path.relative_to(root).as_posix()}": hashlib.sha256(path.read_bytes()).hexdigest()
        for root in roots
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def postgres_connect(name):
    import psycopg

    params = {**connection.get_connection_params(), "dbname": name}
    return psycopg.connect(**params, autocommit=True)


def live_digests():
    if ON_SQLITE:
        return table_digests(sqlite3.connect(connection.settings_dict["NAME"], uri=True))
    with postgres_connect(connection.settings_dict["NAME"]) as db:
        return postgres_table_digests(db)


class Elsewhere:
    """Another instance: its own folders, and its own SQLite file or PostgreSQL database, same keys."""

    def __init__(self, place: Path):
        self.place = place
        self.database = f"{connection.settings_dict['NAME']}_drill_{uuid.uuid4().hex[:8]}"
        self.created = False

    def environment(self):
        env = {
            "PATH": os.environ.get("PATH", ""),
            "DEBUG": "0",
            "HUICAI_TESTING": "0",
            "SECRET_KEY": settings.SECRET_KEY,
            "HUICAI_DATA_KEY": settings.HUICAI_DATA_KEY,
            "HUICAI_LOOKUP_KEY": settings.HUICAI_LOOKUP_KEY,
            "HUICAI_BACKUP_KEY": settings.HUICAI_BACKUP_KEY,
            "HUICAI_VAR_DIR": str(self.place),
            "MEDIA_ROOT": str(self.place / "uploads"),
            "HUICAI_AUDIT_ARCHIVE_DIR": str(self.place / "audit-archive"),
        }
        if ON_SQLITE:
            env["SQLITE_PATH"] = str(self.place / "huicai.sqlite3")
        else:
            if not self.created:
                with postgres_connect("postgres") as admin:
                    admin.execute(f'CREATE DATABASE "{self.database}"')
                self.created = True
            params = connection.settings_dict
            password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
            env["DATABASE_URL"] = (
                f"postgres://{params['USER']}{password}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}"
                f"/{self.database}"
            )
        return env

    def restore(self, backup, *extra):
        """``manage.py restore`` in another process."""
        return subprocess.run(
            [sys.executable, "manage.py", "restore", str(backup), *extra],
            cwd=ROOT,
            env=self.environment(),
            capture_output=True,
            text=True,
        )

    def query(self, sql):
        if ON_SQLITE:
            return sqlite3.connect(self.place / "huicai.sqlite3").execute(sql).fetchall()
        with postgres_connect(self.database) as db:
            return db.execute(sql).fetchall()

    def digests(self, *, where=None):
        if ON_SQLITE:
            return table_digests(sqlite3.connect(self.place / "huicai.sqlite3"), where=where)
        with postgres_connect(self.database) as db:
            return postgres_table_digests(db, where=where)

    def has_tables(self):
        if ON_SQLITE:
            return (self.place / "huicai.sqlite3").exists() and bool(
                self.query("SELECT name FROM sqlite_master WHERE type = 'table'")
            )
        return bool(self.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))

    def drop(self):
        if self.created:
            with postgres_connect("postgres") as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')


@pytest.fixture
def elsewhere(tmp_path):
    made = []

    def make(name="elsewhere"):
        made.append(Elsewhere(tmp_path / name))
        return made[-1]

    yield make
    for instance in made:
        instance.drop()


def the_backup(tmp_path):
    (path,) = (tmp_path / "backups").iterdir()
    return path


def back_up(tmp_path):
    call_command("backup", str(tmp_path / "backups"), stdout=io.StringIO())
    return the_backup(tmp_path)


@pytest.mark.django_db(transaction=True)
def test_a_restore_drill_brings_back_every_table_and_every_upload_elsewhere(
    loaded, settings, tmp_path, elsewhere
):
    backup = back_up(tmp_path)
    source_tables = live_digests()
    source_files = file_digests(Path(settings.MEDIA_ROOT), settings.HUICAI_AUDIT_ARCHIVE_DIR)
    instance = elsewhere()

    result = instance.restore(backup)

    assert result.returncode == 0, result.stdout + result.stderr
    # The restore records itself in the restored audit log, after the history it brought back.
    ((last_id, kind, outcome),) = instance.query(
        "SELECT id, kind, result FROM core_auditevent ORDER BY id DESC LIMIT 1"
    )
    assert (kind, outcome) == (AuditEvent.Kind.CONFIG_CHANGE, "restored")
    assert instance.digests(where={"core_auditevent": f"id < {last_id}"}) == source_tables
    assert source_tables["casework_material"]["rows"] > 0
    assert file_digests(instance.place / "uploads", instance.place / "audit-archive") == source_files
    assert len(source_files) > 1


@pytest.mark.django_db(transaction=True)
def test_a_restore_refuses_an_instance_that_already_holds_data(loaded, tmp_path, elsewhere):
    backup = back_up(tmp_path)
    instance = elsewhere()
    assert instance.restore(backup).returncode == 0

    again = instance.restore(backup)

    assert again.returncode != 0
    assert "this instance already holds data; restore only into an empty one (or --force)" in again.stderr
    assert instance.restore(backup, "--force").returncode == 0


@pytest.mark.django_db(transaction=True)
def test_the_backup_file_reveals_no_personal_data_and_is_readable_only_by_its_owner(loaded, tmp_path):
    world = loaded.world

    backup = back_up(tmp_path)

    content = backup.read_bytes()
    assert world.li_ming.name.encode() not in content
    assert b"CREATE TABLE" not in content
    assert b"%PDF" not in content
    assert backup.stat().st_mode & 0o077 == 0


@pytest.mark.django_db(transaction=True)
def test_a_damaged_or_cut_backup_is_refused_before_anything_is_written(loaded, tmp_path, elsewhere):
    content = back_up(tmp_path).read_bytes()
    damaged = tmp_path / "damaged.hcbk"
    damaged.write_bytes(content[:5000] + bytes([content[5000] ^ 1]) + content[5001:])
    cut = tmp_path / "cut.hcbk"
    cut.write_bytes(content[: len(content) - 100])
    instances = [elsewhere("damaged"), elsewhere("cut")]

    results = [instance.restore(path) for instance, path in zip(instances, (damaged, cut), strict=True)]

    assert "wrong HUICAI_BACKUP_KEY, or the file is damaged" in results[0].stderr
    assert "the backup is truncated" in results[1].stderr
    for instance in instances:
        assert not instance.has_tables()
        assert not (instance.place / "uploads").exists()


@pytest.mark.django_db(transaction=True)
def test_a_backup_made_under_other_data_keys_is_refused(loaded, settings, tmp_path):
    backup = back_up(tmp_path)
    settings.HUICAI_DATA_KEY = "RERERERERERERERERERERERERERERERERERERERERERE="

    with pytest.raises(CommandError, match="encrypted with other HUICAI_DATA_KEY"):
        call_command("restore", str(backup), "--force")


def test_a_backup_never_overwrites_another(world, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "uploads"
    existing = tmp_path / "monday.hcbk"
    existing.write_bytes(b"an earlier backup")

    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", str(existing), "--files-only")

    assert existing.read_bytes() == b"an earlier backup"
    assert list(AuditEvent.objects.order_by("-id").values_list("kind", "result")[:2]) == [
        (AuditEvent.Kind.EXPORT, "failed"),
        (AuditEvent.Kind.EXPORT, "backup"),
    ]


def test_the_backup_key_is_required(world, settings, tmp_path):
    settings.HUICAI_BACKUP_KEY = ""

    with pytest.raises(CommandError, match="HUICAI_BACKUP_KEY is not set"):
        call_command("backup", str(tmp_path))


@pytest.mark.postgres
@pytest.mark.skipif(ON_SQLITE, reason="the advice is for PostgreSQL")
def test_on_postgresql_without_pg_dump_the_backup_says_so_and_still_saves_the_uploads(
    world, settings, tmp_path, monkeypatch
):
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "uploads"
    (tmp_path / "uploads").mkdir()
    (tmp_path / "uploads" / "material.pdf").write_bytes(b"%PDF-1.4 material")
    monkeypatch.setattr("huicai.ops.backup.shutil.which", lambda name: None)

    with pytest.raises(CommandError) as refused:
        call_command("backup", str(tmp_path))
    call_command("backup", str(tmp_path / "files.hcbk"), "--files-only", stdout=io.StringIO())

    assert str(refused.value) == POSTGRES_ADVICE
    assert "pg_dump" in POSTGRES_ADVICE
    assert (tmp_path / "files.hcbk").stat().st_size > 0


def sealed(data, cipher):
    """``data`` through the backup's encrypting writer, and the records it wrote (flag, length, body)."""
    raw = io.BytesIO()
    writer = EncryptedWriter(raw, cipher)
    writer.write(data)
    writer.close()
    content = raw.getvalue()
    head, position, records = content[: len(MAGIC) + 7], len(MAGIC) + 7, []
    while position < len(content):
        length = int.from_bytes(content[position + 1 : position + 5], "big")
        records.append(content[position : position + 5 + length])
        position += 5 + length
    return head, records


def opened(content, cipher):
    reader = DecryptedReader(io.BytesIO(content), cipher)
    data = reader.read()
    reader.read_to_end()
    return data


def test_the_encrypted_stream_round_trips_in_bounded_chunks():
    cipher = backup_cipher(settings.HUICAI_BACKUP_KEY)
    data = os.urandom(CHUNK * 2 + 123)

    head, records = sealed(data, cipher)

    assert opened(head + b"".join(records), cipher) == data
    assert len(records) == 3
    assert max(len(record) for record in records) <= CHUNK + 5 + 16


def test_a_stream_missing_its_last_chunk_or_with_chunks_swapped_is_refused():
    cipher = backup_cipher(settings.HUICAI_BACKUP_KEY)
    head, records = sealed(os.urandom(CHUNK * 2 + 123), cipher)

    with pytest.raises(BackupError, match="the backup is truncated"):
        opened(head + records[0] + records[1], cipher)
    with pytest.raises(BackupError, match="cannot be decrypted"):
        opened(head + records[1] + records[0] + records[2], cipher)
    with pytest.raises(BackupError, match="cannot be decrypted"):
        opened(head + b"".join(records), backup_cipher(base64.b64encode(b"k" * 32).decode()))
