"""The talent hears of their case (W13, W16 进度反馈): when a task is accepted, needs materials, is extended
and is completed, a notice reaches the talent's inbox and, where they have a mobile, an SMS; a talent
without an account gets the SMS on the phone of their record. The SMS is the title and a link: no name,
no item, no ID number."""

import datetime
import re

import pytest

from huicai.casework import actions
from huicai.casework.choices import Result
from huicai.casework.tests.conftest import later, prepare
from huicai.notifications.choices import CASE_PROGRESS, SMS_KINDS, Channel
from huicai.notifications.models import Notification
from huicai.testing import T0


def walk(case):
    """Accepted, then (on a second task) materials asked for; the first extended, then completed."""
    world = case.world
    application = actions.submit_application(
        prepare(case, [case.hukou, case.housing]), by=world.wang_fang, at=world.at
    )
    actions.split_application(
        application, routes=actions.suggested_routes(application), by=world.chen_jing, at=world.at
    )
    police_task = application.tasks.get(department=world.departments["市公安局"])
    housing_task = application.tasks.get(department=world.departments["市住房和城乡建设局"])
    actions.accept_task(police_task, by=case.police, at=T0)
    actions.request_materials(
        housing_task, items=[{"name": "无房证明"}], by=case.housing_commissioner, at=later(world, hours=1)
    )
    actions.extend_task(
        police_task,
        new_due_date=datetime.date(2026, 3, 9),
        reason="协查",
        explanation="已说明",
        explained_via="direct",
        by=case.police,
        at=later(world, hours=2),
    )
    actions.complete_task(police_task, result=Result.HANDLED, by=case.police, at=later(world, days=1))
    return police_task, housing_task


def test_the_talent_is_told_of_acceptance_materials_extension_and_completion(case):
    world = case.world

    police_task, housing_task = walk(case)

    notices = Notification.objects.filter(recipient=world.li_ming_user, kind=CASE_PROGRESS).order_by("id")
    assert [n.title for n in notices] == [
        f"您的申办事项已受理（任务 {police_task.number}）",
        f"您的申办事项需要补正材料（任务 {housing_task.number}）",
        f"您的申办事项办理延期（任务 {police_task.number}）",
        f"您的申办事项已办结（任务 {police_task.number}）",
    ]
    assert "无房证明" in notices[1].body and "2026-03-09" in notices[2].body


def test_the_notices_go_by_sms_and_carry_nothing_personal(case):
    world = case.world
    world.li_ming_user.mobile = "13800138000"
    world.li_ming_user.save(update_fields=["mobile"])

    walk(case)

    notices = list(Notification.objects.filter(recipient=world.li_ming_user, kind=CASE_PROGRESS))
    assert CASE_PROGRESS in SMS_KINDS
    assert all(n.deliveries.filter(channel=Channel.SMS).exists() for n in notices)
    for notice in notices:
        assert world.li_ming.name not in notice.title
        assert not re.search(r"\d{15,18}|1\d{10}", notice.title)


def test_the_unit_commissioner_keeps_their_own_notices_and_gets_no_talent_notice(case):
    world = case.world

    walk(case)

    kinds = set(Notification.objects.filter(recipient=world.wang_fang).values_list("kind", flat=True))
    assert {"task_accepted", "materials_requested", "task_extended", "task_completed"} <= kinds
    assert CASE_PROGRESS not in kinds


@pytest.mark.parametrize("step", ["accept", "complete"])
def test_a_talent_without_an_account_is_told_by_sms_on_their_record(case, step):
    world = case.world
    world.li_ming.user = None
    world.li_ming.save(update_fields=["user"])
    application = actions.submit_application(prepare(case, [case.hukou]), by=world.wang_fang, at=world.at)
    task = actions.accept_task(application.tasks.get(), by=case.police, at=T0)
    if step == "complete":
        actions.complete_task(task, result=Result.HANDLED, by=case.police, at=later(world, days=1))

    notices = Notification.objects.filter(talent=world.li_ming, kind=CASE_PROGRESS)

    assert notices.count() == (1 if step == "accept" else 2)
    assert all(n.deliveries.get().channel == Channel.SMS for n in notices)
