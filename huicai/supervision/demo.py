"""Demo supervision, run after casework's demo (which leaves an overdue 市公安局 task and an extended one):
the cards the sweep issues at the first working time from ``at``, one 督办 from the 兰山区 window ("window")
to 市公安局 ("dept"), and one open scheduling round of the 兰山区 window. Everything goes through the real
sweep and actions. Idempotent: the sweep never issues a card twice, and the order and the round are made
only if the window has none."""

import datetime

from django.db import transaction
from django.utils import timezone

from huicai.accounts.models import User
from huicai.casework.choices import RUNNING_STATUSES
from huicai.casework.models import Task
from huicai.commissioners.choices import PostKind
from huicai.commissioners.models import Post
from huicai.supervision import actions, jobs
from huicai.supervision.models import Round, SupervisionOrder
from huicai.workdays import calendar

SWEEP_TIME = datetime.time(10, 0)


def _working_time(at) -> datetime.datetime:
    """``at`` when it is working time; otherwise 10:00 local on the next working day. Not an earlier time:
    the demo's commissioners take up their posts at ``at``, and the sweep tells only those in post."""
    if jobs.is_working_time(at):
        return at
    local = timezone.localtime(at)
    day = local.date() if local.time() < SWEEP_TIME else local.date() + datetime.timedelta(days=1)
    while not calendar.is_working_day(day):
        day += datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, SWEEP_TIME), local.tzinfo)


@transaction.atomic
def load_demo(*, at) -> None:
    window_user = User.objects.filter(username="window").first()
    if window_user is None:
        return
    when = _working_time(at)
    jobs.issue_cards(at=when)

    if not SupervisionOrder.objects.filter(raised_by=window_user).exists():
        task = (
            Task.objects.visible_to(window_user)
            .filter(department__posts__user__username="dept", status__in=RUNNING_STATUSES)
            .order_by("deadline__due_date", "id")
            .first()
        )
        if task is not None:
            actions.raise_order(
                task,
                content="该任务已超过承诺办结时限，请书面说明逾期原因、目前进展和确定的办结日期。",
                due_in_days=2,
                by=window_user,
                at=when,
            )

    if not Round.objects.filter(opened_by=window_user).exists():
        post = (
            Post.objects.active_at(when)
            .filter(user=window_user, kind=PostKind.WINDOW)
            .select_related("window")
            .first()
        )
        if (
            post is not None
            and Task.objects.open()
            .filter(application__talent__home_window__path__startswith=post.window.path)
            .exists()
        ):
            actions.open_round(
                window=post.window,
                title=f"{timezone.localdate(when):%Y年%m月}绿色通道服务事项落实情况调度",
                answer_due_date=calendar.add_working_days(timezone.localdate(when), 3),
                note="请各主管部门逐项报告办理进展、存在困难和预计办结日期。",
                by=window_user,
                at=when,
            )
