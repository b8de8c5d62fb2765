"""The whole service flow through the actions (W13, S17): one item; three items split across three
departments, with materials asked for, a misroute and reroute, an extension, a suspension; withdrawal."""

import datetime

import pytest

from huicai.casework import actions
from huicai.casework.choices import ApplicationStatus, CaseAction, Result, Route, TaskStatus
from huicai.casework.tests.conftest import later, pdf, prepare
from huicai.notifications.models import Notification
from huicai.testing import T0

MON = T0  # Monday 2 March 2026, 17:00 in Linyi: the world is built at this moment


def inbox(user):
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_one_item_goes_straight_to_its_department_and_completes(case):
    world = case.world
    application = prepare(case, [case.hukou])

    actions.submit_application(application, by=world.wang_fang, at=world.at)

    application.refresh_from_db()
    task = application.tasks.get()
    assert (application.route, application.status) == (Route.DEPARTMENT, ApplicationStatus.IN_PROGRESS)
    assert (task.department, task.status, task.committed_days) == (
        world.departments["市公安局"],
        TaskStatus.PENDING,
        3,
    )
    assert "task_new" in inbox(case.police)

    actions.accept_task(task, by=case.police, at=MON)
    task.refresh_from_db()
    assert task.deadline.start_date == datetime.date(2026, 3, 2)
    assert task.deadline.due_date == datetime.date(2026, 3, 5)  # 3 working days after Monday
    assert "task_accepted" in inbox(world.wang_fang) and "case_progress" in inbox(world.li_ming_user)

    actions.complete_task(
        task, result=Result.HANDLED, note="已办理落户", by=case.police, at=later(world, days=2)
    )
    task.refresh_from_db()
    application.refresh_from_db()
    assert task.status == TaskStatus.COMPLETED
    assert not task.deadline.is_open
    assert application.status == ApplicationStatus.CLOSED
    assert "task_completed" in inbox(world.wang_fang) and "task_completed" in inbox(world.chen_jing)
    assert inbox(world.li_ming_user).count("case_progress") == 2  # accepted, then completed

    actions.inform_talent(task, via="phone", by=world.wang_fang, at=later(world, days=3))
    task.refresh_from_db()
    assert task.informed_via == "phone"
    assert list(application.events.values_list("action", flat=True)) == [
        CaseAction.CREATE,
        CaseAction.UPLOAD,
        CaseAction.SUBMIT,
        CaseAction.SUBMIT,
        CaseAction.ACCEPT,
        CaseAction.COMPLETE,
        CaseAction.CLOSE,
        CaseAction.INFORM,
    ]


def test_three_items_are_split_by_the_window_and_handled_in_parallel(case):
    """Three items, three departments: 市公安局 extends, 市住房和城乡建设局 first asks for materials, and the
    school item is misrouted by the window to 市卫生健康委, which returns it; the window reroutes it."""
    from huicai.commissioners.actions import appoint_commissioner
    from huicai.testing import make_user

    world = case.world
    health = make_user("wei_jk", "卫健专员")
    appoint_commissioner(
        user=health,
        kind="department",
        organisation=world.departments["市卫生健康委"],
        by=world.admin,
        at=world.at,
    )
    application = prepare(case, [case.hukou, case.housing, case.school])
    actions.submit_application(application, by=world.wang_fang, at=world.at)
    application.refresh_from_db()
    assert (application.route, application.status) == (Route.WINDOW, ApplicationStatus.SUBMITTED)
    assert "application_to_split" in inbox(world.chen_jing)
    lines = {line.service_item.code: line for line in application.items.select_related("service_item")}
    routes = actions.suggested_routes(application)
    routes[lines["LY-ZN-001"].pk] = world.departments["市卫生健康委"].pk  # the window's mistake

    tasks = actions.split_application(application, routes=routes, by=world.chen_jing, at=world.at)

    by_department = {task.department.short_name: task for task in tasks}
    assert set(by_department) == {"市公安局", "市住房和城乡建设局", "市卫生健康委"}
    police_task = by_department["市公安局"]
    housing_task = by_department["市住房和城乡建设局"]
    school_task = by_department["市卫生健康委"]
    split_event = school_task.events.get(action=CaseAction.SPLIT)
    assert split_event.data["corrected_items"] == [lines["LY-ZN-001"].pk]

    # 市卫生健康委 cannot handle school enrolment: it returns the task; the window reroutes it.
    actions.return_task(school_task, reason="子女入学不属卫健部门管辖", by=health, at=MON)
    assert "task_returned" in inbox(world.chen_jing)
    actions.reroute_task(school_task, department=world.departments["市教育局"], by=world.chen_jing, at=MON)
    school_task.refresh_from_db()
    assert (school_task.status, school_task.hops, school_task.department.short_name) == (
        TaskStatus.PENDING,
        1,
        "市教育局",
    )
    hops = list(
        school_task.events.filter(action__in=[CaseAction.RETURN, CaseAction.REROUTE]).values_list(
            "action", "data"
        )
    )
    assert [action for action, _ in hops] == [CaseAction.RETURN, CaseAction.REROUTE]
    assert hops[1][1] == {
        "from_department": "临沂市卫生健康委员会",
        "to_department": "临沂市教育局",
        "hop": 1,
    }

    # 市住房和城乡建设局 first asks for materials, all at once; the unit commissioner supplies them.
    line = housing_task.items.get()
    request = actions.request_materials(
        housing_task,
        items=[{"key": "M02", "name": "补充说明"}],
        note="请补充住房情况说明",
        by=case.housing_commissioner,
        at=MON,
    )
    assert "materials_requested" in inbox(world.wang_fang)
    actions.upload_material(
        line, key="M02", file=pdf("说明.pdf"), by=world.wang_fang, at=MON, request=request
    )
    actions.resubmit_task(housing_task, by=world.wang_fang, at=MON)
    housing_task = actions.accept_task(housing_task, by=case.housing_commissioner, at=MON)
    assert housing_task.deadline.due_date == datetime.date(2026, 3, 16)  # 10 working days

    # 市公安局 cannot finish in time: an extension with the explanation, acknowledged by the window.
    police_task = actions.accept_task(police_task, by=case.police, at=MON)
    assert police_task.deadline.due_date == datetime.date(2026, 3, 5)
    extension = actions.extend_task(
        police_task,
        new_due_date=datetime.date(2026, 3, 10),
        reason="需外省协查户籍档案",
        explanation="已电话向李明说明延期原因",
        explained_via="direct",
        by=case.police,
        at=later(world, days=2),
    )
    assert "extension_filed" in inbox(world.chen_jing)
    actions.acknowledge_extension(extension, by=world.chen_jing, at=later(world, days=2))
    police_task.refresh_from_db()
    assert police_task.deadline.due_date == datetime.date(2026, 3, 10)
    assert list(police_task.deadline.changes.values_list("old_due_date", "new_due_date")) == [
        (datetime.date(2026, 3, 5), datetime.date(2026, 3, 10))
    ]
    assert not police_task.is_overdue_on(datetime.date(2026, 3, 9))  # judged against the new date

    # All three handled in parallel; the application closes only when the last one is done.
    actions.accept_task(school_task, by=case.school_commissioner, at=MON)
    actions.complete_task(
        school_task, result=Result.HANDLED, by=case.school_commissioner, at=later(world, days=3)
    )
    actions.complete_task(police_task, result=Result.HANDLED, by=case.police, at=later(world, days=6))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_PROGRESS  # never closes with a task open

    actions.complete_task(
        housing_task,
        result=Result.NOT_HANDLED,
        note="暂无符合条件的房源",
        by=case.housing_commissioner,
        at=later(world, days=14),
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.CLOSED


def test_a_second_request_for_materials_is_flagged_to_the_window(case):
    world = case.world
    application = prepare(case, [case.hukou])
    actions.submit_application(application, by=world.wang_fang, at=world.at)
    task = application.tasks.get()

    for _ in range(2):
        actions.request_materials(
            task, items=[{"key": "M02", "name": "补充说明"}], by=case.police, at=world.at
        )
        actions.resubmit_task(task, handovers={"R1": "纸质件交市公安局窗口"}, by=world.wang_fang, at=world.at)

    task.refresh_from_db()
    assert task.materials_request_count == 2
    assert task.flagged_to_window
    assert "materials_requested_again" in inbox(world.chen_jing)


def test_a_suspension_stops_the_clock_and_moves_the_due_date(case):
    world = case.world
    application = prepare(case, [case.housing])
    actions.submit_application(application, by=world.wang_fang, at=world.at)
    task = application.tasks.get()
    actions.accept_task(task, by=case.housing_commissioner, at=MON)  # due 16 March

    actions.suspend_task(
        task,
        reason="expert_review",
        legal_basis="《行政许可法》第四十五条",
        by=case.housing_commissioner,
        at=datetime.datetime(2026, 3, 4, 2, tzinfo=datetime.UTC),  # Wednesday
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.SUSPENDED
    suspension = actions.resume_task(
        task,
        by=case.housing_commissioner,
        at=datetime.datetime(2026, 3, 9, 2, tzinfo=datetime.UTC),  # next Monday
    )

    task.refresh_from_db()
    assert suspension.paused_days == 3  # Thursday, Friday, Monday
    assert task.status == TaskStatus.ACCEPTED
    assert task.deadline.due_date == datetime.date(2026, 3, 19)
    assert task.events.get(action=CaseAction.RESUME).data["paused_days"] == 3


def test_a_delegated_task_keeps_its_deadline_and_the_institution_reports_back(case):
    world = case.world
    from huicai.org.models import UndertakingOrg

    station = UndertakingOrg.objects.create(
        name="临沂市公安局户政服务中心",
        department=world.departments["市公安局"],
        division=world.divisions["临沂市"],
    )
    from huicai.commissioners.actions import appoint_commissioner

    appoint_commissioner(
        user=world.he_ping, kind="undertaking", organisation=station, by=world.admin, at=world.at
    )
    application = prepare(case, [case.hukou])
    actions.submit_application(application, by=world.wang_fang, at=world.at)
    task = application.tasks.get()
    task = actions.accept_task(task, by=case.police, at=MON)
    due = task.deadline.due_date

    actions.delegate_task(task, undertaking_org=station, by=case.police, at=MON)
    assert "task_delegated" in inbox(world.he_ping)
    actions.report_back(task, note="已办理户口迁入", by=world.he_ping, at=MON)

    task.refresh_from_db()
    assert task.status == TaskStatus.ACCEPTED
    assert task.deadline.due_date == due


def test_withdrawing_an_application_withdraws_its_open_tasks(case):
    world = case.world
    application = prepare(case, [case.hukou, case.housing])
    actions.submit_application(application, by=world.wang_fang, at=world.at)
    actions.split_application(
        application, routes=actions.suggested_routes(application), by=world.chen_jing, at=world.at
    )
    police_task = application.tasks.get(department__short_name="市公安局")
    actions.accept_task(police_task, by=case.police, at=MON)

    actions.withdraw_application(application, reason="人才已另行办理", by=world.li_ming_user, at=MON)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    assert set(application.tasks.values_list("status", flat=True)) == {TaskStatus.WITHDRAWN}
    police_task.refresh_from_db()
    assert not police_task.deadline.is_open


@pytest.mark.parametrize(
    "act, message",
    [
        (lambda c, t: actions.complete_task(t, result=Result.HANDLED, by=c.police, at=MON), "待受理"),
        (lambda c, t: actions.resubmit_task(t, by=c.world.wang_fang, at=MON), "待受理"),
        (
            lambda c, t: actions.reroute_task(
                t, department=c.world.departments["市教育局"], by=c.world.chen_jing, at=MON
            ),
            "待受理",
        ),
        (lambda c, t: actions.return_task(t, reason="  ", by=c.police, at=MON), "请说明退回原因"),
        (lambda c, t: actions.request_materials(t, items=[], by=c.police, at=MON), "一次性列出"),
    ],
)
def test_refused_transitions_say_why_and_change_nothing(case, act, message):
    world = case.world
    application = prepare(case, [case.hukou])
    actions.submit_application(application, by=world.wang_fang, at=world.at)
    task = application.tasks.get()
    events = task.events.count()

    with pytest.raises(actions.CaseworkError) as caught:
        act(case, task)

    assert message in caught.value.messages[0]
    task.refresh_from_db()
    assert task.status == TaskStatus.PENDING
    assert task.events.count() == events


def test_an_extension_after_the_deadline_is_refused(case):
    world = case.world
    application = prepare(case, [case.hukou])
    actions.submit_application(application, by=world.wang_fang, at=world.at)
    task = application.tasks.get()
    actions.accept_task(task, by=case.police, at=MON)

    with pytest.raises(actions.CaseworkError) as caught:
        actions.extend_task(
            task,
            new_due_date=datetime.date(2026, 3, 20),
            reason="x",
            explanation="y",
            explained_via="direct",
            by=case.police,
            at=datetime.datetime(2026, 3, 6, 2, tzinfo=datetime.UTC),
        )

    assert "已超过办结期限" in caught.value.messages[0]


def test_submission_needs_consent_and_every_required_material(case):
    world = case.world
    application = actions.create_application(
        talent=world.li_ming, items=[case.hukou], by=world.wang_fang, at=world.at
    )

    with pytest.raises(actions.CaseworkError) as no_consent:
        actions.submit_application(application, by=world.wang_fang, at=world.at)
    actions.record_consent(application, method="signed", by=world.wang_fang, at=world.at)
    with pytest.raises(actions.CaseworkError) as no_materials:
        actions.submit_application(application, by=world.wang_fang, at=world.at)

    assert "须记录人才本人的同意" in no_consent.value.messages[0]
    assert "以下必交材料尚未上传：高层次人才落户：居民身份证" in no_materials.value.messages[0]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


def test_a_stale_version_is_refused(case):
    world = case.world
    application = prepare(case, [case.hukou])
    actions.submit_application(application, by=world.wang_fang, at=world.at)
    task = application.tasks.get()
    seen = task.version
    actions.request_materials(task, items=[{"key": "M01", "name": "居民身份证"}], by=case.police, at=MON)

    with pytest.raises(actions.StaleVersion):
        actions.return_task(task, reason="误派", by=case.police, at=MON, expected_version=seen)
