"""``manage.py bench_filing [--talents 20000] [--tasks 200000]``: how long a county's annual filing snapshot
takes to build (W14/S18 filings; target under 30 s on SQLite).

Inside a transaction that is rolled back, so the database is as before: a new county window under the city,
``--talents`` talents at home there (bulk_create), one application each and ``--tasks`` tasks spread over
them and over the year (bulk_create, half completed), then the county's annual filing for that year is
opened and its snapshot built by the same function the task worker runs, and its checksum computed.
"""

import datetime
import resource
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from huicai.accounts.models import User
from huicai.casework.choices import ApplicationStatus, Result, Route, TaskStatus
from huicai.casework.models import Application, Task
from huicai.core.identifiers import make_credit_code, make_mobile, make_resident_id
from huicai.filings import actions, periods, snapshots
from huicai.filings.choices import FilingKind
from huicai.filings.models import canonical_json, checksum_of
from huicai.org.choices import DivisionLevel, WindowLevel
from huicai.org.models import Department, Division, Employer, Window
from huicai.talents.models import Talent, TalentCategory

TARGET_SECONDS = 30
BATCH = 5000


class Rollback(Exception):
    pass


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Command(BaseCommand):
    help = "备案性能测试：一个县区 2 万名人才、20 万条任务，生成年度备案快照（事务回滚）。"

    def add_arguments(self, parser):
        parser.add_argument("--talents", type=int, default=20_000)
        parser.add_argument("--tasks", type=int, default=200_000)
        parser.add_argument("--year", type=int, default=None)

    def handle(self, *args, talents, tasks, year, **options):
        city = Window.objects.filter(parent__isnull=True).first()
        category = TalentCategory.objects.first() or TalentCategory.objects.create(
            code="B", name="国家级领军人才", rank=2
        )
        department = Department.objects.first()
        if city is None or category is None or department is None:
            raise CommandError("请先载入基础数据（make demo）。")
        at = timezone.now()
        year = year or timezone.localdate(at).year - 1
        try:
            with transaction.atomic():
                self.run(
                    talents, tasks, year=year, city=city, category=category, department=department, at=at
                )
                raise Rollback
        except Rollback:
            pass
        self.stdout.write(f"峰值内存 {peak_rss_mb():.0f} MB")

    def run(self, talent_count, task_count, *, year, city, category, department, at):
        started = time.perf_counter()
        division = Division.objects.create(
            code="379999", name="测试县", level=DivisionLevel.COUNTY, parent=city.division
        )
        county = Window.objects.create(
            name="测试县高层次人才服务窗口", level=WindowLevel.COUNTY, division=division, parent=city
        )
        employer = Employer.objects.create(
            name="测试县单位", credit_code=make_credit_code("379999", 999_002), window=county
        )
        by = User.objects.create_user(username="bench_filing", full_name="备案测试")
        birth = datetime.date(1970, 1, 1)
        Talent.objects.bulk_create(
            (
                Talent(
                    name=f"测试{n}",
                    id_number=make_resident_id(
                        "371302", birth + datetime.timedelta(days=n // 900), n % 900 + 100
                    ),
                    category=category,
                    employer=employer,
                    home_window=county,
                    mobile=make_mobile(80_000_000 + n),
                )
                for n in range(talent_count)
            ),
            batch_size=BATCH,
        )
        talent_ids = list(
            Talent.objects.filter(home_window=county).order_by("pk").values_list("pk", flat=True)
        )
        zone = timezone.get_current_timezone()
        first = datetime.datetime(year, 1, 1, 9, tzinfo=zone)
        Application.objects.bulk_create(
            (
                Application(
                    number=f"BENCH-{year}-{n:06d}",
                    talent_id=pk,
                    source="12345",
                    window=county,
                    route=Route.WINDOW,
                    status=ApplicationStatus.IN_PROGRESS,
                    created_by=by,
                    created_at=first + datetime.timedelta(minutes=n),
                    submitted_at=first + datetime.timedelta(minutes=n),
                )
                for n, pk in enumerate(talent_ids)
            ),
            batch_size=BATCH,
        )
        application_ids = list(
            Application.objects.filter(window=county).order_by("pk").values_list("pk", flat=True)
        )
        day = datetime.timedelta(days=1)

        def task(n):
            created = first + day * (n % 360)
            done = n % 2 == 0
            return Task(
                application_id=application_ids[n % len(application_ids)],
                number=f"BENCH-{year}-T{n:07d}",
                department=department,
                status=TaskStatus.COMPLETED if done else TaskStatus.PENDING,
                committed_days=5,
                created_at=created,
                completed_at=created + day * 3 if done else None,
                result=Result.HANDLED if done else "",
            )

        Task.objects.bulk_create((task(n) for n in range(task_count)), batch_size=BATCH)
        self.stdout.write(
            f"生成数据：{talent_count} 名人才、{task_count} 条任务，用时 {time.perf_counter() - started:.1f} 秒"
        )

        filing = actions.open_filing(
            kind=FilingKind.ANNUAL, period=periods.parse(str(year)), filer_window=county, at=at
        )
        started = time.perf_counter()
        snapshot = snapshots.build_snapshot(filing)
        checksum = checksum_of(snapshot)
        seconds = time.perf_counter() - started
        size = len(canonical_json(snapshot).encode("utf-8"))
        verdict = "达标" if seconds < TARGET_SECONDS else "未达标"
        self.stdout.write(
            f"年度备案快照：{snapshot['counts']['talents']} 名人才、分派任务 {snapshot['counts']['tasks_assigned']} 条、"
            f"办结 {snapshot['counts']['tasks_completed']} 条；用时 {seconds:.1f} 秒（目标 < {TARGET_SECONDS} 秒，{verdict}）；"
            f"快照 {size / 1e6:.1f} MB，SHA-256 {checksum[:16]}…"
        )
