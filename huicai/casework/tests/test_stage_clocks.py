"""W9, W13, S12-2: every step of a case that someone holds has a clock, opened and closed by the action
that hands the step over — the window's triage and reroute, a department's acceptance, the unit's
supplement and informing — counted in working days on the official calendar.

The clock: world.at is Monday 2026-03-02 17:00 in Linyi; the real 2026 calendar (May Day: 1–5 May off,
Saturday 9 May worked).
"""

import datetime
import io

import pytest
import time_machine
from django.db import IntegrityError, transaction

from huicai.casework import actions
from huicai.casework.choices import Holder, InformChannel, Source, Stage
from huicai.casework.models import StageClock
from huicai.casework.tests.conftest import later, prepare

LINYI = datetime.timezone(datetime.timedelta(hours=8))
MARCH_3 = datetime.date(2026, 3, 3)


def open_clocks(**filters):
    return {(clock.stage, clock.holder_name) for clock in StageClock.objects.open().filter(**filters)}


def submitted(case, items, at=None):
    world = case.world
    application = prepare(case, items, at=at)
    return actions.submit_application(application, by=world.wang_fang, at=at or world.at)


def test_a_multi_item_application_starts_the_windows_triage_clock_of_one_working_day(case):
    world = case.world

    application = submitted(case, [case.hukou, case.housing])

    clock = StageClock.objects.get()
    assert (clock.application, clock.task, clock.stage, clock.holder) == (
        application,
        None,
        Stage.TRIAGE,
        Holder.WINDOW,
    )
    assert clock.window == world.windows["兰山区"]
    assert clock.due_date == MARCH_3
    assert clock.started_at == world.at
    assert list(clock.deadline.responsible.all()) == [world.chen_jing]


def test_the_triage_clock_counts_over_a_holiday_on_the_official_calendar(case):
    thursday_before_may_day = datetime.datetime(2026, 4, 30, 10, 0, tzinfo=LINYI)

    submitted(case, [case.hukou, case.housing], at=thursday_before_may_day)

    # 1–5 May are off: the one working day after Thursday 30 April is Wednesday 6 May.
    assert StageClock.objects.get().due_date == datetime.date(2026, 5, 6)


def test_the_triage_days_come_from_the_setting(case, settings):
    settings.HUICAI_STAGE_TRIAGE_DAYS = 3

    submitted(case, [case.hukou, case.housing])

    assert StageClock.objects.get().due_date == datetime.date(2026, 3, 5)


def test_splitting_stops_the_triage_and_starts_each_departments_acceptance(case):
    world = case.world
    application = submitted(case, [case.hukou, case.housing])
    routes = actions.suggested_routes(application)

    actions.split_application(application, routes=routes, by=world.chen_jing, at=later(world, hours=1))

    triage = StageClock.objects.get(stage=Stage.TRIAGE)
    assert (triage.closed_at, triage.closed_by) == (later(world, hours=1), world.chen_jing)
    assert not triage.deadline.is_open
    acceptances = StageClock.objects.open().select_related("department")
    assert {(clock.stage, clock.holder, clock.department.short_name) for clock in acceptances} == {
        (Stage.ACCEPTANCE, Holder.DEPARTMENT, "市公安局"),
        (Stage.ACCEPTANCE, Holder.DEPARTMENT, "市住房和城乡建设局"),
    }


def test_a_one_item_application_starts_the_departments_acceptance_at_once(case):
    world = case.world

    application = submitted(case, [case.hukou])

    clock = StageClock.objects.get()
    assert (clock.task, clock.stage, clock.department) == (
        application.tasks.get(),
        Stage.ACCEPTANCE,
        world.departments["市公安局"],
    )
    assert clock.due_date == MARCH_3


def test_accepting_the_task_stops_its_acceptance_clock(case):
    world = case.world
    task = submitted(case, [case.hukou]).tasks.get()

    actions.accept_task(task, by=world.zhao_qiang, at=later(world, hours=2))

    clock = StageClock.objects.get()
    assert (clock.closed_at, clock.closed_by) == (later(world, hours=2), world.zhao_qiang)
    assert not StageClock.objects.open().exists()


def test_a_request_for_materials_hands_the_clock_to_the_unit_for_five_working_days(case):
    world = case.world
    task = submitted(case, [case.hukou]).tasks.get()

    actions.request_materials(task, items=[{"name": "户口本"}], by=world.zhao_qiang, at=world.at)

    clock = StageClock.objects.open().get()
    assert (clock.stage, clock.holder, clock.employer, clock.department) == (
        Stage.SUPPLEMENT,
        Holder.UNIT,
        world.li_ming.employer,
        None,
    )
    assert clock.unit_post == world.wang_fang_post
    assert clock.due_date == datetime.date(2026, 3, 9)


def test_resubmitting_stops_the_units_clock_and_restarts_the_departments(case):
    world = case.world
    task = submitted(case, [case.hukou]).tasks.get()
    actions.request_materials(task, items=[{"name": "户口本"}], by=world.zhao_qiang, at=world.at)

    actions.resubmit_task(
        task, handovers={"R1": "户口本原件交部门核验"}, by=world.wang_fang, at=later(world, days=1)
    )

    supplement = StageClock.objects.get(stage=Stage.SUPPLEMENT)
    assert (supplement.closed_at, supplement.closed_by) == (later(world, days=1), world.wang_fang)
    acceptance = StageClock.objects.open().get()
    assert (acceptance.stage, acceptance.department) == (Stage.ACCEPTANCE, world.departments["市公安局"])
    assert acceptance.due_date == datetime.date(2026, 3, 4)


def test_a_returned_task_waits_on_the_windows_reroute_and_the_new_department_then_holds_it(case):
    world = case.world
    task = submitted(case, [case.hukou]).tasks.get()

    actions.return_task(task, reason="不属于本部门", by=world.zhao_qiang, at=world.at)

    reroute = StageClock.objects.open().get()
    assert (reroute.stage, reroute.holder, reroute.window) == (
        Stage.REROUTE,
        Holder.WINDOW,
        world.windows["兰山区"],
    )

    actions.reroute_task(
        task, department=world.departments["市教育局"], by=world.chen_jing, at=later(world, hours=1)
    )

    assert StageClock.objects.get(pk=reroute.pk).closed_by == world.chen_jing
    assert open_clocks() == {(Stage.ACCEPTANCE, world.departments["市教育局"].name)}


def test_completion_starts_the_units_informing_and_recording_it_stops_it(case):
    world = case.world
    task = submitted(case, [case.hukou]).tasks.get()
    actions.accept_task(task, by=world.zhao_qiang, at=world.at)

    actions.complete_task(task, result="handled", note="已办", by=world.zhao_qiang, at=later(world, days=1))

    informing = StageClock.objects.open().get()
    assert (informing.stage, informing.holder, informing.employer) == (
        Stage.INFORMING,
        Holder.UNIT,
        world.li_ming.employer,
    )
    assert informing.due_date == datetime.date(2026, 3, 4)

    actions.inform_talent(task, via=InformChannel.PHONE, by=world.wang_fang, at=later(world, days=1, hours=1))

    assert not StageClock.objects.open().exists()
    assert StageClock.objects.get(pk=informing.pk).closed_by == world.wang_fang


def test_withdrawing_the_application_stops_every_clock(case):
    world = case.world
    application = submitted(case, [case.hukou, case.housing])

    actions.withdraw_application(application, reason="不再需要", by=world.wang_fang, at=later(world, hours=1))

    assert StageClock.objects.count() == 1
    assert not StageClock.objects.open().exists()


def test_withdrawing_a_task_stops_its_clocks(case):
    world = case.world
    task = submitted(case, [case.hukou]).tasks.get()
    actions.request_materials(task, items=[{"name": "户口本"}], by=world.zhao_qiang, at=world.at)

    actions.withdraw_task(task, reason="不再需要", by=world.li_ming.user, at=later(world, hours=1))

    assert not StageClock.objects.open().exists()


def test_the_database_refuses_a_second_open_clock_for_the_same_stage(case):
    world = case.world
    task = submitted(case, [case.hukou]).tasks.get()
    clock = StageClock.objects.get()

    with pytest.raises(IntegrityError), transaction.atomic():
        StageClock.objects.create(
            application=task.application,
            task=task,
            stage=Stage.ACCEPTANCE,
            holder=Holder.DEPARTMENT,
            department=world.departments["市公安局"],
            deadline=clock.deadline,
            started_at=world.at,
        )


# --- hotline orders (S12-2) ---------------------------------------------------------------------------


def hotline_order(case, *, due_date, ref="12345-2026-0007"):
    world = case.world
    return actions.open_hotline_case(
        talent=world.li_ming,
        source=Source.HOTLINE_12345,
        external_ref=ref,
        content="人才公寓申请进度",
        service_item=case.housing,  # committed 10 working days
        due_date=due_date,
        by=world.admin,
        at=world.at,
    )


def test_a_hotline_task_is_due_no_later_than_the_date_the_hotline_gave(case):
    world = case.world
    task = hotline_order(case, due_date=datetime.date(2026, 3, 6)).tasks.get()

    actions.accept_task(task, by=case.housing_commissioner, at=world.at)

    task.refresh_from_db()
    # The item's 10 working days would run to 16 March; the hotline asked for Friday 6 March.
    assert task.deadline.due_date == datetime.date(2026, 3, 6)
    assert task.judged_due_date == datetime.date(2026, 3, 6)


def test_a_hotline_date_later_than_the_items_limit_leaves_the_limit(case):
    world = case.world
    task = hotline_order(case, due_date=datetime.date(2026, 4, 30)).tasks.get()

    actions.accept_task(task, by=case.housing_commissioner, at=world.at)

    task.refresh_from_db()
    assert task.deadline.due_date == datetime.date(2026, 3, 16)


def test_a_hotline_date_already_reached_at_acceptance_still_judges_the_task(case):
    world = case.world
    task = hotline_order(case, due_date=datetime.date(2026, 3, 2)).tasks.get()

    actions.accept_task(task, by=case.housing_commissioner, at=world.at)

    task.refresh_from_db()
    assert task.deadline.due_date == MARCH_3  # the shortest limit a deadline can have
    assert task.judged_due_date == datetime.date(2026, 3, 2)


# --- the pages (W13, W16 progress feedback) --------------------------------------------------------------


def test_the_talent_sees_on_the_application_page_who_holds_each_open_step_and_until_when(case, login):
    world = case.world
    application = submitted(case, [case.hukou, case.housing])
    actions.split_application(
        application, routes=actions.suggested_routes(application), by=world.chen_jing, at=world.at
    )
    police_task, housing_task = sorted(
        application.tasks.all(), key=lambda t: t.department.short_name != "市公安局"
    )
    actions.request_materials(police_task, items=[{"name": "户口本"}], by=world.zhao_qiang, at=world.at)

    with time_machine.travel(world.at, tick=False):
        page = login(world.li_ming.user).get(application.get_absolute_url()).content.decode()

    assert "当前环节" in page
    assert "单位专员补正材料" in page and "用人单位：临沂医药集团（王芳）" in page and "2026-03-09 前" in page
    assert (
        "部门受理" in page and f"主管部门：{housing_task.department.name}" in page and "2026-03-03 前" in page
    )


def test_the_unit_sees_on_the_task_page_until_when_to_tell_the_talent(case, login):
    world = case.world
    task = submitted(case, [case.hukou]).tasks.get()
    actions.accept_task(task, by=world.zhao_qiang, at=world.at)
    actions.complete_task(task, result="handled", note="已办", by=world.zhao_qiang, at=world.at)

    with time_machine.travel(world.at, tick=False):
        page = login(world.wang_fang).get(task.get_absolute_url()).content.decode()

    assert "单位专员告知人才" in page and "用人单位：临沂医药集团（王芳）" in page and "2026-03-03 前" in page


# --- cases already open before stage clocks --------------------------------------------------------------


def test_the_upgrade_command_starts_a_clock_for_every_open_step_from_when_it_began(case):
    from django.core.management import call_command

    world = case.world
    waiting = submitted(case, [case.hukou, case.housing])
    pending = submitted(case, [case.school], at=later(world, days=1)).tasks.get()
    asked = submitted(case, [case.hukou]).tasks.get()
    actions.request_materials(asked, items=[{"name": "户口本"}], by=world.zhao_qiang, at=later(world, days=1))
    StageClock.objects.all().delete()  # as if these cases were open before stage clocks came in

    first, second = io.StringIO(), io.StringIO()
    call_command("open_stage_clocks", stdout=first)
    call_command("open_stage_clocks", stdout=second)  # twice: nothing more

    clocks = {(clock.application_id, clock.task_id, clock.stage): clock for clock in StageClock.objects.all()}
    assert set(clocks) == {
        (waiting.pk, None, Stage.TRIAGE),
        (pending.application_id, pending.pk, Stage.ACCEPTANCE),
        (asked.application_id, asked.pk, Stage.SUPPLEMENT),
    }
    assert clocks[(waiting.pk, None, Stage.TRIAGE)].due_date == MARCH_3
    assert clocks[(pending.application_id, pending.pk, Stage.ACCEPTANCE)].due_date == datetime.date(
        2026, 3, 4
    )
    assert clocks[(asked.application_id, asked.pk, Stage.SUPPLEMENT)].due_date == datetime.date(2026, 3, 10)
    assert "已补开 3 个环节时限" in first.getvalue()
    assert "已补开 0 个环节时限" in second.getvalue()
