import signal
import threading
import unicodedata

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone

from huicai.core.models import ScheduledJob
from huicai.schedule import all_jobs, run_due


class Command(BaseCommand):
    help = (
        "运行定时任务（期限巡检、红黄牌、提醒、热线回传、消息重发等，各应用在 jobs.py 的 SCHEDULE 中声明）。"
        "可在多台机器上同时运行，每次到期只执行一次。收到 SIGTERM 或 Ctrl-C 后做完手头的任务即退出。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=20.0, help="检查间隔（秒）")
        parser.add_argument("--once", action="store_true", help="只检查一次后退出")
        parser.add_argument("--list", action="store_true", help="列出全部定时任务及其下次运行时间后退出")

    def handle(self, *args, interval, once, list, **options):
        if list:
            self.print_table()
            return
        stop = threading.Event()

        def request_stop(signum, frame):
            # Finish the job in hand, start no other: run_due asks should_stop before each job, and the
            # wait between passes returns at once.
            stop.set()

        signal.signal(signal.SIGTERM, request_stop)
        signal.signal(signal.SIGINT, request_stop)
        while not stop.is_set():
            close_old_connections()
            ran = run_due(at=timezone.now(), clock=timezone.now, should_stop=stop.is_set)
            if ran:
                self.stdout.write(f"{timezone.now():%Y-%m-%d %H:%M:%S} 已运行：{'、'.join(ran)}")
            if once:
                break
            stop.wait(interval)
        close_old_connections()

    def print_table(self):
        rows = {row.name: row for row in ScheduledJob.objects.all()}
        self.stdout.write(f"{pad('任务', 40)}{pad('频率', 18)}{pad('下次运行', 18)}上次结果")
        for job in all_jobs():
            row = rows.get(job.name)
            next_run = f"{timezone.localtime(row.next_run_at):%Y-%m-%d %H:%M}" if row else "尚未运行"
            last = (row.last_error or row.last_result) if row else ""
            self.stdout.write(f"{pad(job.name, 40)}{pad(job.when, 18)}{pad(next_run, 18)}{last}")
            self.stdout.write(f"    {job.dotted_path}")


def pad(text, width):
    """Left-align in a terminal, where a Chinese character takes two columns."""
    columns = sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
    return text + " " * max(width - columns, 1)
