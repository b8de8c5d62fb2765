from django.core.management.base import BaseCommand
from django.db import transaction

from huicai.policies.models import Policy
from huicai.policies.search import reindex_policy


class Command(BaseCommand):
    help = (
        "重建政策检索词索引。检索词由各项操作随政策一起维护，只有在分词词典（search.DOMAIN_WORDS）"
        "或 jieba 版本变化后才需要运行。"
    )

    def handle(self, *args, **options):
        count = 0
        for pk in Policy.objects.order_by("pk").values_list("pk", flat=True):
            # One transaction per policy: a search never sees a policy without its words for long.
            with transaction.atomic():
                policy = Policy.objects.select_for_update().get(pk=pk)
                reindex_policy(policy)
            count += 1
        self.stdout.write(f"已重建 {count} 条政策的检索词。")
