"""W10: the talent, or the unit commissioner recording the talent's answer, rates a finished service on
the indicators of GB/T 39734-2020; refusals save nothing."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.test import override_settings

from huicai.casework import actions as casework
from huicai.commissioners.actions import appoint_commissioner, assign_unit_commissioner
from huicai.commissioners.choices import PostKind
from huicai.ratings import actions
from huicai.ratings.choices import Channel, Mode
from huicai.ratings.models import Rating, Rectification
from huicai.ratings.tests.conftest import (
    OFFLINE_GOOD,
    ONLINE_GOOD,
    completed_task,
    later,
    local,
    prepare,
    rate,
    serve,
)


def test_the_talent_rates_a_completed_task_and_the_department_and_commissioner_are_rated(case, task):
    world = case.world

    rating = rate(task, by=world.li_ming_user, at=later(world, days=1), comment="很快，态度好。")

    assert rating.channel == Channel.PLATFORM
    assert rating.mode == Mode.OFFLINE
    assert rating.department == world.departments["市公安局"]
    assert rating.rated_user == world.zhao_qiang
    assert rating.service_item == case.hukou
    assert rating.service_name == "高层次人才落户"
    assert [label for label, _, _ in rating.scores()] == ["总体评价", "办事效率", "服务水平", "服务态度"]
    assert rating.rectification is None


def test_an_online_service_is_rated_on_the_online_indicators(case, task):
    world = case.world

    rating = rate(task, by=world.li_ming_user, at=later(world, days=1), mode="online", scores=ONLINE_GOOD)

    assert [label for label, _, _ in rating.scores()] == [
        "总体评价",
        "办事效率",
        "办事指南准确性",
        "办理便捷性",
        "平台易用性",
    ]
    assert rating.service_level is None


def test_the_unit_commissioner_rates_on_behalf_and_the_talent_may_still_rate_themself(case, task):
    world = case.world

    on_behalf = rate(task, by=world.wang_fang, at=later(world, days=1))
    own = rate(task, by=world.li_ming_user, at=later(world, days=2))

    assert on_behalf.channel == Channel.UNIT
    assert on_behalf.rated_by == world.wang_fang
    assert own.channel == Channel.PLATFORM


def test_the_talent_rates_a_direct_service(direct):
    world = direct.world
    service = serve(direct)

    rating = rate(direct_service=service, by=world.li_ming_user, at=later(world, hours=2))

    assert rating.direct_service == service
    assert rating.task is None
    assert rating.department == world.departments["市公安局"]
    assert rating.rated_user == world.zhao_qiang
    assert rating.service_name == "出入境证件办理咨询"


def test_a_direct_service_is_rated_as_an_offline_service(direct):
    world = direct.world
    service = serve(direct)

    with pytest.raises(actions.RatingError) as refused:
        rate(direct_service=service, by=world.li_ming_user, at=world.at, mode="online", scores=ONLINE_GOOD)

    assert refused.value.messages == ["凭卡直接服务为线下服务，请按线下服务的指标评价。"]
    assert not Rating.objects.exists()


# --- the rating period, on the official calendar -------------------------------------------------------


@pytest.fixture
def before_may_day(case):
    """Completed on Thursday 2026-04-30; 1–5 May are off and Saturday 9 May is worked, so the fifth
    working day after it is Monday 2026-05-11."""
    return completed_task(case, completed_at=local(2026, 4, 30, 16))


def test_the_last_day_of_the_period_counts_working_days_on_the_official_calendar(case, before_may_day):
    rating = rate(before_may_day, by=case.world.li_ming_user, at=local(2026, 5, 11, 23, 30))

    assert rating.pk is not None


def test_a_rating_after_the_period_is_refused(case, before_may_day):
    with pytest.raises(actions.RatingError) as refused:
        rate(before_may_day, by=case.world.li_ming_user, at=local(2026, 5, 12, 8, 0))

    assert refused.value.messages == ["已超过评价期限：服务完成后 5 个工作日内可以评价（截至 2026-05-11）。"]
    assert not Rating.objects.exists()


@override_settings(HUICAI_RATING_WINDOW_DAYS=2)
def test_the_period_is_configurable(case, before_may_day):
    with pytest.raises(actions.RatingError) as refused:
        rate(before_may_day, by=case.world.li_ming_user, at=local(2026, 5, 8, 9))

    assert refused.value.messages == ["已超过评价期限：服务完成后 2 个工作日内可以评价（截至 2026-05-07）。"]


def test_the_period_of_a_direct_service_runs_from_the_service(direct):
    world = direct.world
    service = serve(direct)  # Monday 2026-03-02

    with pytest.raises(actions.RatingError) as refused:
        rate(direct_service=service, by=world.li_ming_user, at=local(2026, 3, 10, 9))

    assert refused.value.messages == ["已超过评价期限：服务完成后 5 个工作日内可以评价（截至 2026-03-09）。"]


# --- other refusals ----------------------------------------------------------------------------------


def test_a_task_not_completed_cannot_be_rated(case):
    world = case.world
    application = prepare(case, [case.hukou])
    casework.submit_application(application, by=world.wang_fang, at=world.at)
    task = application.tasks.get()
    casework.accept_task(task, by=case.police, at=world.at)

    with pytest.raises(actions.RatingError) as refused:
        rate(task, by=world.li_ming_user, at=world.at)

    assert refused.value.messages == ["该任务尚未办结（当前状态：办理中），办结后才能评价。"]
    assert not Rating.objects.exists()


def test_a_second_rating_through_the_same_channel_is_refused(case, task):
    world = case.world
    rate(task, by=world.li_ming_user, at=later(world, days=1))

    with pytest.raises(actions.InvalidTransition) as refused:
        rate(task, by=world.li_ming_user, at=later(world, days=2), scores={**OFFLINE_GOOD, "overall": 4})

    assert refused.value.messages == ["您已评价过此服务，不能重复评价。"]
    assert Rating.objects.get().overall == 5


def test_the_database_refuses_a_duplicate_that_slips_past_the_check(case, task):
    world = case.world
    first = rate(task, by=world.li_ming_user, at=later(world, days=1))
    first.pk = None

    with pytest.raises(IntegrityError), transaction.atomic():
        first.save()

    assert Rating.objects.count() == 1


def test_the_commissioner_who_completed_the_task_cannot_rate_it_even_as_the_unit_commissioner(case):
    world = case.world
    # zhao_qiang also becomes a unit commissioner at Linyi Pharma and takes li_ming over.
    post = appoint_commissioner(
        user=world.zhao_qiang,
        kind=PostKind.UNIT,
        organisation=world.linyi_pharma,
        by=world.admin,
        at=world.at,
    )
    assign_unit_commissioner(
        world.li_ming, post=post, reason="岗位调整", by=world.chen_jing, at=later(world, minutes=1)
    )
    task = completed_task(case, unit=world.zhao_qiang)

    with pytest.raises(actions.OwnWork) as refused:
        rate(task, by=world.zhao_qiang, at=later(world, days=1))

    assert refused.value.messages == ["不能评价本人经办的服务。"]
    assert not Rating.objects.exists()


def test_a_unit_commissioner_who_is_also_in_the_rated_department_cannot_rate_it(case, task):
    world = case.world
    appoint_commissioner(
        user=world.wang_fang,
        kind=PostKind.DEPARTMENT,
        organisation=world.departments["市公安局"],
        by=world.admin,
        at=world.at,
    )

    with pytest.raises(actions.OwnWork) as refused:
        rate(task, by=world.wang_fang, at=later(world, days=1))

    assert refused.value.messages == ["不能评价本部门办理的服务。"]


def test_someone_else_cannot_rate_a_talents_service(case, task):
    world = case.world

    for outsider in (world.zhao_qiang, world.chen_jing, world.qian_hui):
        with pytest.raises(PermissionDenied):
            rate(task, by=outsider, at=later(world, days=1))

    assert not Rating.objects.exists()


def test_every_indicator_of_the_mode_must_be_rated(case, task):
    world = case.world

    with pytest.raises(actions.RatingError) as refused:
        rate(task, by=world.li_ming_user, at=world.at, scores={"overall": 5, "efficiency": 5, "attitude": 5})

    assert refused.value.messages == ["请评价“服务水平”。"]


def test_an_indicator_of_the_other_mode_is_refused(case, task):
    world = case.world

    with pytest.raises(actions.RatingError) as refused:
        rate(task, by=world.li_ming_user, at=world.at, scores={**OFFLINE_GOOD, "ease_of_use": 5})

    assert refused.value.messages == ["线下服务不评价“平台易用性”。"]


def test_a_level_outside_the_five_is_refused(case, task):
    world = case.world

    with pytest.raises(actions.RatingError) as refused:
        rate(task, by=world.li_ming_user, at=world.at, scores={**OFFLINE_GOOD, "overall": 6})

    assert refused.value.messages == ["评价等级须为非常满意、满意、基本满意、不满意或非常不满意。"]


def test_a_bad_rating_needs_a_reason(case, task):
    world = case.world

    with pytest.raises(actions.RatingError) as refused:
        rate(task, by=world.li_ming_user, at=world.at, scores={**OFFLINE_GOOD, "overall": 1})

    assert refused.value.messages == ["给出“不满意”或“非常不满意”时，请写明原因，以便部门核实整改。"]
    assert not Rectification.objects.exists()
