"""The window's commissioner registry pages (S19): who may use them, and that each change is the action's."""

import pytest

from huicai.commissioners.actions import appoint_commissioner
from huicai.commissioners.choices import PostKind
from huicai.commissioners.models import Post
from huicai.testing import make_user


@pytest.fixture
def colleague_post(world):
    return appoint_commissioner(
        user=make_user("zhang_li", "张丽"),
        kind=PostKind.UNIT,
        organisation=world.linyi_pharma,
        by=world.admin,
        at=world.at,
    )


def test_an_anonymous_visitor_is_sent_to_sign_in(world, client):
    response = client.get("/commissioners/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_window_of_another_county_gets_404_for_a_post_outside_its_jurisdiction(world, login):
    client = login(world.sun_lei)  # 罗庄区; 王芳 is at a 兰山区 employer

    assert client.get(f"/commissioners/{world.wang_fang_post.pk}/").status_code == 404
    assert client.post(f"/commissioners/{world.wang_fang_post.pk}/end/").status_code == 404
    world.wang_fang_post.refresh_from_db()
    assert world.wang_fang_post.active_to is None


def test_a_unit_commissioner_sees_their_own_post_but_may_not_end_it(world, login):
    client = login(world.wang_fang)

    assert client.get(f"/commissioners/{world.wang_fang_post.pk}/").status_code == 200
    assert client.get("/commissioners/").status_code == 403
    assert client.post(f"/commissioners/{world.wang_fang_post.pk}/end/").status_code == 403


def test_the_list_shows_the_jurisdictions_unit_posts_with_their_talent_counts(world, login, colleague_post):
    page = login(world.chen_jing).get("/commissioners/").content.decode()

    assert "王芳" in page and "张丽" in page
    assert "钱慧" not in page  # 罗庄区


def test_the_menu_offers_the_registry_to_window_staff_only(world, login):
    assert "专员名册" in login(world.chen_jing).get("/talents/").content.decode()
    assert "专员名册" not in login(world.wang_fang).get("/talents/").content.decode()


def test_ending_a_post_on_the_page_hands_its_talents_to_the_successor(world, login, colleague_post):
    client = login(world.chen_jing)

    response = client.post(
        f"/commissioners/{world.wang_fang_post.pk}/end/", {"successor": colleague_post.pk, "reason": "离职"}
    )

    assert response.status_code == 302
    world.wang_fang_post.refresh_from_db()
    assert world.wang_fang_post.active_to is not None
    assert world.li_ming.unit_assignments.open().get().post == colleague_post


def test_a_refused_end_shows_the_reason_and_changes_nothing(world, login):
    client = login(world.chen_jing)

    response = client.post(
        f"/commissioners/{world.wang_fang_post.pk}/end/", {"successor": world.qian_hui_post.pk}, follow=True
    )

    assert "选择一个有效的选项" in response.content.decode()  # 钱慧 is not offered: another employer
    world.wang_fang_post.refresh_from_db()
    assert world.wang_fang_post.active_to is None


def test_bulk_reassignment_on_the_page(world, login, colleague_post):
    client = login(world.chen_jing)

    client.post(
        f"/commissioners/{world.wang_fang_post.pk}/reassign/",
        {"talents": [world.li_ming.pk], "target": colleague_post.pk, "reason": "分工调整"},
    )

    assert world.li_ming.unit_assignments.open().get().post == colleague_post


def test_appointing_a_new_person_creates_their_account_and_post(world, login):
    client = login(world.chen_jing)

    response = client.post(
        "/commissioners/new/",
        {"username": "zhao_min", "full_name": "赵敏", "kind": "unit", "employer": world.linyi_pharma.pk},
    )

    post = Post.objects.get(user__username="zhao_min")
    assert response["Location"] == f"/commissioners/{post.pk}/"
    assert (post.kind, post.employer, post.user.full_name) == (PostKind.UNIT, world.linyi_pharma, "赵敏")
    assert post.events.get().by == world.chen_jing


def test_a_county_window_cannot_appoint_at_an_employer_of_another_county(world, login):
    client = login(world.chen_jing)

    client.post(
        "/commissioners/new/",
        {"username": "zhao_min", "full_name": "赵敏", "kind": "unit", "employer": world.luozhuang_steel.pk},
    )

    assert not Post.objects.filter(user__username="zhao_min").exists()


def test_a_transfer_on_the_page_opens_the_new_post(world, login, colleague_post):
    client = login(world.zhou_min)

    response = client.post(
        f"/commissioners/{world.wang_fang_post.pk}/transfer/",
        {"employer": world.luozhuang_steel.pk, "successor": colleague_post.pk},
    )

    new_post = Post.objects.get(user=world.wang_fang, active_to__isnull=True)
    assert response["Location"] == f"/commissioners/{new_post.pk}/"
    assert new_post.employer == world.luozhuang_steel
