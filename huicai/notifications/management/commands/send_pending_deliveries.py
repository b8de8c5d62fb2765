"""Send the email and SMS deliveries that are due: first tries the queue never ran (it was down at commit
time), retries whose wait is over, and deliveries whose worker died mid-send.

Safe to run at any moment and in parallel with the task workers: each delivery is claimed with a
compare-and-swap, so it is sent once. Meant to run every few minutes from the scheduler.
"""

from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from huicai.notifications.actions import fail_abandoned_deliveries, get_due_delivery_ids, send_delivery


class Command(BaseCommand):
    help = "发送到期的邮件和短信通知（含重试和中断的发送）。"

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=500, help="本次最多处理的条数（默认 500）。")

    def handle(self, *args, limit, **options):
        if limit < 1:
            raise CommandError("--limit 必须大于 0。")
        now = timezone.now()
        given_up = fail_abandoned_deliveries(at=now)
        outcome = Counter()
        for delivery_id in get_due_delivery_ids(at=now, limit=limit):
            # The clock is read per delivery: a slow gateway makes the batch take minutes.
            outcome[send_delivery(delivery_id, at=timezone.now()) or "not_claimed"] += 1
        self.stdout.write(
            f"已发送 {outcome['sent']}，待重试 {outcome['pending']}，失败 {outcome['failed'] + given_up}，"
            f"跳过 {outcome['skipped']}，已被其他进程处理 {outcome['not_claimed']}。"
        )
