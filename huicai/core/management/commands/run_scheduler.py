import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone

from huicai.core.scheduler import run_due


class Command(BaseCommand):
    help = "运行定时任务（期限巡检、提醒、消息重发）。可在多台机器上同时运行，每次到期只执行一次。"

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=20.0, help="检查间隔（秒）")
        parser.add_argument("--once", action="store_true", help="只检查一次后退出")

    def handle(self, *args, interval, once, **options):
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        while not stopping:
            close_old_connections()
            ran = run_due(at=timezone.now(), clock=timezone.now)
            if ran:
                self.stdout.write(f"{timezone.now():%Y-%m-%d %H:%M:%S} 已运行：{'、'.join(ran)}")
            if once:
                break
            time.sleep(interval)
