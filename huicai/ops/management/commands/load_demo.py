from django.core.management.base import BaseCommand
from django.utils import timezone

from huicai import demo


class Command(BaseCommand):
    help = "载入演示数据（可重复执行，不会重复创建）。"

    def handle(self, *args, **options):
        logins = demo.load_demo(at=timezone.now())
        self.stdout.write(self.style.SUCCESS(f"演示数据已就绪：{len(logins)} 个演示账号。"))
