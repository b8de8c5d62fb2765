from django.core.management.base import BaseCommand

from huicai.casework.actions import open_missing_stage_clocks


class Command(BaseCommand):
    help = "为升级前已在办的申办和任务补开各环节时限（窗口梳理、部门受理、窗口改派、单位补正、告知人才）。可重复执行。"

    def handle(self, *args, **options):
        opened = open_missing_stage_clocks()
        total = sum(opened.values())
        detail = "，".join(f"{stage} {count}" for stage, count in opened.items() if count)
        self.stdout.write(f"已补开 {total} 个环节时限{'：' + detail if detail else ''}。")
