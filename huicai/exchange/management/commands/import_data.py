"""``manage.py import_data KIND FILE [--dry-run] [--skip-errors] --user LOGIN``: the same import as the page,
run in the foreground. The file becomes a batch in the import history like an upload; the dry run writes
nothing; without ``--dry-run`` the file is then confirmed by ``--user`` and written, whole or not at all
unless ``--skip-errors``."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from huicai.accounts.models import User
from huicai.exchange import actions
from huicai.exchange.choices import BatchStatus
from huicai.exchange.kinds import KINDS, ExchangeError, RowStatus


class Command(BaseCommand):
    help = "导入数据文件（.xlsx 或 .csv）：先预检，再按所选方式写入。"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("file")
        parser.add_argument("--user", required=True, help="导入人（窗口工作人员）的登录账号")
        parser.add_argument("--dry-run", action="store_true", help="只预检，不写入")
        parser.add_argument("--skip-errors", action="store_true", help="跳过错误行，只导入无误的行")

    def handle(self, *args, kind, file, user, dry_run, skip_errors, **options):
        person = User.objects.filter(username=user, is_active=True).first()
        if person is None:
            raise CommandError(f"没有账号 {user}")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件 {file}")
        with path.open("rb") as handle:
            try:
                batch = actions.create_batch(
                    kind=kind, uploaded=File(handle, name=path.name), by=person, at=timezone.now()
                )
            except ValidationError as exc:
                raise CommandError("；".join(exc.messages)) from exc
        batch = actions.plan_batch(batch.pk, at=timezone.now())
        self.report(batch)
        if batch.status != BatchStatus.PLANNED:
            raise CommandError(batch.message or "预检失败")
        if dry_run:
            self.stdout.write("预检完成，未写入任何数据（--dry-run）。")
            return
        try:
            actions.confirm_batch(batch, skip_errors=skip_errors, by=person, at=timezone.now())
        except ExchangeError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        batch = actions.write_batch(batch.pk, at=timezone.now())
        if batch.status != BatchStatus.DONE:
            self.report(batch)
            raise CommandError(batch.message or "导入失败")
        counts = batch.counts
        self.stdout.write(
            self.style.SUCCESS(
                f"已导入：新增 {counts.get('create', 0)}，更新 {counts.get('update', 0)}，"
                f"不变 {counts.get('unchanged', 0)}，跳过错误 {counts.get('error', 0)}（批次 {batch.pk}）。"
            )
        )

    def report(self, batch):
        report = batch.report or {}
        counts = batch.counts or {}
        self.stdout.write(
            f"新增 {counts.get('create', 0)}，更新 {counts.get('update', 0)}，不变 {counts.get('unchanged', 0)}，"
            f"错误 {counts.get('error', 0)}"
        )
        for message in report.get("file_errors", []):
            self.stdout.write(f"文件错误：{message}")
        if report.get("unknown_columns"):
            self.stdout.write(f"不认识的列（未导入）：{'、'.join(report['unknown_columns'])}")
        for row in report.get("rows", []):
            if row["status"] == RowStatus.ERROR:
                for column, reason in row["errors"]:
                    self.stdout.write(f"第{row['line']}行 【{column}】{reason}")
