"""The pages for talents' accounts and their unit commissioner: who may use them, and their effects."""

import re

import pytest

from huicai.commissioners.actions import appoint_commissioner
from huicai.commissioners.choices import PostKind
from huicai.notifications import sms
from huicai.talents.models import TalentInvitation
from huicai.testing import make_user


@pytest.fixture(autouse=True)
def sms_outbox(settings):
    settings.HUICAI_SMS_BACKEND = "huicai.notifications.sms.LocmemSmsBackend"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


def test_an_anonymous_visitor_is_sent_to_sign_in(world, client):
    response = client.post(f"/talents/{world.liu_yang.pk}/invite/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_window_of_another_county_gets_404(world, login):
    client = login(world.chen_jing)  # 兰山区; 刘洋 belongs to 罗庄区

    assert client.post(f"/talents/{world.liu_yang.pk}/invite/").status_code == 404
    assert client.post(f"/talents/{world.liu_yang.pk}/employer/").status_code == 404
    assert not TalentInvitation.objects.exists()


def test_a_talent_who_sees_their_record_may_not_change_its_employer(world, login):
    client = login(world.li_ming_user)

    response = client.post(f"/talents/{world.li_ming.pk}/employer/", {"employer": world.luozhuang_steel.pk})

    assert response.status_code == 403


def test_the_unit_commissioner_invites_their_talent_and_the_page_shows_the_status(
    world, login, django_capture_on_commit_callbacks
):
    client = login(world.qian_hui)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/talents/{world.liu_yang.pk}/invite/")

    assert response.status_code == 302
    assert TalentInvitation.objects.get().sent_by == world.qian_hui
    page = client.get(f"/talents/{world.liu_yang.pk}/").content.decode()
    assert '<strong id="invitation-status">已邀请</strong>' in page
    assert "重新发送邀请" in page


def test_bulk_invitation_reaches_every_talent_in_reach_without_an_account(world, login):
    client = login(world.zhou_min)  # the city window sees both talents; 李明 already has an account

    client.post("/talents/invite/")

    assert list(TalentInvitation.objects.values_list("talent", flat=True)) == [world.liu_yang.pk]


def test_the_activation_page_opens_the_account_and_the_link_then_stops_working(
    world, client, django_capture_on_commit_callbacks, sms_outbox
):
    from django.utils import timezone

    from huicai.talents.actions import invite_talent

    with django_capture_on_commit_callbacks(execute=True):
        invite_talent(world.liu_yang, by=world.sun_lei, at=timezone.now())
    path = re.search(r"/talents/activate/[\w-]+/", sms_outbox[-1].text).group(0)
    form = {"username": "liuyang", "password1": "Liu-Yang-Secret-2026", "password2": "Liu-Yang-Secret-2026"}

    shown = client.get(path)
    done = client.post(path, form)
    again = client.get(path)

    assert "刘洋，您好" in shown.content.decode()
    assert (done.status_code, done["Location"]) == (302, "/accounts/login/")
    world.liu_yang.refresh_from_db()
    assert world.liu_yang.user.username == "liuyang"
    assert again.status_code == 410
    assert "该激活链接已经使用过" in again.content.decode()


def test_window_staff_change_a_talents_employer_on_the_page(world, login):
    client = login(world.chen_jing)

    response = client.post(f"/talents/{world.li_ming.pk}/employer/", {"employer": world.luozhuang_steel.pk})

    assert response.status_code == 302
    world.li_ming.refresh_from_db()
    assert world.li_ming.employer == world.luozhuang_steel
    assert world.li_ming.unit_assignments.open().get().post == world.qian_hui_post


def test_window_staff_give_a_talent_another_commissioner_of_the_same_employer(world, login):
    colleague = appoint_commissioner(
        user=make_user("zhang_li", "张丽"),
        kind=PostKind.UNIT,
        organisation=world.linyi_pharma,
        by=world.admin,
        at=world.at,
    )
    client = login(world.chen_jing)

    client.post(
        f"/talents/{world.li_ming.pk}/unit-commissioner/", {"post": colleague.pk, "reason": "分工调整"}
    )

    current = world.li_ming.unit_assignments.open().get()
    assert (current.post, current.reason, current.assigned_by) == (colleague, "分工调整", world.chen_jing)
