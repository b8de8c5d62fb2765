"""``manage.py screenshots``: regenerate the screenshots of every workbench into docs/screenshots/.

It builds a throwaway SQLite database in a temporary directory (migrate, then the demo data), serves it
with ``runserver`` on 127.0.0.1, signs in as each demo login through the login form in Debian's chromium
(through Playwright, as the browser tests do) and saves one PNG per workbench: desktop size for staff,
phone (375×812) and desktop for the talent. Nothing touches the project's own database or uploads.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from huicai.accounts.demo import demo_totp_code
from huicai.workbench import browser

# (file name, demo login, path or "first:<link selector>" steps, viewport, full page)
SHOTS = [
    ("talent-phone", "talent", ["/workbench/talent/"], browser.PHONE, True),
    ("talent-desktop", "talent", ["/workbench/talent/"], browser.DESKTOP, True),
    ("unit", "unit", ["/workbench/unit/"], browser.DESKTOP, True),
    ("unit-wizard-talent", "unit", ["/workbench/apply/"], browser.DESKTOP, False),
    (
        "unit-wizard-items",
        "unit",
        ["/workbench/apply/", "click:a[aria-label='为李明申办']"],
        browser.DESKTOP,
        False,
    ),
    (
        "unit-wizard-review",
        "unit",
        ["/workbench/unit/", "click:#sec-unit_drafts a:has-text('继续填写')", "review"],
        browser.DESKTOP,
        True,
    ),
    ("window", "window", ["/workbench/window/"], browser.DESKTOP, True),
    ("department-queue", "dept", ["/workbench/queue/"], browser.DESKTOP, True),
    ("department-queue-phone", "dept", ["/workbench/queue/"], browser.PHONE, False),
    ("undertaking-queue", "undertaking", ["/workbench/queue/"], browser.DESKTOP, True),
    ("dashboard", "city", ["/workbench/dashboard/", "charts"], browser.DESKTOP, True),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url, *, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback only
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise CommandError(f"服务器未在 {seconds} 秒内启动：{url}")


class Command(BaseCommand):
    help = "用演示数据生成各工作台截图（docs/screenshots/*.png），使用临时 SQLite 数据库与本机 chromium。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default=str(Path(settings.BASE_DIR) / "docs" / "screenshots"),
            help="截图保存目录（默认 docs/screenshots/）。",
        )
        parser.add_argument("--only", nargs="*", default=[], help="只生成这些截图（文件名，不含 .png）。")

    def handle(self, *args, output, only, **options):
        missing = browser.chromium_missing()
        if missing:
            raise CommandError(f"无法启动浏览器：{missing}")
        from playwright.sync_api import sync_playwright

        out = Path(output)
        out.mkdir(parents=True, exist_ok=True)
        shots = [shot for shot in SHOTS if not only or shot[0] in only]
        with tempfile.TemporaryDirectory(prefix="huicai-screenshots-") as tmp:
            env = {
                **os.environ,
                "DEBUG": "1",
                "SQLITE_PATH": str(Path(tmp) / "demo.sqlite3"),
                "MEDIA_ROOT": str(Path(tmp) / "uploads"),
                "HUICAI_DEMO_PASSWORD": settings.DEMO_PASSWORD,
                "LOG_LEVEL": "WARNING",
            }
            env.pop("DATABASE_URL", None)
            manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
            self.stdout.write("建立临时数据库并载入演示数据……")
            for step in (
                ["migrate", "--noinput", "--verbosity", "0"],
                ["load_demo"],
                [
                    "shell",
                    "-c",
                    "from django.utils import timezone; from huicai.workbench import demo; "
                    "demo.load_demo(at=timezone.now())",
                ],
            ):
                subprocess.run(
                    [*manage, *step], env=env, check=True, cwd=settings.BASE_DIR, stdout=subprocess.DEVNULL
                )
            port = free_port()
            base_url = f"http://127.0.0.1:{port}"
            server = subprocess.Popen(
                [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
                env=env,
                cwd=settings.BASE_DIR,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                wait_for(f"{base_url}/healthz")
                with sync_playwright() as playwright:
                    chromium = browser.launch(playwright)
                    try:
                        for name, username, steps, viewport, full_page in shots:
                            self._shoot(
                                chromium, base_url, out / f"{name}.png", username, steps, viewport, full_page
                            )
                    finally:
                        chromium.close()
            finally:
                server.terminate()
                server.wait(timeout=20)
        self.stdout.write(self.style.SUCCESS(f"已生成 {len(shots)} 张截图：{out}"))

    def _shoot(self, chromium, base_url, path, username, steps, viewport, full_page):
        # One sign-in per login, its session reused: a second sign-in within the same 30 s would offer the
        # same one-time code again, which the second factor rightly refuses as a replay.
        sessions = self.__dict__.setdefault("_sessions", {})
        state = sessions.get(username)
        context = chromium.new_context(
            viewport=viewport, locale="zh-CN", device_scale_factor=1, storage_state=state
        )
        try:
            if state is None:
                page = browser.sign_in(
                    context, base_url, username, settings.DEMO_PASSWORD, code=demo_totp_code
                )
                sessions[username] = context.storage_state()
            else:
                page = context.new_page()
                page.goto(f"{base_url}/")
            for step in steps:
                if step.startswith("click:"):
                    page.click(step.removeprefix("click:"))
                    page.wait_for_load_state("networkidle")
                elif step == "review":
                    page.goto(page.url.replace("/materials/", "/review/"))
                elif step == "charts":
                    page.wait_for_selector("#charts[data-ready=true]", timeout=20_000)
                else:
                    page.goto(base_url + step)
                    page.wait_for_load_state("networkidle")
            page.screenshot(path=str(path), full_page=full_page)
            self.stdout.write(f"  {path.name}")
        finally:
            context.close()
