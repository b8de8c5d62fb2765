"""S6: when a unit commissioner's post ends, the applications it filed go to the successor, who then owes
their supplements and the informing; without a successor the post cannot end."""

import pytest

from huicai.casework import actions
from huicai.casework.choices import Result
from huicai.casework.tests.conftest import later, prepare
from huicai.commissioners.actions import PostError, appoint_commissioner, end_post
from huicai.commissioners.choices import PostKind
from huicai.testing import make_user


@pytest.fixture
def successor(case):
    return appoint_commissioner(
        user=make_user("zhang_li", "张丽"),
        kind=PostKind.UNIT,
        organisation=case.world.linyi_pharma,
        by=case.world.admin,
        at=case.world.at,
    )


def test_open_applications_go_to_the_successor_who_can_then_act_on_them(case, successor):
    world = case.world
    application = prepare(case, [case.hukou])
    closed_before = actions.submit_application(prepare(case, [case.housing]), by=world.wang_fang, at=world.at)
    actions.withdraw_application(closed_before, by=world.wang_fang, at=later(world, hours=1), reason="重复")

    end_post(world.wang_fang_post, successor=successor, by=world.chen_jing, at=later(world, hours=2))

    application.refresh_from_db()
    closed_before.refresh_from_db()
    assert application.unit_post == successor
    assert closed_before.unit_post == world.wang_fang_post
    submitted = actions.submit_application(application, by=successor.user, at=later(world, hours=3))
    assert (submitted.status, submitted.unit_post) == ("in_progress", successor)


def test_a_post_with_open_applications_and_no_successor_cannot_end(case):
    world = case.world
    prepare(case, [case.hukou])

    with pytest.raises(PostError) as caught:
        end_post(world.wang_fang_post, to_gap=True, by=world.chen_jing, at=later(world, hours=2))

    assert caught.value.messages == ["该专员还有 1 件未办结的申办，请指定接替的单位专员。"]
    assert world.li_ming.unit_assignments.open().get().post == world.wang_fang_post


def test_a_closed_application_whose_result_is_not_yet_told_goes_to_the_successor(case, successor):
    world = case.world
    application = actions.submit_application(prepare(case, [case.hukou]), by=world.wang_fang, at=world.at)
    task = application.tasks.get()
    actions.accept_task(task, by=case.police, at=later(world, hours=1))
    actions.complete_task(task, result=Result.HANDLED, by=case.police, at=later(world, hours=2))

    end_post(world.wang_fang_post, successor=successor, by=world.chen_jing, at=later(world, hours=3))

    application.refresh_from_db()
    assert application.status == "closed"
    assert application.unit_post == successor
    informed = actions.inform_talent(task, via="phone", by=successor.user, at=later(world, hours=4))
    assert informed.informed_by == successor.user
