from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from huicai.workdays.actions import enter_official_year
from huicai.workdays.forms import decode_calendar_file, parse_calendar_file


class Command(BaseCommand):
    help = "从 CSV 文件（日期,类型,名称；类型为 休/班）录入某年的官方工作日历。有任何错误则一条也不录入。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV 文件路径")
        parser.add_argument("--year", type=int, required=True, help="年份，例如 2027")
        parser.add_argument("--source", required=True, help="依据，例如“国办发明电〔2026〕×号”")
        parser.add_argument("--by", default=None, help="记为操作人的用户名（可省）")

    def handle(self, *args, file, year, source, by, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        user = None
        if by:
            user = get_user_model().objects.filter(username=by).first()
            if user is None:
                raise CommandError(f"找不到用户：{by}")
        try:
            days = parse_calendar_file(decode_calendar_file(path.read_bytes()))
            calendar_year = enter_official_year(
                year=year, days=days, source=source, by=user, at=timezone.now()
            )
        except ValidationError as error:
            raise CommandError("未录入任何日期：\n" + "\n".join(error.messages)) from error
        self.stdout.write(f"已录入 {year} 年官方工作日历（{calendar_year.days.count()} 个节假日与调休日）。")
