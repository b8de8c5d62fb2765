"""Demo grading: the rubric, last year graded for every demo window with one 不达标 and its 约谈, the current
quarter's preview computed from the demo's records, and an issued yearly report.

The demo's service records all date from the moment it loads, so last year has none to measure (every
figure reads 暂无数据). Its scores are therefore entered the way the city enters the results of an offline
assessment: as manual adjustments with a reason, through the real action (audited). The quarterly preview
shows the computed figures. A manager (``window_manager``, 罗庄区) is appointed so the 约谈 has its responsible
person. Idempotent: nothing is added when last year's evaluation exists.
"""

import datetime

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction

from huicai.accounts.demo import DEMO_TOTP_KEY
from huicai.accounts.models import User
from huicai.commissioners.actions import appoint_commissioner
from huicai.commissioners.choices import PostKind
from huicai.grading import actions
from huicai.grading.choices import PeriodKind
from huicai.grading.models import Evaluation
from huicai.org.models import Window

REASON = "演示数据：按年度线下考核结果录入（演示库无上一年度的服务记录）。"
# Window name → score of last year: 优秀, 良好, 达标 and one 不达标.
SCORES = {
    "兰山区高层次人才服务窗口": "93.5",
    "河东区高层次人才服务窗口": "84",
    "沂水县高层次人才服务窗口": "71",
    "罗庄区高层次人才服务窗口": "52.5",
}
FAILING = "罗庄区高层次人才服务窗口"


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
    year = at.year - 1
    if city is None or Evaluation.objects.filter(kind=PeriodKind.YEAR, year=year).exists():
        return
    windows = {w.name: w for w in Window.objects.filter(name__in=SCORES)}
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
    evaluation = actions.compute_evaluation(
        kind=PeriodKind.YEAR, year=year, by=city, at=at - datetime.timedelta(days=10)
    )
    for result in evaluation.results.filter(window__name__in=SCORES):
        actions.adjust_result(
            result,
            score=SCORES[result.window.name],
            reason=REASON,
            by=city,
            at=at - datetime.timedelta(days=10),
        )
    evaluation = actions.publish_evaluation(evaluation, by=city, at=at - datetime.timedelta(days=9))
    report = actions.draft_report(evaluation=evaluation, by=city, at=at - datetime.timedelta(days=8))
    actions.issue_report(report, by=city, at=at - datetime.timedelta(days=7))
    quarter = (at.month - 1) // 3 + 1
    actions.compute_evaluation(kind=PeriodKind.QUARTER, year=at.year, quarter=quarter, by=city, at=at)
