"""The registry and talents' invitations over the API: the same actions, scoped like the pages."""

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


@pytest.fixture
def colleague_post(world):
    return appoint_commissioner(
        user=make_user("zhang_li", "张丽"),
        kind=PostKind.UNIT,
        organisation=world.linyi_pharma,
        by=world.admin,
        at=world.at,
    )


def test_ending_a_post_over_the_api_hands_over_its_talents(world, login, colleague_post):
    client = login(world.chen_jing)

    response = client.post(
        f"/api/v1/posts/{world.wang_fang_post.pk}/end/", {"successor": colleague_post.pk}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["active_to"] is not None
    assert world.li_ming.unit_assignments.open().get().post == colleague_post


def test_a_refused_end_is_400_with_the_reason(world, login):
    client = login(world.chen_jing)

    response = client.post(
        f"/api/v1/posts/{world.wang_fang_post.pk}/end/", {"successor": world.qian_hui_post.pk}
    )

    assert response.status_code == 400
    assert response.json()["errors"]["non_field_errors"] == ["接替人必须是同一用人单位的单位专员。"]


def test_a_post_outside_the_jurisdiction_is_404_over_the_api(world, login):
    response = login(world.sun_lei).post(f"/api/v1/posts/{world.wang_fang_post.pk}/end/")

    assert response.status_code == 404


def test_a_transfer_over_the_api_returns_the_new_post(world, login, colleague_post):
    response = login(world.zhou_min).post(
        f"/api/v1/posts/{world.wang_fang_post.pk}/transfer/",
        {"employer": world.luozhuang_steel.pk, "successor": colleague_post.pk},
    )

    assert response.status_code == 201
    assert response.json()["organisation"] == "罗庄钢铁有限公司"


def test_inviting_a_talent_over_the_api(world, login):
    response = login(world.sun_lei).post(f"/api/v1/talents/{world.liu_yang.pk}/invite/")

    assert response.status_code == 200
    assert response.json()["status"] == "invited"
    assert TalentInvitation.objects.get().talent == world.liu_yang


def test_a_talent_with_an_account_is_not_invited_over_the_api(world, login):
    response = login(world.chen_jing).post(f"/api/v1/talents/{world.li_ming.pk}/invite/")

    assert response.status_code == 400
    assert response.json()["errors"]["non_field_errors"] == ["该人才已开通账号，无需邀请。"]


def test_changing_a_talents_employer_over_the_api_moves_the_unit_commissioner(world, login):
    response = login(world.chen_jing).post(
        f"/api/v1/talents/{world.li_ming.pk}/employer/", {"employer": world.luozhuang_steel.pk}
    )

    assert response.status_code == 200
    assert response.json()["unit_commissioner"] == "钱慧"


def test_a_talent_may_not_change_their_own_employer_over_the_api(world, login):
    response = login(world.li_ming_user).post(
        f"/api/v1/talents/{world.li_ming.pk}/employer/", {"employer": world.luozhuang_steel.pk}
    )

    assert response.status_code == 403
    world.li_ming.refresh_from_db()
    assert world.li_ming.employer == world.linyi_pharma
