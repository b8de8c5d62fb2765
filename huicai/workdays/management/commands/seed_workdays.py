from django.core.management.base import BaseCommand
from django.utils import timezone

from huicai.workdays.actions import seed_calendar
from huicai.workdays.sources import PACKAGE_LABEL, package_years


class Command(BaseCommand):
    help = (
        "载入 chinese-calendar 收录的各年官方工作日历，并为其后至明年的年份存入推算（暂定）日历。可重复执行。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--through-year",
            type=int,
            default=None,
            help="推算（暂定）日历存到哪一年为止（默认：明年）。",
        )

    def handle(self, *args, through_year, **options):
        now = timezone.now()
        through_year = through_year or timezone.localdate(now).year + 1
        result = seed_calendar(at=now, through_year=through_year)
        covered = package_years()
        self.stdout.write(
            f"{PACKAGE_LABEL} 收录 {covered.start}–{covered.stop - 1} 年；"
            f"本次录入官方年份 {len(result['official'])} 个，存入暂定年份 {len(result['provisional'])} 个。"
        )
