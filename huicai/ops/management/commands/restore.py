"""manage.py restore BACKUP: bring a backup into an empty instance, after verifying all of it."""

import getpass

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from huicai.core import audit
from huicai.core.models import AuditEvent
from huicai.ops.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "把 manage.py backup 写的加密备份恢复到一个空实例（先校验清单中每张表和每个文件）。"

    def add_arguments(self, parser):
        parser.add_argument("backup", help="the .hcbk file written by manage.py backup")
        parser.add_argument(
            "--force",
            action="store_true",
            help="restore into an instance that holds data: its database and listed files are replaced",
        )

    def handle(self, *args, backup, force, **options):
        if not settings.HUICAI_BACKUP_KEY:
            raise CommandError("HUICAI_BACKUP_KEY is not set (see .env.example)")
        try:
            manifest = restore_backup(backup, key=settings.HUICAI_BACKUP_KEY, force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        # Written into the restored database, after its own history.
        audit.record(
            AuditEvent.Kind.CONFIG_CHANGE,
            at=timezone.now(),
            result="restored",
            detail=f"manage.py restore of the backup of {manifest['created_at']} by OS user {getpass.getuser()}"
            + (" (forced)" if force else ""),
        )
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(
            f"restored {len(manifest['tables'])} tables, {rows} rows, {len(manifest['files'])} files "
            f"from the backup of {manifest['created_at']}"
        )
