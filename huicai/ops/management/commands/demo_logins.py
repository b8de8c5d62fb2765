from base64 import b32encode

from django.conf import settings
from django.core.management.base import BaseCommand

from huicai.accounts.demo import DEMO_STAFF_LOGINS, DEMO_TOTP_KEY, demo_totp_code
from huicai.demo import DEMO_LOGINS


class Command(BaseCommand):
    help = "列出演示账号、共用密码和工作人员账号的动态码密钥。"

    def handle(self, *args, **options):
        self.stdout.write(f"演示账号（共用密码：{settings.DEMO_PASSWORD}）")
        for username, description in DEMO_LOGINS.items():
            mark = " *" if username in DEMO_STAFF_LOGINS else ""
            self.stdout.write(f"  {username:<12} {description}{mark}")
        secret = b32encode(bytes.fromhex(DEMO_TOTP_KEY)).decode()
        self.stdout.write(
            f"* 工作人员账号登录时还需动态码：在身份验证器中添加密钥 {secret}（TOTP，30秒，6位）"
        )
        self.stdout.write(f"  当前动态码：{demo_totp_code()}")
