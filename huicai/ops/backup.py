"""Encrypted, verifiable backups of the embedded SQLite database and the uploads (issue 14.4, SECURITY.md).

A backup is one file: a tar stream (the database copy, every upload, and a manifest last) encrypted in 1 MiB
chunks with AES-256-GCM under HUICAI_BACKUP_KEY, a key kept apart from the data keys. Each chunk's nonce
carries its index and whether it is the last, so a chunk changed, dropped, reordered or cut off at the end
fails to decrypt (the STREAM construction). Memory stays bounded whatever the size of the instance.

The database copy comes from SQLite's online backup API in one step, so it is one consistent snapshot even
while the site is writing (WAL). The manifest lists row counts and a checksum of every table and the size
and sha256 of every file; restore verifies all of it before touching the target, and refuses an instance
that already holds data.

On PostgreSQL the database part is `pg_dump --format=custom` of a snapshot exported by a REPEATABLE READ
transaction that also reads the tables' digests, so dump and manifest describe the same instant; restore
is `pg_restore` in one transaction, then the restored tables are checked against the manifest. Without
pg_dump on PATH the command says so. Point-in-time recovery (WAL archiving) stays PostgreSQL's own
(README, "Backup and restore").
"""

import base64
import binascii
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import connection, connections

MAGIC = b"HUICAI-BACKUP-1\n"
CHUNK = 1024 * 1024
DATABASE_MEMBERS = {"sqlite": "database/huicai.sqlite3", "postgresql": "database/huicai.pgdump"}
MANIFEST_MEMBER = "manifest.json"
POSTGRES_ADVICE = (
    "manage.py backup copies the embedded SQLite database, and a PostgreSQL one only through pg_dump, which is "
    "not on PATH: install the PostgreSQL client of the server's major version, or back the database up with "
    "pg_dump and continuous WAL archiving (README, 'Backup and restore') and the uploads with "
    "`manage.py backup --files-only`."
)


class BackupError(Exception):
    """A backup that cannot be written or restored; the message says why, for the operator."""


def backup_cipher(key: str) -> AESGCM:
    try:
        raw = base64.b64decode(key, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise BackupError("HUICAI_BACKUP_KEY is not base64") from exc
    if len(raw) != 32:
        raise BackupError("HUICAI_BACKUP_KEY must be 32 bytes (base64 of 32 random bytes)")
    return AESGCM(raw)


def key_id(key: str) -> str:
    """A short fingerprint of a data key, so a restore can tell it runs with other keys than the backup.

    A hash of 256 random bits reveals nothing about them; only its first 16 hex digits are kept anyway.
    """
    return hashlib.sha256(b"huicai-key-id:" + key.encode()).hexdigest()[:16]


def _nonce(prefix: bytes, index: int, *, final: bool) -> bytes:
    return prefix + index.to_bytes(4, "big") + (b"\x01" if final else b"\x00")


class EncryptedWriter:
    """A write-only file object that seals what it is given in chunks; ``close`` seals the last one."""

    def __init__(self, raw, cipher: AESGCM):
        self.raw = raw
        self.cipher = cipher
        self.prefix = os.urandom(7)
        self.index = 0
        self.buffer = bytearray()
        raw.write(MAGIC + self.prefix)

    def write(self, data) -> int:
        self.buffer += data
        while len(self.buffer) > CHUNK:
            self._seal(bytes(self.buffer[:CHUNK]), final=False)
            del self.buffer[:CHUNK]
        return len(data)

    def close(self):
        self._seal(bytes(self.buffer), final=True)
        self.buffer.clear()

    def _seal(self, plain: bytes, *, final: bool):
        sealed = self.cipher.encrypt(_nonce(self.prefix, self.index, final=final), plain, MAGIC)
        self.raw.write((b"\x01" if final else b"\x00") + len(sealed).to_bytes(4, "big") + sealed)
        self.index += 1


class DecryptedReader:
    """A read-only file object over an encrypted backup; any tampering or truncation is a BackupError."""

    def __init__(self, raw, cipher: AESGCM):
        self.raw = raw
        self.cipher = cipher
        if raw.read(len(MAGIC)) != MAGIC:
            raise BackupError("this file is not a Huicai backup")
        self.prefix = raw.read(7)
        self.index = 0
        self.buffer = bytearray()
        self.finished = False

    def read(self, size=-1) -> bytes:
        while not self.finished and (size < 0 or len(self.buffer) < size):
            self._open_next()
        if size < 0:
            size = len(self.buffer)
        data = bytes(self.buffer[:size])
        del self.buffer[:size]
        return data

    def read_to_end(self):
        """Reads what is left, so a backup cut off after the tar's end marker is still caught."""
        while not self.finished:
            self._open_next()
        if self.raw.read(1):
            raise BackupError("the backup has data after its last chunk")

    def _open_next(self):
        header = self.raw.read(5)
        if len(header) < 5:
            raise BackupError("the backup is truncated")
        final = header[0] == 1
        length = int.from_bytes(header[1:], "big")
        sealed = self.raw.read(length)
        if len(sealed) < length:
            raise BackupError("the backup is truncated")
        try:
            plain = self.cipher.decrypt(_nonce(self.prefix, self.index, final=final), sealed, MAGIC)
        except InvalidTag as exc:
            raise BackupError(
                "the backup cannot be decrypted: wrong HUICAI_BACKUP_KEY, or the file is damaged"
            ) from exc
        self.buffer += plain
        self.index += 1
        self.finished = final


def table_digests(db: sqlite3.Connection, *, where: dict | None = None) -> dict:
    """Row count and sha256 of every table's rows in a fixed order: two copies agree only if equal.

    ``where`` limits a table to some rows ({table: SQL condition}), for a drill that leaves out a row the
    restore itself added.
    """
    where = where or {}
    digests = {}
    names = [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    for name in names:
        width = len(db.execute(f'SELECT * FROM "{name}" LIMIT 0').description)
        order = ", ".join(str(position) for position in range(1, width + 1))
        digest = hashlib.sha256()
        rows = 0
        condition = f"WHERE {where[name]}" if name in where else ""
        for row in db.execute(f'SELECT * FROM "{name}" {condition} ORDER BY {order}'):
            values = [value.hex() if isinstance(value, bytes) else value for value in row]
            digest.update(json.dumps(values, ensure_ascii=False).encode() + b"\n")
            rows += 1
        digests[name] = {"rows": rows, "sha256": digest.hexdigest()}
    return digests


def postgres_table_digests(db, *, where: dict | None = None) -> dict:
    """The same for a PostgreSQL connection (psycopg), each row as PostgreSQL's text form of the record.

    Rows are streamed through a server-side cursor, so a large table does not fill memory.
    """
    import psycopg

    where = where or {}
    # A server-side cursor lives in a transaction; one snapshot for all tables when none is open yet.
    opened = db.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
    if opened:
        db.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
    with db.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
        )
        names = [row[0] for row in cursor.fetchall()]
    digests = {}
    for name in names:
        condition = f"WHERE {where[name]}" if name in where else ""
        digest = hashlib.sha256()
        rows = 0
        with db.cursor(name="huicai_table_digest") as cursor:
            cursor.itersize = 2000
            cursor.execute(f'SELECT x::text FROM "{name}" AS x {condition} ORDER BY x::text COLLATE "C"')
            for (text,) in cursor:
                digest.update(text.encode() + b"\n")
                rows += 1
        digests[name] = {"rows": rows, "sha256": digest.hexdigest()}
    if opened:
        db.execute("ROLLBACK")
    return digests


def _postgres_environment() -> tuple[dict, str]:
    """pg_dump's and pg_restore's environment (the password never in argv) and the database name."""
    params = connection.settings_dict
    environment = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if params.get(key):
            environment[variable] = str(params[key])
    return environment, params["NAME"]


def _new_postgres_connection():
    raw = connection.get_new_connection(connection.get_connection_params())
    raw.autocommit = True
    return raw


def _dump_postgres(target: Path) -> dict:
    """pg_dump of one exported snapshot, and the digests of every table read in that same snapshot."""
    environment, name = _postgres_environment()
    raw = _new_postgres_connection()
    try:
        raw.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        snapshot = raw.execute("SELECT pg_export_snapshot()").fetchone()[0]
        result = subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
             f"--file={target}", "--dbname", name],
            env=environment, capture_output=True, text=True,
        )  # fmt: skip
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()[-500:]}")
        digests = postgres_table_digests(raw)
        raw.execute("ROLLBACK")
    finally:
        raw.close()
    return digests


def _restore_postgres(dump: Path, tables: dict):
    """pg_restore in one transaction, then the restored tables checked against the manifest."""
    environment, name = _postgres_environment()
    connections.close_all()
    result = subprocess.run(
        ["pg_restore", "--no-owner", "--no-privileges", "--clean", "--if-exists", "--single-transaction",
         "--exit-on-error", "--dbname", name, str(dump)],
        env=environment, capture_output=True, text=True,
    )  # fmt: skip
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()[-500:]}")
    raw = _new_postgres_connection()
    try:
        if postgres_table_digests(raw) != tables:
            raise BackupError("the restored database's tables differ from the manifest")
    finally:
        raw.close()


def file_roots() -> dict[str, Path]:
    """The folders outside the database that a restore needs: uploads, and the archived audit rows."""
    return {"uploads": Path(settings.MEDIA_ROOT), "audit-archive": Path(settings.HUICAI_AUDIT_ARCHIVE_DIR)}


def _files_under(root: Path):
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path


def _connect_sqlite(name: str) -> sqlite3.Connection:
    # The test database lives in memory under a file: URI shared with Django's connection.
    return sqlite3.connect(name, uri=str(name).startswith("file:"))


class _HashingReader:
    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size=-1):
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _add_file(tar, path: Path, arcname: str) -> dict:
    info = tarfile.TarInfo(arcname)
    info.size = path.stat().st_size
    info.mode = 0o600
    with path.open("rb") as handle:
        reader = _HashingReader(handle)
        tar.addfile(info, reader)
    return {"size": info.size, "sha256": reader.digest.hexdigest()}


def write_backup(destination: Path, *, key: str, at, database: bool = True) -> tuple[Path, dict]:
    """Write one encrypted backup; returns its path and manifest. ``destination`` may be a folder."""
    cipher = backup_cipher(key)
    if database and connection.vendor not in DATABASE_MEMBERS:
        raise BackupError(f"no backup for a {connection.vendor} database")
    if database and connection.vendor == "postgresql" and shutil.which("pg_dump") is None:
        raise BackupError(POSTGRES_ADVICE)
    destination = Path(destination)
    if destination.is_dir():
        destination = destination / f"huicai-{at.strftime('%Y%m%dT%H%M%SZ')}.hcbk"
    if destination.exists():
        raise BackupError(f"{destination} exists already; a backup never overwrites another")
    destination.parent.mkdir(parents=True, exist_ok=True)
    manifest = {
        "format": 1,
        "created_at": at.isoformat(),
        "data_key_id": key_id(settings.HUICAI_DATA_KEY),
        "lookup_key_id": key_id(settings.HUICAI_LOOKUP_KEY),
        "database": None,
        "tables": {},
        "files": {},
    }
    partial = destination.with_name(destination.name + ".partial")
    Path(settings.VAR_DIR).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=settings.VAR_DIR, prefix=".backup-") as staging:
        try:
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as raw:
                writer = EncryptedWriter(raw, cipher)
                with tarfile.open(fileobj=writer, mode="w|", format=tarfile.PAX_FORMAT) as tar:
                    if database and connection.vendor == "postgresql":
                        dump = Path(staging) / "snapshot.pgdump"
                        manifest["tables"] = _dump_postgres(dump)
                        manifest["database"] = {
                            "engine": "postgresql",
                            **_add_file(tar, dump, DATABASE_MEMBERS["postgresql"]),
                        }
                    elif database:
                        copy = Path(staging) / "snapshot.sqlite3"
                        snapshot = sqlite3.connect(copy)
                        source = _connect_sqlite(connection.settings_dict["NAME"])
                        try:
                            source.backup(snapshot)  # one step: one consistent snapshot (pages=-1)
                            manifest["tables"] = table_digests(snapshot)
                        finally:
                            source.close()
                            snapshot.close()
                        manifest["database"] = {
                            "engine": "sqlite",
                            **_add_file(tar, copy, DATABASE_MEMBERS["sqlite"]),
                        }
                    for root_name, root in file_roots().items():
                        for path in _files_under(root):
                            relative = path.relative_to(root).as_posix()
                            manifest["files"][f"{root_name}/{relative}"] = _add_file(
                                tar, path, f"files/{root_name}/{relative}"
                            )
                    body = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                    _add_bytes(tar, MANIFEST_MEMBER, body)
                writer.close()
                raw.flush()
                os.fsync(raw.fileno())
            os.replace(partial, destination)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return destination, manifest


def _add_bytes(tar, name: str, body: bytes):
    info = tarfile.TarInfo(name)
    info.size = len(body)
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(body))


def _safe_member(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and bool(path.parts)


def _unpack(source: Path, cipher: AESGCM, staging: Path) -> dict:
    """Decrypt and unpack into ``staging``, hashing each file on the way; returns name → (size, sha256)."""
    seen = {}
    with open(source, "rb") as raw:
        reader = DecryptedReader(raw, cipher)
        with tarfile.open(fileobj=reader, mode="r|") as tar:
            for member in tar:
                if not member.isfile() or not _safe_member(member.name):
                    raise BackupError(f"unexpected entry in the backup: {member.name!r}")
                target = staging / member.name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                with tar.extractfile(member) as handle, open(target, "wb") as out:
                    while chunk := handle.read(CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                seen[member.name] = {"size": member.size, "sha256": digest.hexdigest()}
        reader.read_to_end()
    return seen


def instance_is_empty() -> bool:
    """Nobody has an account yet and no file is stored: restoring loses nothing."""
    if any(True for root in file_roots().values() for _ in _files_under(root)):
        return False
    if connection.vendor == "sqlite":
        name = connection.settings_dict["NAME"]
        if not str(name).startswith("file:") and not Path(name).exists():
            return True
    tables = connection.introspection.table_names()
    if "accounts_user" not in tables:
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM accounts_user")
        return cursor.fetchone()[0] == 0


def restore_backup(source: Path, *, key: str, force: bool = False) -> dict:
    """Verify a backup entirely, then bring it into this (empty) instance; returns its manifest."""
    cipher = backup_cipher(key)
    if not force and not instance_is_empty():
        raise BackupError("this instance already holds data; restore only into an empty one (or --force)")
    Path(settings.VAR_DIR).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=settings.VAR_DIR, prefix=".restore-") as tmp:
        staging = Path(tmp)
        seen = _unpack(Path(source), cipher, staging)
        if MANIFEST_MEMBER not in seen:
            raise BackupError("the backup has no manifest")
        manifest = json.loads((staging / MANIFEST_MEMBER).read_text(encoding="utf-8"))
        _verify(manifest, seen, staging)
        engine = manifest["database"] and manifest["database"]["engine"]
        if engine == "postgresql":
            _restore_postgres(staging / DATABASE_MEMBERS["postgresql"], manifest["tables"])
        elif engine == "sqlite":
            name = connection.settings_dict["NAME"]
            connections.close_all()
            if not str(name).startswith("file:"):
                Path(name).parent.mkdir(parents=True, exist_ok=True)
            copy = sqlite3.connect(staging / DATABASE_MEMBERS["sqlite"])
            target = _connect_sqlite(name)
            try:
                copy.backup(target)
            finally:
                copy.close()
                target.close()
        roots = file_roots()
        for name in manifest["files"]:
            root_name, relative = name.split("/", 1)
            destination = roots[root_name] / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(staging / "files" / name, destination)
    return manifest


def _verify(manifest: dict, seen: dict, staging: Path):
    if manifest.get("format") != 1:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    if manifest["data_key_id"] != key_id(settings.HUICAI_DATA_KEY) or manifest["lookup_key_id"] != key_id(
        settings.HUICAI_LOOKUP_KEY
    ):
        raise BackupError(
            "this backup's personal data was encrypted with other HUICAI_DATA_KEY / HUICAI_LOOKUP_KEY values; "
            "start the restore with the keys of the instance that made it"
        )
    roots = file_roots()
    if any(name.split("/", 1)[0] not in roots for name in manifest["files"]):
        raise BackupError("the backup holds files of an unknown folder")
    expected = {f"files/{name}": entry for name, entry in manifest["files"].items()}
    engine = manifest["database"] and manifest["database"]["engine"]
    if engine:
        if engine != connection.vendor:
            raise BackupError(
                f"this backup holds a {engine} database and this instance runs on {connection.vendor}; "
                "restore it into an instance of the same kind"
            )
        expected[DATABASE_MEMBERS[engine]] = manifest["database"]
    found = {name: entry for name, entry in seen.items() if name != MANIFEST_MEMBER}
    if set(found) != set(expected):
        raise BackupError("the backup's files differ from its manifest")
    for name, entry in expected.items():
        if found[name] != {"size": entry["size"], "sha256": entry["sha256"]}:
            raise BackupError(f"{name}: checksum differs from the manifest")
    if engine == "sqlite":
        copy = sqlite3.connect(staging / DATABASE_MEMBERS["sqlite"])
        try:
            if table_digests(copy) != manifest["tables"]:
                raise BackupError("the database copy's tables differ from the manifest")
        finally:
            copy.close()
