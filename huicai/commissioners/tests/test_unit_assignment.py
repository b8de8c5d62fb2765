"""S6: every talent has exactly one active unit commissioner; reassignment is one recorded action."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from huicai.commissioners.actions import (
    AssignmentError,
    appoint_commissioner,
    assign_unit_commissioner,
)
from huicai.commissioners.choices import PostKind
from huicai.commissioners.models import Post, UnitAssignment
from huicai.testing import make_user

LATER = datetime.datetime(2026, 4, 1, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def colleague_post(world):
    colleague = make_user("zhang_li", "张丽")
    return appoint_commissioner(
        user=colleague, kind=PostKind.UNIT, organisation=world.linyi_pharma, by=world.admin, at=world.at
    )


def test_reassignment_closes_the_old_period_and_opens_the_new_one_with_who_when_and_why(
    world, colleague_post
):
    assign_unit_commissioner(
        world.li_ming, post=colleague_post, by=world.chen_jing, at=LATER, reason="王芳调岗"
    )

    old, new = world.li_ming.unit_assignments.order_by("active_from")
    assert (old.post, old.active_to, old.ended_by, old.end_reason) == (
        world.wang_fang_post,
        LATER,
        world.chen_jing,
        "王芳调岗",
    )
    assert (new.post, new.active_from, new.active_to, new.assigned_by, new.reason) == (
        colleague_post,
        LATER,
        None,
        world.chen_jing,
        "王芳调岗",
    )


def test_the_database_refuses_a_second_open_unit_commissioner(world, colleague_post):
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitAssignment.objects.create(talent=world.li_ming, post=colleague_post, active_from=LATER)

    assert world.li_ming.unit_assignments.open().count() == 1


def test_model_validation_names_the_rule_in_chinese(world, colleague_post):
    second = UnitAssignment(talent=world.li_ming, post=colleague_post, active_from=LATER)

    with pytest.raises(ValidationError) as caught:
        second.full_clean()

    assert "该人才已有在岗的单位专员" in str(caught.value)


def test_the_admin_never_leaves_a_second_open_unit_commissioner(world, colleague_post, login):
    # Adding a row in the admin is the reassignment action: the open period is closed, not doubled.
    client = login(world.admin)

    response = client.post(
        "/admin/commissioners/unitassignment/add/",
        {
            "talent": world.li_ming.pk,
            "post": colleague_post.pk,
            "active_from_0": "2020-01-01",
            "active_from_1": "10:00:00",
            "reason": "王芳调岗",
        },
    )

    assert response.status_code == 302
    assert world.li_ming.unit_assignments.count() == 2
    assert list(world.li_ming.unit_assignments.open().values_list("post", flat=True)) == [colleague_post.pk]
    assert world.li_ming.unit_assignments.open().get().active_from > world.at  # the posted date is ignored


@pytest.mark.parametrize(
    "make_post, message",
    [
        (lambda w: w.qian_hui_post, "单位专员必须来自人才所在的用人单位"),
        (lambda w: Post.objects.get(user=w.zhao_qiang), "只能指定单位专员"),
        (lambda w: w.wang_fang_post, "该专员已经是此人才的单位专员"),
    ],
)
def test_a_refused_reassignment_changes_nothing(world, make_post, message):
    with pytest.raises(AssignmentError) as caught:
        assign_unit_commissioner(world.li_ming, post=make_post(world), by=world.chen_jing, at=LATER)

    assert message in caught.value.messages[0]
    assert world.li_ming.unit_assignments.get().active_to is None


def test_a_post_must_match_its_kind(world):
    with pytest.raises(ValidationError) as caught:
        appoint_commissioner(
            user=world.wang_fang, kind=PostKind.UNIT, organisation=None, by=world.admin, at=world.at
        )

    assert "单位专员须填写用人单位" in str(caught.value)


def test_a_manager_flag_only_goes_with_a_window_post(world):
    with pytest.raises(ValidationError) as caught:
        appoint_commissioner(
            user=world.wang_fang,
            kind=PostKind.UNIT,
            organisation=world.linyi_pharma,
            is_manager=True,
            by=world.admin,
            at=world.at,
        )

    assert "只有窗口专员岗位可以设为窗口负责人" in str(caught.value)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real concurrent transactions")
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_reassignments_leave_exactly_one_open_period():
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

    def reassign(post):
        barrier.wait()
        try:
            assign_unit_commissioner(world.li_ming, post=post, by=world.admin, at=LATER, reason="并发")
            outcomes.append("ok")
        except (AssignmentError, ValidationError):
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=reassign, args=(post,)) for post in posts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert world.li_ming.unit_assignments.open().count() == 1
    assert sorted(outcomes) == ["ok", "refused"]
