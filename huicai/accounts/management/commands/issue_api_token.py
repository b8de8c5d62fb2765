"""Issue an API token to a system account from the command line (the installer's or an operator's way; the
security administrator's is ``POST /api/v1/tokens/``). The same action, so the same rules and audit."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from huicai.accounts.actions import issue_token
from huicai.accounts.models import TokenScope


class Command(BaseCommand):
    help = "为系统账号签发接口令牌（只显示这一次）。"

    def add_arguments(self, parser):
        parser.add_argument("username", help="系统账号（无登录密码）的用户名")
        parser.add_argument("--scope", choices=TokenScope.values, default=TokenScope.HOTLINE)
        parser.add_argument("--days", type=int, default=30, help="有效天数（默认 30）")
        parser.add_argument("--name", default="", help="用途")
        parser.add_argument("--by", required=True, help="签发人：安全管理员或超级用户的用户名")

    def handle(self, *args, username, scope, days, name, by, **options):
        users = get_user_model().objects
        account = users.filter(username=username).first()
        issuer = users.filter(username=by).first()
        if account is None or issuer is None:
            raise CommandError("未找到该账号。")
        now = timezone.now()
        try:
            token, key = issue_token(
                account,
                name=name or f"{username} ({scope})",
                scope=scope,
                expires_at=now + datetime.timedelta(days=days),
                by=issuer,
                at=now,
            )
        except (ValidationError, PermissionDenied) as error:
            raise CommandError(" ".join(getattr(error, "messages", [str(error)]))) from error
        self.stdout.write(key)
        self.stderr.write(
            f"令牌 {token.prefix}… 范围 {scope}，到期 {timezone.localtime(token.expires_at):%Y-%m-%d %H:%M}"
        )
