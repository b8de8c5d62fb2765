"""manage.py backup and restore (issue 14.4): an encrypted copy that comes back whole, or not at all."""

import base64
import hashlib
import io
import os
import sqlite3
import subprocess
import sys
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
    table_digests,
)

ROOT = Path(__file__).resolve().parents[3]
ON_SQLITE = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
sqlite_only = pytest.mark.skipif(
    not ON_SQLITE, reason="manage.py backup copies SQLite; PostgreSQL uses pg_dump"
)


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


def live_database():
    return sqlite3.connect(connection.settings_dict["NAME"], uri=True)


def the_backup(tmp_path):
    (path,) = (tmp_path / "backups").iterdir()
    return path


def restore_elsewhere(backup, place, *extra):
    """``manage.py restore`` in another process, on another SQLite file and upload folder, same keys."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DEBUG": "0",
        "HUICAI_TESTING": "0",
        "SECRET_KEY": settings.SECRET_KEY,
        "HUICAI_DATA_KEY": settings.HUICAI_DATA_KEY,
        "HUICAI_LOOKUP_KEY": settings.HUICAI_LOOKUP_KEY,
        "HUICAI_BACKUP_KEY": settings.HUICAI_BACKUP_KEY,
        "HUICAI_VAR_DIR": str(place),
        "SQLITE_PATH": str(place / "huicai.sqlite3"),
        "MEDIA_ROOT": str(place / "uploads"),
        "HUICAI_AUDIT_ARCHIVE_DIR": str(place / "audit-archive"),
    }
    return subprocess.run(
        [sys.executable, "manage.py", "restore", str(backup), *extra],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_a_restore_drill_brings_back_every_table_and_every_upload_elsewhere(loaded, settings, tmp_path):
    call_command("backup", str(tmp_path / "backups"), stdout=open(os.devnull, "w"))
    source_tables = table_digests(live_database())
    source_files = file_digests(Path(settings.MEDIA_ROOT), settings.HUICAI_AUDIT_ARCHIVE_DIR)
    place = tmp_path / "elsewhere"

    result = restore_elsewhere(the_backup(tmp_path), place)

    assert result.returncode == 0, result.stdout + result.stderr
    restored = sqlite3.connect(place / "huicai.sqlite3")
    restored_tables = table_digests(restored)
    # The restore records itself in the restored audit log, after the history it brought back.
    last = restored.execute("SELECT kind, result FROM core_auditevent ORDER BY id DESC LIMIT 1").fetchone()
    assert last == (AuditEvent.Kind.CONFIG_CHANGE, "restored")
    restored.execute("DELETE FROM core_auditevent WHERE id = (SELECT MAX(id) FROM core_auditevent)")
    restored_tables["core_auditevent"] = table_digests(restored)["core_auditevent"]
    assert restored_tables == source_tables
    assert source_tables["casework_material"]["rows"] > 0
    assert file_digests(place / "uploads", place / "audit-archive") == source_files
    assert len(source_files) > 1


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_a_restore_refuses_an_instance_that_already_holds_data(loaded, tmp_path):
    call_command("backup", str(tmp_path / "backups"), stdout=open(os.devnull, "w"))
    place = tmp_path / "elsewhere"
    assert restore_elsewhere(the_backup(tmp_path), place).returncode == 0

    again = restore_elsewhere(the_backup(tmp_path), place)

    assert again.returncode != 0
    assert "this instance already holds data; restore only into an empty one (or --force)" in again.stderr
    assert restore_elsewhere(the_backup(tmp_path), place, "--force").returncode == 0


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_the_backup_file_reveals_no_personal_data_and_is_readable_only_by_its_owner(loaded, tmp_path):
    world = loaded.world

    call_command("backup", str(tmp_path / "backups"), stdout=open(os.devnull, "w"))

    content = the_backup(tmp_path).read_bytes()
    assert world.li_ming.name.encode() not in content
    assert b"CREATE TABLE" not in content
    assert b"%PDF" not in content
    assert the_backup(tmp_path).stat().st_mode & 0o077 == 0


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_a_damaged_or_cut_backup_is_refused_before_anything_is_written(loaded, tmp_path):
    call_command("backup", str(tmp_path / "backups"), stdout=open(os.devnull, "w"))
    content = the_backup(tmp_path).read_bytes()
    damaged = tmp_path / "damaged.hcbk"
    damaged.write_bytes(content[:5000] + bytes([content[5000] ^ 1]) + content[5001:])
    cut = tmp_path / "cut.hcbk"
    cut.write_bytes(content[: len(content) - 100])

    results = [restore_elsewhere(path, tmp_path / path.stem) for path in (damaged, cut)]

    assert "wrong HUICAI_BACKUP_KEY, or the file is damaged" in results[0].stderr
    assert "the backup is truncated" in results[1].stderr
    assert not (tmp_path / "damaged" / "huicai.sqlite3").exists()
    assert not (tmp_path / "cut" / "uploads").exists()


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_a_backup_made_under_other_data_keys_is_refused(loaded, settings, tmp_path):
    call_command("backup", str(tmp_path / "backups"), stdout=open(os.devnull, "w"))
    settings.HUICAI_DATA_KEY = "RERERERERERERERERERERERERERERERERERERERERERE="

    with pytest.raises(CommandError, match="encrypted with other HUICAI_DATA_KEY"):
        call_command("restore", str(the_backup(tmp_path)), "--force")


def test_a_backup_never_overwrites_another(world, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "uploads"
    existing = tmp_path / "monday.hcbk"
    existing.write_bytes(b"an earlier backup")

    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", str(existing), "--files-only")

    assert existing.read_bytes() == b"an earlier backup"


def test_the_backup_key_is_required(world, settings, tmp_path):
    settings.HUICAI_BACKUP_KEY = ""

    with pytest.raises(CommandError, match="HUICAI_BACKUP_KEY is not set"):
        call_command("backup", str(tmp_path))


@pytest.mark.postgres
@pytest.mark.skipif(ON_SQLITE, reason="the advice is for PostgreSQL")
def test_on_postgresql_the_backup_points_to_pg_dump_and_still_saves_the_uploads(world, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "uploads"
    (tmp_path / "uploads").mkdir()
    (tmp_path / "uploads" / "material.pdf").write_bytes(b"%PDF-1.4 material")

    with pytest.raises(CommandError) as refused:
        call_command("backup", str(tmp_path))
    call_command("backup", str(tmp_path / "files.hcbk"), "--files-only", stdout=open(os.devnull, "w"))

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
