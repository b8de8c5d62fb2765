from django.conf import settings
from django.core.management.base import BaseCommand

from huicai.demo import DEMO_LOGINS


class Command(BaseCommand):
    help = "列出演示账号和共用密码。"

    def handle(self, *args, **options):
        self.stdout.write(f"演示账号（共用密码：{settings.DEMO_PASSWORD}）")
        for username, description in DEMO_LOGINS.items():
            self.stdout.write(f"  {username:<12} {description}")
