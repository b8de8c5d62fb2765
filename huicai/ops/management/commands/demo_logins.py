import re
from base64 import b32encode

from django.conf import settings
from django.core.management.base import BaseCommand

from huicai.accounts.demo import DEMO_TOTP_KEY, demo_totp_code, is_demo_staff_login
from huicai.commissioners.models import Post
from huicai.demo import DEMO_LOGINS, DEMO_SYSTEM_ACCOUNTS

KIND_ORDER = {"window": 0, "department": 1, "undertaking": 2, "unit": 3}


def every_login():
    """Every demo login with who it is: the named ones first, then one per window, department, institution
    and employer (from the posts in the database), in that order."""
    rows = list(DEMO_LOGINS.items())
    named = set(DEMO_LOGINS)
    posts = (
        Post.objects.filter(active_to__isnull=True)
        .exclude(user__username__in=named)
        .select_related("user", "window", "department", "undertaking_org", "employer")
    )
    for post in sorted(posts, key=lambda p: (KIND_ORDER.get(p.kind, 9), _natural(p.user.username))):
        organisation = post.window or post.department or post.undertaking_org or post.employer
        rows.append((post.user.username, f"{organisation} · {post.get_kind_display()}"))
    return rows


def _natural(username):
    """dept_2 before dept_10."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", username)]


class Command(BaseCommand):
    help = "列出演示账号、共用密码和工作人员账号的动态码密钥（--markdown：全部账号的 Markdown 表格）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--markdown",
            action="store_true",
            help="全部演示账号（每个窗口、部门、承办机构、用人单位）的 Markdown 表格",
        )

    def handle(self, *args, **options):
        if options["markdown"]:
            self.stdout.write("| login | who | second factor |")
            self.stdout.write("|---|---|---|")
            for username, description in every_login():
                factor = "demo key" if is_demo_staff_login(username) else ""
                self.stdout.write(f"| `{username}` | {description} | {factor} |")
            for username, description in DEMO_SYSTEM_ACCOUNTS.items():
                self.stdout.write(f"| `{username}` | {description} | no password: API token only |")
            return
        self.stdout.write(f"演示账号（共用密码：{settings.DEMO_PASSWORD}）")
        for username, description in DEMO_LOGINS.items():
            mark = " *" if is_demo_staff_login(username) else ""
            self.stdout.write(f"  {username:<12} {description}{mark}")
        self.stdout.write("  另有每个窗口、部门、承办机构、用人单位的账号：manage.py demo_logins --markdown")
        secret = b32encode(bytes.fromhex(DEMO_TOTP_KEY)).decode()
        self.stdout.write(
            f"* 工作人员账号登录时还需动态码：在身份验证器中添加密钥 {secret}（TOTP，30秒，6位）"
        )
        self.stdout.write(f"  当前动态码：{demo_totp_code()}")
