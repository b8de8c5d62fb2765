"""``manage.py bench_import [--rows 20000]``: how fast a city's talents file goes in (issue 11: 20,000 rows
within 60 s on SQLite, memory bounded).

Generates a talents .xlsx of ``--rows`` new talents, then runs the import's own path on it (the streaming
reader, the dry run, the confirmed write through ``register_talent``), inside a transaction that is rolled
back, so the database is as before. Reports rows per second for each phase and the process's peak memory.
"""

import datetime
import resource
import tempfile
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from huicai.accounts.models import User
from huicai.commissioners.actions import appoint_commissioner
from huicai.commissioners.choices import PostKind
from huicai.core.identifiers import make_credit_code, make_mobile, make_resident_id
from huicai.exchange import files
from huicai.exchange.actions import write_plan
from huicai.exchange.kinds import KINDS, plan_import
from huicai.org.models import Employer, Window
from huicai.talents.models import TalentCategory

TARGET_SECONDS = 60


class Rollback(Exception):
    pass


def peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Command(BaseCommand):
    help = "导入性能测试：生成人才文件并按真实流程预检、写入（事务回滚）。"

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=20_000)

    def handle(self, *args, rows, **options):
        window = Window.objects.filter(parent__isnull=True).first()
        category = TalentCategory.objects.filter(is_active=True).first()
        if window is None or category is None:
            raise CommandError("请先载入基础数据（make demo）。")
        at = timezone.now()
        start_rss = peak_rss_mb()
        try:
            with transaction.atomic():
                self.run(rows, window=window, category=category, at=at)
                raise Rollback
        except Rollback:
            pass
        self.stdout.write(f"峰值内存 {peak_rss_mb():.0f} MB（开始时 {start_rss:.0f} MB）")

    def run(self, rows, *, window, category, at):
        by = User.objects.create_user(username="bench_import_window", full_name="导入测试")
        appoint_commissioner(user=by, kind=PostKind.WINDOW, organisation=window, by=by, at=at)
        employer = Employer.objects.create(
            name="导入测试单位", credit_code=make_credit_code(window.division.code, 999_001), window=window
        )
        unit = User.objects.create_user(username="bench_import_unit", full_name="导入测试专员")
        appoint_commissioner(user=unit, kind=PostKind.UNIT, organisation=employer, by=by, at=at)

        def generated():
            birth = datetime.date(1970, 1, 1)
            for n in range(rows):
                yield {
                    "姓名": f"测试{n}",
                    "公民身份号码": make_resident_id(
                        "371302", birth + datetime.timedelta(days=n // 900), n % 900 + 100
                    ),
                    "手机号码": make_mobile(90_000_000 + n),
                    "人才类别": category.code,
                    "用人单位统一社会信用代码": employer.credit_code,
                    "属地窗口": window.name,
                    "单位专员账号": unit.username,
                }

        with tempfile.TemporaryFile() as handle:
            handle.write(files.write_xlsx(KINDS["talents"], generated(), instructions=False))
            size = handle.tell()
            handle.seek(0)
            started = time.perf_counter()
            plan = plan_import("talents", files.read_rows(handle, "xlsx"), user=by, at=at)
            planned = time.perf_counter()
        if plan.has_errors:
            first = next(r for r in plan.rows if r.errors)
            raise CommandError(f"生成的数据有错误：第{first.line}行 {first.errors}")
        write_plan(plan, user=by, at=at)
        written = time.perf_counter()
        total = written - started
        self.stdout.write(f"文件 {size / 1024 / 1024:.1f} MB，{rows} 行")
        self.stdout.write(f"预检 {planned - started:.1f} s（{rows / (planned - started):.0f} 行/秒）")
        self.stdout.write(f"写入 {written - planned:.1f} s（{rows / (written - planned):.0f} 行/秒）")
        verdict = "达标" if total <= TARGET_SECONDS else "超出"
        self.stdout.write(
            f"合计 {total:.1f} s（{rows / total:.0f} 行/秒），目标 {TARGET_SECONDS} s 内：{verdict}"
        )
