import datetime
import logging
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from huicai.accounts.models import User
from huicai.archives import export, timeline
from huicai.archives.views import PAGE_SIZE
from huicai.directservices.models import DirectService
from huicai.talents.choices import TalentEventKind
from huicai.talents.models import TalentEvent


class Command(BaseCommand):
    help = (
        "测量人才服务档案的生成速度：在一个最终回滚的事务里为一名已有直接服务记录的人才补充若干条历史记录"
        "（默认 2000 条：直接服务和人才信息变更各半），再以系统管理员身份多轮生成档案第一页和完整 PDF，"
        "输出中位耗时和查询数。不会在数据库中留下任何数据。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=2000, help="补充的历史记录条数（默认 2000）")
        parser.add_argument(
            "--rounds", type=int, default=5, help="页面的生成轮数（默认 5；PDF 为其一半，至少 1）"
        )

    def handle(self, *args, count, rounds, **options):
        # fpdf2's font subsetting (fontTools) logs every glyph at INFO: not what a bench prints.
        logging.getLogger("fontTools").setLevel(logging.WARNING)
        if count < 2 or rounds < 1:
            raise CommandError("--count 须至少为 2，--rounds 须为正整数。")
        sample = DirectService.objects.select_related("talent__home_window").order_by("id").first()
        viewer = User.objects.filter(is_superuser=True).order_by("id").first()
        if sample is None or viewer is None:
            raise CommandError("请先载入演示数据（load_demo）：需要一条直接服务记录和一个系统管理员。")
        talent = sample.talent
        with transaction.atomic():
            self._generate(sample, count)
            total = len(timeline.entries(talent, viewer=viewer))
            self.stdout.write(f"人才档案共 {total} 条记录（其中补充 {count} 条）")
            page_times, queries = [], 0
            for _ in range(rounds):
                started = time.perf_counter()
                with _counting() as counted:
                    rows = timeline.entries(talent, viewer=viewer)
                    rows.reverse()
                    page = Paginator(rows, PAGE_SIZE).get_page(1)
                    render_to_string(
                        "archives/partials/entries.html",
                        {"page": page, "period": "全部", "form": None, "talent": talent, "export_query": ""},
                        request=RequestFactory().get("/"),
                    )
                page_times.append(time.perf_counter() - started)
                queries = counted()
            pdf_times, size = [], 0
            for _ in range(max(rounds // 2, 1)):
                started = time.perf_counter()
                rows = timeline.entries(talent, viewer=viewer)
                body = export.archive_pdf(
                    talent,
                    rows,
                    kinds=list(timeline.KINDS),
                    generated_at=timezone.now(),
                    period="全部",
                    viewer_name="bench",
                )
                pdf_times.append(time.perf_counter() - started)
                size = len(body)
            self.stdout.write(
                f"档案第一页（{connection.vendor}，{total} 条，每页 {PAGE_SIZE} 条，{rounds} 轮）："
                f"中位 {statistics.median(page_times) * 1000:.0f} 毫秒，{queries} 次查询"
            )
            self.stdout.write(
                f"完整 PDF（{total} 条，{len(pdf_times)} 轮）：中位 {statistics.median(pdf_times):.2f} 秒，"
                f"{size / 1024:.0f} KB"
            )
            # Nothing generated here may stay in the database.
            transaction.set_rollback(True)

    def _generate(self, sample, count):
        """Copies of one real direct service and plain record events, straight into the tables (the actions
        would check the card and the post thousands of times; what is measured is the reading)."""
        start = sample.served_at - datetime.timedelta(days=count)
        services = []
        for number in range(count // 2):
            services.append(
                DirectService(
                    talent=sample.talent,
                    card=sample.card,
                    service_item=sample.service_item,
                    item_version=sample.item_version,
                    department=sample.department,
                    post=sample.post,
                    served_by=sample.served_by,
                    window=sample.window,
                    served_at=start + datetime.timedelta(days=number),
                    place=sample.place,
                    outcome=sample.outcome,
                    outcome_reason=sample.outcome_reason,
                    note=f"基准测试记录 {number}",
                    created_at=start + datetime.timedelta(days=number),
                )
            )
        DirectService.objects.bulk_create(services, batch_size=1000)
        TalentEvent.objects.bulk_create(
            [
                TalentEvent(
                    talent=sample.talent,
                    kind=TalentEventKind.EMPLOYER_CHANGED,
                    at=start + datetime.timedelta(days=number, hours=3),
                    note=f"基准测试记录 {number}",
                )
                for number in range(count - count // 2)
            ],
            batch_size=1000,
        )


class _counting:
    """Counts the queries run inside the block (``counted()`` after it)."""

    def __enter__(self):
        from django.test.utils import CaptureQueriesContext

        self._context = CaptureQueriesContext(connection)
        self._context.__enter__()
        return lambda: len(self._context)

    def __exit__(self, *exc):
        return self._context.__exit__(*exc)
