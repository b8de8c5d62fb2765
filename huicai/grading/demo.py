"""Demo grading: a year of service records in the demo's last year, that year graded for every demo window
(one 不达标 with its 约谈), an issued yearly report, and the current quarter previewed.

The demo's other records all date from the moment it loads, so last year gets a small history of its own,
walked through the real casework and ratings actions at last year's dates: 兰山区 and 河东区 talents' tasks
finished within their limits (one of 河东区's late) and rated well; 罗庄区 talents' tasks finished four weeks
late (rated 基本满意). The demo talent 李明 (``talent``) is left out: his records belong to the other demos.
The grades then follow from the computed figures. A manager (``window_manager``, 郑华, 罗庄区) is appointed so
the 约谈 has its responsible person.

Idempotent: nothing is added when last year's evaluation exists.
"""

import datetime

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from huicai.accounts.demo import DEMO_TOTP_KEY
from huicai.accounts.models import User
from huicai.casework import actions as casework
from huicai.catalogue.models import ServiceItem
from huicai.commissioners.actions import appoint_commissioner
from huicai.commissioners.choices import PostKind
from huicai.commissioners.models import Post
from huicai.grading import actions
from huicai.grading.choices import PeriodKind
from huicai.grading.models import Evaluation
from huicai.org.models import Window
from huicai.ratings import actions as ratings
from huicai.talents.models import Talent

DEMO_NOTE = "演示数据（窗口评估）"
PDF = b"%PDF-1.4\n% Huicai demo material\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ITEMS = ["LY-HJ-001", "LY-ZF-001", "LY-ZN-001", "LY-CRJ-001"]
GOOD = {"overall": 5, "efficiency": 5, "service_level": 5, "attitude": 4}
BAD = {"overall": 2, "efficiency": 1, "service_level": 2, "attitude": 3}
SO_SO = {"overall": 3, "efficiency": 2, "service_level": 3, "attitude": 4}
FAILING = "罗庄区"
# county → (tasks finished on time, tasks finished late, the late ones rated 不满意), each rated: 非常满意 if
# on time; a late one 不满意 (which would open a rectification) or 基本满意. None is rated 不满意 today: the
# ratings demo keeps the demo's one open rectification, and 罗庄区 fails on its late tasks alone.
HISTORY = {"兰山区": (3, 0, False), "河东区": (2, 1, False), FAILING: (0, 2, False)}


def _local(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _department_user(task, at):
    post = (
        Post.objects.active_at(at)
        .filter(kind=PostKind.DEPARTMENT, department_id=task.department_id)
        .select_related("user")
        .order_by("id")
        .first()
    )
    return post.user if post else None


def _finished_task(talent, unit, *, started, late, at):
    """One single-item application of ``talent`` accepted on ``started`` and completed within its limit,
    or four weeks after it; None when none of the demo items is open to the talent."""
    for code in ITEMS:
        items = list(ServiceItem.objects.filter(code=code).select_related("published_version"))
        try:
            application = casework.create_application(
                talent=talent, items=items, note=DEMO_NOTE, by=unit, at=started
            )
        except ValidationError:
            continue
        break
    else:
        return None
    for line in application.items.select_related("item_version"):
        for material in line.materials_required:
            upload = SimpleUploadedFile(f"{material['name']}.pdf", PDF, content_type="application/pdf")
            casework.upload_material(line, key=material["key"], file=upload, by=unit, at=started)
    casework.record_consent(application, method="signed", by=unit, at=started)
    casework.submit_application(application, by=unit, at=started)
    task = application.tasks.get()
    department_user = _department_user(task, at)
    if department_user is None:
        return None
    task = casework.accept_task(task, by=department_user, at=started)
    due = task.deadline.due_date
    finished = (
        _local(due + datetime.timedelta(days=28), 10) if late else started + datetime.timedelta(hours=4)
    )
    return casework.complete_task(task, result="handled", note="已办结。", by=department_user, at=finished)


def _history(windows, *, year, at):
    """Last year's tasks and ratings of three counties, through the real actions at last year's dates."""
    for serial, (county, (on_time, late, late_rated_badly)) in enumerate(HISTORY.items()):
        window = windows.get(county)
        if window is None:
            continue
        talents = (
            Talent.objects.filter(home_window=window, unit_assignments__active_to__isnull=True)
            .exclude(user__username="talent")
            .order_by("id")
            .distinct()
        )
        for number, is_late in enumerate([False] * on_time + [True] * late):
            talent = talents[number % max(talents.count(), 1)] if talents.exists() else None
            if talent is None:
                break
            unit = talent.unit_assignments.open().select_related("post__user").get().post.user
            started = _local(datetime.date(year, 3 + 2 * number, 10 + serial), 9)
            task = _finished_task(talent, unit, started=started, late=is_late, at=at)
            if task is None:
                continue
            ratings.rate_service(
                task=task,
                mode="offline",
                scores=(BAD if late_rated_badly else SO_SO) if is_late else GOOD,
                comment="超期办结，未说明原因。" if is_late else "一次办好，非常满意。",
                by=unit,
                at=task.completed_at + datetime.timedelta(hours=2),
            )


def _manager(window, *, by, at):
    user, created = User.objects.get_or_create(
        username="window_manager",
        defaults={"full_name": "郑华", "password": make_password(settings.DEMO_PASSWORD)},
    )
    if created:
        appoint_commissioner(
            user=user,
            kind=PostKind.WINDOW,
            organisation=window,
            is_manager=True,
            position="窗口负责人",
            by=by,
            at=at,
        )
        from django_otp.plugins.otp_totp.models import TOTPDevice

        TOTPDevice.objects.get_or_create(
            user=user, confirmed=True, defaults={"name": "演示", "key": DEMO_TOTP_KEY}
        )
    return user


@transaction.atomic
def load_demo(*, at) -> None:
    city = User.objects.filter(username="city").first()
    admin = User.objects.filter(username="admin").first()
    year = timezone.localdate(at).year - 1
    if city is None or Evaluation.objects.filter(kind=PeriodKind.YEAR, year=year).exists():
        return
    windows = {}
    for window in Window.objects.filter(level="county"):
        windows[window.division.name] = window
    _history(windows, year=year, at=at)
    if FAILING in windows:
        _manager(windows[FAILING], by=admin or city, at=at - datetime.timedelta(days=30))
    if actions.current_rubric() is None:
        actions.create_rubric(
            weights=actions.DEFAULT_WEIGHTS,
            excellent_min=90,
            good_min=80,
            pass_min=60,
            note="首版：依据《临沂市高层次人才服务窗口运行办法》第十七至二十条制定",
            by=city,
            at=at - datetime.timedelta(days=20),
        )
    day = datetime.timedelta(days=1)
    evaluation = actions.compute_evaluation(kind=PeriodKind.YEAR, year=year, by=city, at=at - 10 * day)
    evaluation = actions.publish_evaluation(evaluation, by=city, at=at - 9 * day)
    report = actions.draft_report(evaluation=evaluation, by=city, at=at - 8 * day)
    actions.issue_report(report, by=city, at=at - 7 * day)
    quarter = (timezone.localdate(at).month - 1) // 3 + 1
    actions.compute_evaluation(kind=PeriodKind.QUARTER, year=year + 1, quarter=quarter, by=city, at=at)
