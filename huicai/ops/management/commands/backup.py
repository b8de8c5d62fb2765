"""manage.py backup DESTINATION: one encrypted, verifiable backup of the database and the uploads."""

import getpass

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from huicai.core import audit
from huicai.core.models import AuditEvent
from huicai.ops.backup import BackupError, write_backup


class Command(BaseCommand):
    help = "把数据库（SQLite 在线备份；PostgreSQL 用 pg_dump）、上传文件和审计归档备份到一个加密文件（HUICAI_BACKUP_KEY）。"

    def add_arguments(self, parser):
        parser.add_argument("destination", help="a folder (a dated file is created in it) or a new file name")
        parser.add_argument(
            "--files-only",
            action="store_true",
            help="only the uploads and the audit archive (e.g. beside PostgreSQL's own base backups and WAL archive)",
        )

    def handle(self, *args, destination, files_only, **options):
        if not settings.HUICAI_BACKUP_KEY:
            raise CommandError("HUICAI_BACKUP_KEY is not set (see .env.example)")
        at = timezone.now()
        detail = f"manage.py backup by OS user {getpass.getuser()}" + (" (files only)" if files_only else "")
        # Recorded before the snapshot, so the backup itself carries who took it and when.
        audit.record(AuditEvent.Kind.EXPORT, at=at, result="backup", detail=detail)
        try:
            path, manifest = write_backup(
                destination, key=settings.HUICAI_BACKUP_KEY, at=at, database=not files_only
            )
        except BackupError as exc:
            audit.record(
                AuditEvent.Kind.EXPORT, at=timezone.now(), result="failed", detail=f"{detail}: {exc}"
            )
            raise CommandError(str(exc)) from exc
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(
            f"{path}: {len(manifest['tables'])} tables, {rows} rows, {len(manifest['files'])} files"
        )
