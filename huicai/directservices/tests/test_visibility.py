"""Who sees which direct service and appointment, and the talents a department, an institution or a
window sees once it has served or been booked by them."""

import pytest

from huicai.commissioners.actions import appoint_commissioner
from huicai.commissioners.choices import PostKind
from huicai.directservices.models import Appointment, DirectService
from huicai.directservices.tests.conftest import book, local, serve
from huicai.talents.models import Talent
from huicai.testing import make_user


@pytest.fixture
def served(direct):
    world = direct.world
    return {
        "police": serve(direct),
        "hospital": serve(direct, by=world.he_ping, item=direct.health, place="市人民医院"),
        "at_luozhuang": serve(direct, by=world.sun_lei, item=direct.airport, place="罗庄区窗口"),
    }


def visible(user):
    return set(DirectService.objects.visible_to(user).values_list("place", flat=True))


def test_each_person_sees_the_services_the_measures_give_them(direct, served):
    world = direct.world
    everything = {"市政务服务中心公安窗口", "市人民医院", "罗庄区窗口"}

    assert visible(world.li_ming_user) == everything  # the talent: their own
    assert visible(world.wang_fang) == everything  # their unit commissioner
    assert visible(world.chen_jing) == everything  # the home window
    assert visible(world.zhou_min) == everything  # the city window
    assert visible(world.admin) == everything
    assert visible(world.zhao_qiang) == {"市政务服务中心公安窗口"}  # their department's item
    assert visible(world.he_ping) == {"市人民医院"}  # their institution's service
    assert visible(world.sun_lei) == {"罗庄区窗口"}  # given at their window
    assert visible(world.qian_hui) == set()


def test_a_colleague_in_the_same_department_sees_its_services(direct, served):
    world = direct.world
    colleague = make_user("police_2", "第二位公安专员")
    appoint_commissioner(
        user=colleague,
        kind=PostKind.DEPARTMENT,
        organisation=world.departments["市公安局"],
        by=world.admin,
        at=world.at,
    )

    assert visible(colleague) == {"市政务服务中心公安窗口"}


def test_serving_or_being_booked_makes_the_talent_visible(direct):
    world = direct.world
    assert world.li_ming not in Talent.objects.visible_to(world.zhao_qiang)
    assert world.li_ming not in Talent.objects.visible_to(world.he_ping)

    serve(direct)
    book(direct, start=local(2026, 3, 4, 10), item=direct.health, post=world.he_ping.posts.get())

    assert set(Talent.objects.visible_to(world.zhao_qiang)) == {world.li_ming}
    assert set(Talent.objects.visible_to(world.he_ping)) == {world.li_ming}
    assert world.li_ming not in Talent.objects.visible_to(world.sun_lei)


def test_appointments_are_seen_by_both_sides_and_the_windows_concerned(direct):
    world = direct.world
    with_police = book(direct, start=local(2026, 3, 4, 10))
    with_window = book(
        direct, start=local(2026, 3, 4, 11), window=world.windows["罗庄区"], item=direct.airport
    )

    def seen(user):
        return set(Appointment.objects.visible_to(user))

    assert (
        seen(world.li_ming_user)
        == seen(world.wang_fang)
        == seen(world.chen_jing)
        == {with_police, with_window}
    )
    assert seen(world.zhao_qiang) == {with_police}
    assert seen(world.sun_lei) == {with_window}  # booked with the 罗庄区 window
    assert seen(world.he_ping) == seen(world.qian_hui) == set()
