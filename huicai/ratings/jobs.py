"""Periodic work of the ratings app, declared in SCHEDULE at the end (huicai/schedule.py collects it)."""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from huicai.commissioners.choices import PostKind
from huicai.commissioners.models import Post
from huicai.core.schedule import Job
from huicai.notifications.actions import notify
from huicai.ratings.choices import RECTIFICATION_OVERDUE, RectificationAction, RectificationStatus
from huicai.ratings.models import Rectification, RectificationEvent


def flag_overdue_rectifications(*, at) -> dict:
    """W9/W10: a rectification the department has not answered by its due date is marked overdue once, and
    the department and the window are told.

    Each rectification is claimed with a compare-and-swap on ``overdue_flagged_at``, in its own transaction
    with its event and notices, so two schedulers (or a rerun) never flag it twice and a failure leaves it
    to the next run. A rectification sent back for another round gets a new due date and a cleared flag.
    """
    today = timezone.localdate(at)
    due = list(
        Rectification.objects.filter(
            status=RectificationStatus.OPEN, overdue_flagged_at__isnull=True, due_date__lt=today
        )
        .order_by("due_date", "pk")
        .values_list("pk", flat=True)
    )
    flagged = 0
    for pk in due:
        with transaction.atomic():
            claimed = Rectification.objects.filter(
                pk=pk,
                status=RectificationStatus.OPEN,
                overdue_flagged_at__isnull=True,
                due_date__lt=today,
            ).update(overdue_flagged_at=at)
            if claimed != 1:
                continue  # another scheduler got it, or the department answered meanwhile
            rectification = Rectification.objects.select_related("department").get(pk=pk)
            RectificationEvent.objects.create(
                rectification=rectification,
                action=RectificationAction.OVERDUE,
                from_status=rectification.status,
                to_status=rectification.status,
                by=None,
                at=at,
                data={"due_date": rectification.due_date.isoformat()},
            )
            posts = (
                Post.objects.active_at(at)
                .filter(
                    Q(kind=PostKind.DEPARTMENT, department_id=rectification.department_id)
                    | Q(kind=PostKind.WINDOW, window_id=rectification.window_id)
                )
                .select_related("user")
            )
            recipients = [post.user for post in posts]
            notify(
                recipients,
                kind=RECTIFICATION_OVERDUE,
                title=_("整改逾期未答复：%(department)s · %(service)s")
                % {"department": rectification.department.name, "service": rectification.service_name},
                body=_("答复期限为 %(due)s，部门尚未核实答复。")
                % {"due": rectification.due_date.isoformat()},
                link=rectification.get_absolute_url(),
                at=at,
            )
            flagged += 1
    return {"due": len(due), "flagged": flagged}


SCHEDULE = [
    # Due dates are dates: one run each working morning flags what went overdue the day before.
    Job(
        "ratings_flag_overdue_rectifications",
        flag_overdue_rectifications,
        daily_at=datetime.time(8, 45),
        working_days_only=True,
    ),
]
