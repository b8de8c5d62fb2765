from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from huicai import demo


class Command(BaseCommand):
    help = "载入演示数据（可重复执行，不会重复创建）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-demo-accounts",
            action="store_true",
            help="在 DEBUG 关闭时仍然载入（演示账号共用公开的密码和动态码密钥，切勿用于生产）。",
        )

    def handle(self, *args, allow_demo_accounts=False, **options):
        # Demo logins share a published password and TOTP key: with DEBUG off (production values) they
        # would be open doors, so they are created only when asked for explicitly (issue 14.1).
        if not settings.DEBUG and not allow_demo_accounts:
            raise CommandError(
                "DEBUG 已关闭：演示账号使用公开的密码，不能在生产环境中创建。"
                "如确为演示环境，请加 --allow-demo-accounts。"
            )
        logins = demo.load_demo(at=timezone.now())
        self.stdout.write(self.style.SUCCESS(f"演示数据已就绪：{len(logins)} 个演示账号。"))
