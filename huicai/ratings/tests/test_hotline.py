"""W10 运用好“12345政务热线”: ratings that reach a hotline are recorded by the hotlines app through
``record_hotline_rating``, once per hotline order."""

import pytest

from huicai.casework import actions as casework
from huicai.ratings import actions
from huicai.ratings.choices import Channel, RectificationAction
from huicai.ratings.models import Rating
from huicai.ratings.tests.conftest import later, local, prepare, rate_badly, serve


def hotline_rating(at, *, task=None, direct_service=None, level=4, external_ref="12345-2026-0001", **extra):
    return actions.record_hotline_rating(
        task=task,
        direct_service=direct_service,
        level=level,
        comment=extra.pop("comment", "回访：办理顺利。"),
        hotline=extra.pop("hotline", "12345"),
        external_ref=external_ref,
        at=at,
    )


def test_a_hotline_rating_is_recorded_against_the_task(case, task):
    world = case.world

    rating = hotline_rating(later(world, days=2), task=task)

    assert rating.channel == Channel.HOTLINE
    assert rating.hotline == "12345"
    assert rating.external_ref == "12345-2026-0001"
    assert rating.rated_by is None
    assert rating.mode == ""
    assert rating.overall == 4
    assert rating.department == world.departments["市公安局"]
    assert rating.rated_user == world.zhao_qiang


def test_the_same_order_twice_returns_the_first_rating(case, task):
    world = case.world
    first = hotline_rating(later(world, days=2), task=task)

    again = hotline_rating(later(world, days=3), task=task, level=1)

    assert again.pk == first.pk
    assert Rating.objects.get().overall == 4


def test_an_order_number_already_used_for_another_service_is_refused(case, task):
    world = case.world
    hotline_rating(later(world, days=2), task=task)
    application = prepare(case, [case.housing])
    casework.submit_application(application, by=world.wang_fang, at=world.at)
    other = application.tasks.get()
    casework.accept_task(other, by=case.housing_commissioner, at=world.at)
    casework.complete_task(other, result="handled", by=case.housing_commissioner, at=world.at)

    with pytest.raises(actions.RatingError) as refused:
        hotline_rating(later(world, days=2), task=other)

    assert refused.value.messages == ["该热线工单号已用于另一项服务的评价。"]


def test_a_second_hotline_order_for_the_same_service_is_refused(case, task):
    world = case.world
    hotline_rating(later(world, days=2), task=task)

    with pytest.raises(actions.InvalidTransition) as refused:
        hotline_rating(later(world, days=2), task=task, external_ref="PROV-88", hotline="provincial")

    assert refused.value.messages == ["该服务已有热线评价，不能重复登记。"]


def test_the_level_may_be_given_by_its_chinese_name(case, task):
    rating = hotline_rating(later(case.world, days=2), task=task, level="基本满意")

    assert rating.overall == 3


def test_the_platform_period_does_not_bind_the_hotlines_return_visit(case, task):
    rating = hotline_rating(local(2026, 4, 20), task=task)

    assert rating.pk is not None


def test_a_hotline_rating_of_a_task_not_completed_is_refused(case):
    world = case.world
    application = prepare(case, [case.hukou])
    casework.submit_application(application, by=world.wang_fang, at=world.at)

    with pytest.raises(actions.RatingError):
        hotline_rating(world.at, task=application.tasks.get())

    assert not Rating.objects.exists()


def test_a_bad_hotline_rating_opens_the_rectification_or_joins_the_open_one(direct):
    world = direct.world
    service = serve(direct)

    first = hotline_rating(later(world, hours=3), direct_service=service, level=1, comment="回访：态度生硬。")
    joined = rate_badly(direct_service=service, by=world.li_ming_user, at=later(world, hours=4))

    rectification = first.rectification
    assert rectification.department == world.departments["市公安局"]
    assert joined.rectification == rectification
    assert [event.actor_label for event in rectification.events.all()] == ["热线评价", "人才本人"]
    assert rectification.events.first().action == RectificationAction.OPEN
    assert rectification.events.first().by is None


def test_an_unknown_hotline_is_refused(case, task):
    with pytest.raises(actions.RatingError) as refused:
        hotline_rating(case.world.at, task=task, hotline="110")

    assert refused.value.messages == ["未知的热线来源。"]
