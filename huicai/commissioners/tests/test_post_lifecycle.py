"""S6, S19: ending a post hands its talents over in one action; a transfer is an end and an appointment."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from huicai.commissioners.actions import (
    PostError,
    appoint_commissioner,
    assign_unit_commissioner,
    end_post,
    reassign_talents,
    transfer_post,
)
from huicai.commissioners.choices import PostEventKind, PostKind
from huicai.commissioners.models import Post
from huicai.talents.actions import register_talent
from huicai.testing import make_mobile, make_resident_id, make_user

LATER = datetime.datetime(2026, 4, 1, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def colleague_post(world):
    return appoint_commissioner(
        user=make_user("zhang_li", "张丽"),
        kind=PostKind.UNIT,
        organisation=world.linyi_pharma,
        by=world.admin,
        at=world.at,
    )


def test_ending_a_post_hands_its_talents_to_the_successor(world, colleague_post):
    end_post(world.wang_fang_post, successor=colleague_post, by=world.chen_jing, at=LATER, reason="王芳离职")

    world.wang_fang_post.refresh_from_db()
    assert world.wang_fang_post.active_to == LATER
    assert world.li_ming.unit_assignments.open().get().post == colleague_post
    assert world.li_ming.unit_assignments.get(post=world.wang_fang_post).end_reason == "王芳离职"
    ended = world.wang_fang_post.events.get(kind=PostEventKind.ENDED)
    assert (ended.by, ended.at, ended.data["talent_ids"]) == (world.chen_jing, LATER, [world.li_ming.pk])
    handed = colleague_post.events.get(kind=PostEventKind.TALENTS_HANDED_OVER)
    assert handed.note == "接替 王芳：1 名人才，0 件未办结申办"
    assert colleague_post.user.notifications.get().title == "您已接替 王芳 对接 1 名人才、0 件未办结申办"


def test_ending_a_post_without_successor_puts_its_talents_into_the_gap_when_told_so(world):
    end_post(world.wang_fang_post, to_gap=True, by=world.chen_jing, at=LATER)

    assert not world.li_ming.unit_assignments.open().exists()
    closed = world.li_ming.unit_assignments.get()
    assert (closed.active_to, closed.ended_by, closed.end_reason) == (
        LATER,
        world.chen_jing,
        "单位专员岗位结束",
    )


@pytest.mark.parametrize(
    "make_successor, message",
    [
        (lambda w: w.qian_hui_post, "接替人必须是同一用人单位的单位专员。"),
        (lambda w: w.wang_fang_post, "接替人不能是被结束的岗位本身。"),
        (lambda w: Post.objects.get(user=w.chen_jing), "接替人必须是同一用人单位的单位专员。"),
    ],
)
def test_a_refused_end_changes_nothing(world, make_successor, message):
    with pytest.raises(PostError) as caught:
        end_post(world.wang_fang_post, successor=make_successor(world), by=world.chen_jing, at=LATER)

    assert caught.value.messages == [message]
    world.wang_fang_post.refresh_from_db()
    assert world.wang_fang_post.active_to is None
    assert world.li_ming.unit_assignments.open().get().post == world.wang_fang_post


def test_a_post_with_talents_and_neither_successor_nor_gap_is_not_ended(world):
    with pytest.raises(PostError) as caught:
        end_post(world.wang_fang_post, by=world.chen_jing, at=LATER)

    assert caught.value.messages == [
        "该单位专员仍有对接的人才，请指定接替的单位专员，或确认将这些人才列入待配备名单。"
    ]
    world.wang_fang_post.refresh_from_db()
    assert world.wang_fang_post.active_to is None


def test_an_ended_post_cannot_end_again_nor_succeed_anyone(world, colleague_post):
    end_post(colleague_post, by=world.admin, at=LATER)

    with pytest.raises(PostError) as again:
        end_post(colleague_post, by=world.admin, at=LATER + datetime.timedelta(hours=1))
    with pytest.raises(PostError) as successor:
        end_post(world.wang_fang_post, successor=colleague_post, by=world.admin, at=LATER)

    assert again.value.messages == ["该岗位已经结束。"]
    assert successor.value.messages == ["接替的单位专员岗位不在任职期内。"]


def test_a_transfer_ends_the_post_and_opens_one_at_the_new_organisation(world, colleague_post):
    new_post = transfer_post(
        world.wang_fang_post,
        organisation=world.luozhuang_steel,
        successor=colleague_post,
        by=world.chen_jing,
        at=LATER,
    )

    assert (new_post.user, new_post.employer, new_post.active_from) == (
        world.wang_fang,
        world.luozhuang_steel,
        LATER,
    )
    assert world.li_ming.unit_assignments.open().get().post == colleague_post
    assert list(world.wang_fang_post.events.values_list("kind", flat=True)) == [
        PostEventKind.APPOINTED,
        PostEventKind.ENDED,
        PostEventKind.TRANSFERRED,
    ]


def test_a_transfer_to_the_same_organisation_is_refused(world):
    with pytest.raises(PostError) as caught:
        transfer_post(world.wang_fang_post, organisation=world.linyi_pharma, by=world.admin, at=LATER)

    assert caught.value.messages == ["调任的目标单位与现任单位相同。"]


def test_bulk_reassignment_moves_every_talent_and_skips_those_already_there(world, colleague_post):
    second = register_talent(
        by=world.chen_jing,
        at=world.at,
        unit_commissioner=colleague_post,
        name="张伟",
        id_number=make_resident_id("371302", datetime.date(1988, 1, 2), 11),
        category=world.category_b,
        employer=world.linyi_pharma,
        home_window=world.windows["兰山区"],
        mobile=make_mobile(33345678),
    )

    moved = reassign_talents([world.li_ming, second], post=colleague_post, by=world.chen_jing, at=LATER)

    assert moved == 1
    assert world.li_ming.unit_assignments.open().get().post == colleague_post
    assert second.unit_assignments.count() == 1


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real concurrent transactions")
@pytest.mark.django_db(transaction=True)
def test_ending_a_post_while_its_talent_is_reassigned_leaves_one_open_period_on_a_live_post():
    from huicai.testing import build_world

    world = build_world()
    posts = [
        appoint_commissioner(
            user=make_user(f"rival_{n}", f"对手{n}"),
            kind=PostKind.UNIT,
            organisation=world.linyi_pharma,
            by=world.admin,
            at=world.at,
        )
        for n in range(2)
    ]
    barrier = threading.Barrier(2)
    outcomes = []

    def run(step):
        barrier.wait()
        try:
            step()
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    steps = [
        lambda: end_post(world.wang_fang_post, successor=posts[0], by=world.admin, at=LATER),
        lambda: assign_unit_commissioner(
            world.li_ming, post=posts[1], by=world.admin, at=LATER, reason="并发"
        ),
    ]
    threads = [threading.Thread(target=run, args=(step,)) for step in steps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    open_periods = list(world.li_ming.unit_assignments.open().select_related("post"))
    assert len(open_periods) == 1
    assert open_periods[0].post.active_to is None
    assert "ok" in outcomes
