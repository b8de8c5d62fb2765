"""超长延期 (W13, the 12345 rules): a task's extensions may add HUICAI_EXTENSION_CAP_DAYS working days in
total (default 10); one that goes past the cap needs the window's approval, not only its acknowledgement,
and until the window approves, the deadline does not move."""

import datetime

import pytest

from huicai.casework import access, actions
from huicai.casework.choices import CaseAction, ExtensionStatus
from huicai.casework.models import Task
from huicai.casework.tests.conftest import later, prepare
from huicai.notifications.models import Notification
from huicai.testing import T0

MON = T0  # Monday 2 March 2026


def extend(case, task, new_due_date, at):
    return actions.extend_task(
        task,
        new_due_date=new_due_date,
        reason="需外省协查户籍档案",
        explanation="已电话向李明说明",
        explained_via="direct",
        by=case.police,
        at=at,
    )


@pytest.fixture
def running(case):
    """Li Ming's 落户 at 市公安局, accepted Monday 2 March: due Thursday 5 March (3 working days)."""
    world = case.world
    application = actions.submit_application(prepare(case, [case.hukou]), by=world.wang_fang, at=world.at)
    return actions.accept_task(application.tasks.get(), by=case.police, at=MON)


@pytest.fixture
def awaiting(case, running):
    """Extended by 3 working days (filed), then asked to 20 March: 8 more, 11 in total, past the cap."""
    extend(case, running, datetime.date(2026, 3, 10), later(case.world, hours=1))
    return extend(case, running, datetime.date(2026, 3, 20), later(case.world, days=1))


def test_within_the_cap_the_extension_is_filed_and_the_deadline_moves(case, running):
    extension = extend(case, running, datetime.date(2026, 3, 10), later(case.world, hours=1))

    running.refresh_from_db()
    assert (extension.status, extension.working_days) == (ExtensionStatus.FILED, 3)
    assert running.deadline.due_date == datetime.date(2026, 3, 10)
    assert Notification.objects.filter(recipient=case.world.li_ming_user, kind="case_progress").count() == 2


def test_past_the_cap_the_extension_waits_for_the_window_and_the_deadline_stays(case, awaiting):
    world = case.world
    task = Task.objects.get(pk=awaiting.task_id)

    assert (awaiting.status, awaiting.working_days) == (ExtensionStatus.AWAITING_APPROVAL, 8)
    assert awaiting.new_due_date == datetime.date(2026, 3, 20)
    assert task.deadline.due_date == datetime.date(2026, 3, 10)
    event = task.events.filter(action=CaseAction.EXTEND).last()
    assert (event.data["needs_approval"], event.data["total_working_days"]) == (True, 11)
    told = Notification.objects.get(recipient=world.chen_jing, kind="extension_needs_approval")
    assert "超过 10 个工作日的上限" in told.body
    # The talent heard of the first, filed extension; of this one only when it is approved.
    assert (
        Notification.objects.filter(
            recipient=world.li_ming_user, kind="case_progress", title__contains="办理延期"
        ).count()
        == 1
    )


def test_the_cap_is_a_setting(case, running, settings):
    settings.HUICAI_EXTENSION_CAP_DAYS = 2

    extension = extend(case, running, datetime.date(2026, 3, 10), later(case.world, hours=1))

    assert extension.status == ExtensionStatus.AWAITING_APPROVAL


def test_a_further_extension_while_one_awaits_approval_is_refused(case, awaiting):
    task = Task.objects.get(pk=awaiting.task_id)

    with pytest.raises(actions.InvalidTransition) as error:
        extend(case, task, datetime.date(2026, 3, 12), later(case.world, days=2))

    assert error.value.messages == ["该任务已有一项超长延期在等待窗口审批，请等审批结果后再申请。"]


def test_the_window_approves_and_only_then_the_deadline_moves_and_the_talent_is_told(case, awaiting):
    world = case.world

    extension = actions.approve_extension(awaiting, note="同意", by=world.chen_jing, at=later(world, days=2))

    task = Task.objects.get(pk=extension.task_id)
    assert task.deadline.due_date == datetime.date(2026, 3, 20)
    assert (extension.status, extension.decided_by, extension.decided_at) == (
        ExtensionStatus.APPROVED,
        world.chen_jing,
        later(world, days=2),
    )
    assert extension.acknowledged_at == later(world, days=2)
    assert task.events.filter(action=CaseAction.APPROVE_EXTENSION).get().data["new_due_date"] == "2026-03-20"
    assert Notification.objects.filter(recipient=case.police, kind="extension_approved").exists()
    assert (
        Notification.objects.filter(
            recipient=world.li_ming_user, kind="case_progress", title__contains="办理延期"
        ).count()
        == 2
    )
    assert Task.objects.with_extension_flags().get(pk=task.pk).long_extension


def test_the_window_refuses_with_a_reason_and_the_deadline_stays(case, awaiting):
    world = case.world

    with pytest.raises(actions.CaseworkError) as error:
        actions.refuse_extension(awaiting, reason=" ", by=world.chen_jing, at=later(world, days=2))
    extension = actions.refuse_extension(
        awaiting, reason="协查可并行，请按期办结", by=world.chen_jing, at=later(world, days=2)
    )

    assert error.value.messages == ["请说明不批准的理由。"]
    task = Task.objects.get(pk=extension.task_id)
    assert task.deadline.due_date == datetime.date(2026, 3, 10)
    assert (extension.status, extension.decision_reason) == (
        ExtensionStatus.REFUSED,
        "协查可并行，请按期办结",
    )
    assert Notification.objects.get(recipient=case.police, kind="extension_refused").body.endswith(
        "协查可并行，请按期办结"
    )
    flags = Task.objects.with_extension_flags().get(pk=task.pk)
    assert not flags.long_extension and not flags.extension_awaiting_approval


def test_only_the_window_decides_and_only_once(case, awaiting):
    world = case.world

    with pytest.raises(actions.NotAllowed):
        actions.approve_extension(awaiting, by=case.police, at=later(world, days=2))
    actions.approve_extension(awaiting, by=world.chen_jing, at=later(world, days=2))
    with pytest.raises(actions.InvalidTransition) as error:
        actions.refuse_extension(awaiting, reason="不同意", by=world.chen_jing, at=later(world, days=2))

    assert error.value.messages == ["该延期为“超长延期已批准”，不在待审批状态（可能已被他人处理，请刷新）。"]


def test_a_pending_extension_is_not_acknowledged_but_decided(case, awaiting):
    world = case.world

    assert [s.name for s in access.EXTENSION_STEPS.available(world.chen_jing, awaiting)] == [
        "approve",
        "refuse",
    ]
    assert access.EXTENSION_STEPS.available(case.police, awaiting) == []
    with pytest.raises(actions.InvalidTransition):
        actions.acknowledge_extension(awaiting, by=world.chen_jing, at=later(world, days=2))


def test_the_window_approves_on_the_task_page_and_the_lists_show_it(case, awaiting, login):
    world = case.world
    client = login(world.chen_jing)
    task = Task.objects.get(pk=awaiting.task_id)

    page = client.get(f"/cases/tasks/{task.pk}/").content.decode()
    listed = client.get("/cases/tasks/").content.decode()
    forbidden = login(case.police).post(f"/cases/extensions/{awaiting.pk}/approve/")
    approved = client.post(f"/cases/extensions/{awaiting.pk}/approve/", {"reason": "同意"})
    listed_after = client.get("/cases/tasks/").content.decode()

    assert "超长延期" in page and f"/cases/extensions/{awaiting.pk}/refuse/" in page
    assert "超长延期待审批" in listed
    assert forbidden.status_code == 403
    assert approved.status_code == 302
    assert "超长延期" in listed_after
    task.refresh_from_db()
    assert task.deadline.due_date == datetime.date(2026, 3, 20)


def test_the_task_list_costs_the_same_queries_with_flagged_tasks(
    case, awaiting, login, django_assert_max_num_queries
):
    client = login(case.world.chen_jing)
    client.get("/cases/tasks/")

    with django_assert_max_num_queries(14):
        assert client.get("/cases/tasks/").status_code == 200
