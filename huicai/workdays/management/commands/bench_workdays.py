import datetime
import random
import time

from django.core.management.base import BaseCommand

from huicai.workdays import calendar


class Command(BaseCommand):
    help = "测量工作日计算的速度：随机起算日与时限，调用 add_working_days 若干次（不属于测试）。"

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=100_000, help="计算次数（默认 100000）")
        parser.add_argument("--seed", type=int, default=2026, help="随机数种子")

    def handle(self, *args, count, seed, **options):
        rng = random.Random(seed)
        first = datetime.date(2025, 1, 1).toordinal()
        cases = [
            (datetime.date.fromordinal(first + rng.randrange(3 * 365)), rng.randint(1, 60))
            for _ in range(count)
        ]
        # Warm-up: load the calendar and build the tables of every year the cases touch.
        for start, limit in cases[:1000]:
            calendar.add_working_days(start, limit)
        started = time.perf_counter()
        for start, limit in cases:
            calendar.add_working_days(start, limit)
        elapsed = time.perf_counter() - started
        rate = count / elapsed if elapsed else float("inf")
        self.stdout.write(f"add_working_days：{count} 次，用时 {elapsed:.3f} 秒，每秒 {rate:,.0f} 次")
