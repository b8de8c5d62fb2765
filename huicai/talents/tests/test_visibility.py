"""Who sees which talent (one visible_to per model); anything unseen is a 404 on pages and the API."""

import pytest
from django.utils import timezone

from huicai.commissioners.actions import assign_unit_commissioner
from huicai.talents.models import Talent, TalentCard


def visible(user):
    return set(Talent.objects.visible_to(user))


def test_a_talent_sees_only_themself(world):
    assert visible(world.li_ming_user) == {world.li_ming}


def test_a_unit_commissioner_sees_their_own_talents(world):
    assert visible(world.wang_fang) == {world.li_ming}
    assert visible(world.qian_hui) == {world.liu_yang}


def test_a_unit_commissioner_loses_a_talent_when_reassigned(world):
    from huicai.commissioners.actions import appoint_commissioner
    from huicai.commissioners.choices import PostKind
    from huicai.testing import make_user

    colleague = make_user("zhang_li", "张丽")
    post = appoint_commissioner(
        user=colleague, kind=PostKind.UNIT, organisation=world.linyi_pharma, by=world.admin, at=world.at
    )

    assign_unit_commissioner(
        world.li_ming, post=post, by=world.chen_jing, at=timezone.now(), reason="工作调整"
    )

    assert visible(world.wang_fang) == set()
    assert visible(colleague) == {world.li_ming}


def test_a_county_window_sees_the_talents_whose_home_window_is_itself(world):
    assert visible(world.chen_jing) == {world.li_ming}
    assert visible(world.sun_lei) == {world.liu_yang}


def test_the_city_window_sees_every_talent(world):
    assert visible(world.zhou_min) == {world.li_ming, world.liu_yang}


def test_a_department_or_undertaking_commissioner_sees_no_talent_yet(world):
    assert visible(world.zhao_qiang) == set()
    assert visible(world.he_ping) == set()


def test_the_system_administrator_sees_everything(world):
    assert visible(world.admin) == {world.li_ming, world.liu_yang}


def test_anonymous_sees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert visible(AnonymousUser()) == set()


def test_cards_follow_their_talents_visibility(world):
    assert set(TalentCard.objects.visible_to(world.chen_jing)) == {world.li_ming_card}
    assert set(TalentCard.objects.visible_to(world.sun_lei)) == set()


@pytest.mark.parametrize("persona", ["sun_lei", "zhao_qiang", "he_ping", "qian_hui"])
def test_outsiders_get_404_for_li_mings_page_and_api_record(world, login, persona):
    client = login(getattr(world, persona))

    page = client.get(f"/talents/{world.li_ming.pk}/")
    api = client.get(f"/api/v1/talents/{world.li_ming.pk}/")
    reveal = client.post(f"/talents/{world.li_ming.pk}/reveal/")

    assert page.status_code == 404
    assert api.status_code == 404
    assert api.json()["code"] == "not_found"
    assert reveal.status_code == 404


@pytest.mark.parametrize("persona", ["li_ming_user", "wang_fang", "chen_jing", "zhou_min", "admin"])
def test_those_in_jurisdiction_see_li_mings_page_and_api_record(world, login, persona):
    client = login(getattr(world, persona))

    page = client.get(f"/talents/{world.li_ming.pk}/")
    api = client.get(f"/api/v1/talents/{world.li_ming.pk}/")

    assert page.status_code == 200
    assert "李明" in page.content.decode()
    assert api.status_code == 200
    assert api.json()["name"] == "李明"


def test_anonymous_is_sent_to_login_and_refused_by_the_api(world, client):
    page = client.get(f"/talents/{world.li_ming.pk}/")
    api = client.get(f"/api/v1/talents/{world.li_ming.pk}/")

    assert page.status_code == 302
    assert page["Location"].startswith("/accounts/login/")
    assert api.status_code in (401, 403)
    assert api.json()["code"] == "not_authenticated"


def test_the_talent_list_shows_only_the_jurisdiction(world, login):
    client = login(world.chen_jing)

    content = client.get("/talents/").content.decode()

    assert "李明" in content
    assert "刘洋" not in content
