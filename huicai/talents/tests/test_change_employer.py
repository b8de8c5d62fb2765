"""S6: a talent who changes employer leaves the old employer's commissioner, and the record keeps it."""

import datetime

import pytest

from huicai.commissioners.actions import AssignmentError, appoint_commissioner
from huicai.commissioners.choices import PostKind
from huicai.core.identifiers import make_credit_code
from huicai.org.models import Employer
from huicai.talents.actions import TalentError, change_employer
from huicai.talents.choices import TalentEventKind
from huicai.testing import make_user

LATER = datetime.datetime(2026, 4, 1, 10, 0, tzinfo=datetime.UTC)


def test_a_talent_goes_to_the_only_commissioner_of_the_new_employer(world):
    change_employer(world.li_ming, employer=world.luozhuang_steel, by=world.chen_jing, at=LATER)

    world.li_ming.refresh_from_db()
    old, new = world.li_ming.unit_assignments.order_by("active_from")
    assert world.li_ming.employer == world.luozhuang_steel
    assert (old.post, old.active_to, old.ended_by, old.end_reason) == (
        world.wang_fang_post,
        LATER,
        world.chen_jing,
        "用人单位变更",
    )
    assert (new.post, new.active_from, new.active_to) == (world.qian_hui_post, LATER, None)
    event = world.li_ming.events.get()
    assert (event.kind, event.by, event.at, event.note) == (
        TalentEventKind.EMPLOYER_CHANGED,
        world.chen_jing,
        LATER,
        "临沂医药集团 → 罗庄钢铁有限公司",
    )


def test_a_talent_goes_into_the_gap_when_the_new_employer_has_no_commissioner(world):
    newcomer = Employer.objects.create(
        name="兰山新材料", credit_code=make_credit_code("371302", 7), window=world.windows["兰山区"]
    )

    change_employer(world.li_ming, employer=newcomer, by=world.chen_jing, at=LATER)

    assert not world.li_ming.unit_assignments.open().exists()
    assert list(world.li_ming.events.values_list("kind", flat=True)) == [
        TalentEventKind.EMPLOYER_CHANGED,
        TalentEventKind.COVERAGE_GAP,
    ]


def test_with_several_commissioners_at_the_new_employer_the_chosen_one_is_assigned(world):
    second = appoint_commissioner(
        user=make_user("zhang_li", "张丽"),
        kind=PostKind.UNIT,
        organisation=world.luozhuang_steel,
        by=world.admin,
        at=world.at,
    )

    change_employer(world.li_ming, employer=world.luozhuang_steel, unit_post=second, by=world.admin, at=LATER)

    assert world.li_ming.unit_assignments.open().get().post == second


def test_with_several_commissioners_and_no_choice_the_talent_waits_in_the_gap(world):
    appoint_commissioner(
        user=make_user("zhang_li", "张丽"),
        kind=PostKind.UNIT,
        organisation=world.luozhuang_steel,
        by=world.admin,
        at=world.at,
    )

    change_employer(world.li_ming, employer=world.luozhuang_steel, by=world.admin, at=LATER)

    assert not world.li_ming.unit_assignments.open().exists()


def test_it_refuses_a_commissioner_of_another_employer_and_changes_nothing(world):
    with pytest.raises(AssignmentError) as caught:
        change_employer(
            world.li_ming,
            employer=world.luozhuang_steel,
            unit_post=world.wang_fang_post,
            by=world.admin,
            at=LATER,
        )

    assert caught.value.messages == ["单位专员必须来自人才所在的用人单位。"]
    world.li_ming.refresh_from_db()
    assert world.li_ming.employer == world.linyi_pharma
    assert world.li_ming.unit_assignments.open().get().post == world.wang_fang_post
    assert not world.li_ming.events.exists()


def test_it_refuses_a_change_to_the_same_employer(world):
    with pytest.raises(TalentError) as caught:
        change_employer(world.li_ming, employer=world.linyi_pharma, by=world.admin, at=LATER)

    assert caught.value.messages == ["该人才已在此用人单位。"]
