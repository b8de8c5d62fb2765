"""The engagement pages: who sees what (anonymous → login, outsiders 404, others' pages 403), bad input is a
clear message that changes nothing, every list costs a fixed number of queries, photos only through the
permission check."""

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from huicai.engagement import actions
from huicai.engagement.choices import PushKind
from huicai.engagement.models import Gathering, Invitation, Photo, Push
from huicai.engagement.tests.conftest import JPG, PDF, jpg, later, make_gathering, make_rule


@pytest.fixture
def frozen(world):
    with time_machine.travel(world.at, tick=False):
        yield


@pytest.fixture
def gathering(world, frozen):
    gathering = make_gathering(world)
    actions.invite_talents(gathering, talents=[world.li_ming], by=world.chen_jing, at=world.at)
    return gathering


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- who sees what ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/engagement/gatherings/",
        "/engagement/pushes/",
        "/engagement/rules/",
        "/engagement/me/",
        "/engagement/achievements/",
    ],
)
def test_anonymous_visitors_are_sent_to_the_login(client, db, path):
    response = client.get(path)

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_public_achievements_page_answers_anonymous_visitors(client, db):
    assert client.get("/engagement/public/achievements/").status_code == 200


def test_a_window_of_another_county_sees_none_of_it(world, gathering, login):
    pushed = actions.send_push(
        window=world.windows["兰山区"],
        kind=PushKind.NOTICE,
        title="通知",
        body="内容",
        by=world.chen_jing,
        at=world.at,
    )
    outsider = login(world.sun_lei)

    assert outsider.get(f"/engagement/gatherings/{gathering.pk}/").status_code == 404
    assert outsider.get(f"/engagement/pushes/{pushed.pk}/").status_code == 404
    assert outsider.get(f"/engagement/talents/{world.li_ming.pk}/").status_code == 404
    assert (
        outsider.post(
            f"/engagement/gatherings/{gathering.pk}/check-in/", {"text": "YM2026000001"}
        ).status_code
        == 404
    )
    assert not Invitation.objects.filter(attended_at__isnull=False).exists()


def test_staff_pages_are_closed_to_talents_and_unit_commissioners(world, login):
    talent, unit = login(world.li_ming_user), login(world.wang_fang)

    assert talent.get("/engagement/gatherings/").status_code == 403
    assert talent.get("/engagement/pushes/new/").status_code == 403
    assert unit.get("/engagement/rules/").status_code == 403
    assert unit.get("/engagement/me/").status_code == 403


def test_the_menu_shows_each_their_own_link(world, login):
    staff_page = login(world.chen_jing).get("/engagement/gatherings/").content.decode()
    talent_page = login(world.li_ming_user).get("/engagement/me/").content.decode()

    assert "活动与推送" in staff_page and "惠享与活动" not in staff_page
    assert "惠享与活动" in talent_page and "活动与推送" not in talent_page


# --- bad input changes nothing ---------------------------------------------------------------------


def test_inviting_an_unknown_or_unseen_talent_is_a_message_not_an_error(world, gathering, login):
    window = login(world.chen_jing)

    unknown = window.post(
        f"/engagement/gatherings/{gathering.pk}/invite/", {"talents": ["999999"]}, follow=True
    )
    unseen = window.post(
        f"/engagement/gatherings/{gathering.pk}/invite/", {"talents": [world.liu_yang.pk]}, follow=True
    )
    garbage = window.post(
        f"/engagement/gatherings/{gathering.pk}/invite/", {"categories": ["x"]}, follow=True
    )

    for response in (unknown, unseen, garbage):
        assert response.status_code == 200
        assert response.redirect_chain[0][1] == 302
    assert "所选项目不存在或您无权选择。" in messages_of(unknown)[0]
    assert gathering.invitations.count() == 1


def test_a_gathering_ending_before_it_starts_is_refused_on_the_form(world, frozen, login):
    response = login(world.chen_jing).post(
        "/engagement/gatherings/new/",
        {
            "window": world.windows["兰山区"].pk,
            "title": "座谈会",
            "place": "人才之家",
            "starts_at": "2026-03-10T15:00",
            "ends_at": "2026-03-10T14:00",
        },
    )

    assert response.status_code == 200
    assert "结束时间必须晚于开始时间。" in response.content.decode()
    assert not Gathering.objects.exists()


def test_a_gathering_for_another_window_is_refused_on_the_form(world, frozen, login):
    response = login(world.chen_jing).post(
        "/engagement/gatherings/new/",
        {
            "window": world.windows["罗庄区"].pk,
            "title": "座谈会",
            "place": "人才之家",
            "starts_at": "2026-03-10T14:00",
            "ends_at": "2026-03-10T15:00",
        },
    )

    assert response.status_code == 200
    assert "您不能以该窗口名义组织活动。" in response.content.decode()


def test_a_bad_card_at_the_door_is_a_clear_message(world, gathering, login):
    response = login(world.chen_jing).post(
        f"/engagement/gatherings/{gathering.pk}/check-in/",
        {"text": "HUICAI-CARD:YM2026000001:0000"},
        follow=True,
    )

    assert messages_of(response) == ["二维码校验失败，可能是伪造或被篡改的二维码。"]
    assert not Invitation.objects.filter(attended_at__isnull=False).exists()


def test_a_pdf_posing_as_a_photo_is_refused(world, gathering, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    fake = SimpleUploadedFile("x.jpg", PDF, content_type="image/jpeg")

    response = login(world.chen_jing).post(
        f"/engagement/gatherings/{gathering.pk}/photos/", {"file": fake}, follow=True
    )

    assert messages_of(response) == ["照片只接受 JPG、PNG 图片。"]
    assert not Photo.objects.exists()


def test_a_push_without_its_policy_is_refused_on_the_form(world, login):
    response = login(world.chen_jing).post(
        "/engagement/pushes/new/",
        {"window": world.windows["兰山区"].pk, "kind": PushKind.POLICY, "title": "政策", "body": "内容"},
    )

    assert response.status_code == 200
    assert "推送政策须选择一项现行有效的政策。" in response.content.decode()
    assert not Push.objects.exists()


def test_a_rule_with_an_impossible_age_range_is_refused_on_the_form(eng, login):
    response = login(eng.world.chen_jing).post(
        f"/engagement/rules/policy/{eng.policy.pk}/", {"min_age": "50", "max_age": "40", "is_active": "on"}
    )

    assert response.status_code == 200
    assert "最高年龄不能小于最低年龄。" in response.content.decode()


def test_an_rsvp_without_an_answer_changes_nothing(world, gathering, login):
    invitation = gathering.invitations.get()

    response = login(world.li_ming_user).post(
        f"/engagement/me/invitations/{invitation.pk}/rsvp/", {"answer": "maybe"}, follow=True
    )

    assert messages_of(response) == ["请选择参加或不参加。"]
    invitation.refresh_from_db()
    assert invitation.rsvp == "pending"


def test_unknown_ids_are_404(world, login):
    window = login(world.chen_jing)

    for path in [
        "/engagement/gatherings/999999/",
        "/engagement/pushes/999999/",
        "/engagement/rules/999999/",
        "/engagement/achievements/999999/",
        "/engagement/photos/999999/",
    ]:
        assert window.get(path).status_code == 404


# --- photos through the permission check -------------------------------------------------------------


def test_a_gathering_photo_is_seen_by_the_invited_talent_and_no_outsider(
    world, gathering, login, client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    photo = actions.add_gathering_photo(gathering, file=jpg(), by=world.chen_jing, at=world.at)

    seen = login(world.li_ming_user).get(f"/engagement/photos/{photo.pk}/")

    assert seen.status_code == 200 and b"".join(seen.streaming_content) == JPG
    assert login(world.sun_lei).get(f"/engagement/photos/{photo.pk}/").status_code == 404
    client.logout()
    assert client.get(f"/engagement/photos/{photo.pk}/").status_code == 404


def test_an_achievement_photo_is_public_only_while_published(world, login, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    achievement = actions.record_achievement(
        world.li_ming,
        title="获奖",
        summary="省科技进步奖。",
        achieved_date=world.today,
        by=world.chen_jing,
        at=world.at,
    )
    photo = actions.add_achievement_photo(achievement, file=jpg(), by=world.chen_jing, at=world.at)

    assert client.get(f"/engagement/photos/{photo.pk}/").status_code == 404
    actions.consent_to_publication(achievement, by=world.li_ming_user, at=world.at)
    actions.publish_achievement(achievement, by=world.chen_jing, at=world.at)
    assert client.get(f"/engagement/photos/{photo.pk}/").status_code == 200
    actions.withdraw_consent(achievement, by=world.li_ming_user, at=world.at)
    assert client.get(f"/engagement/photos/{photo.pk}/").status_code == 404


# --- the talent's page ------------------------------------------------------------------------------


def test_the_talents_page_says_what_they_may_enjoy_and_why(eng, frozen, login):
    world = eng.world
    make_rule(eng, max_age=45, grant_without_application=True)

    page = login(world.li_ming_user).get("/engagement/me/").content.decode()

    assert "您可能可以享受" in page
    assert "兰山区高层次人才安家补贴" in page and "因为：年龄43周岁" in page and "免申即享" in page
    assert "W16" not in page  # talents never see article numbers


def test_the_talent_opts_out_from_the_page(world, login):
    talent = login(world.li_ming_user)

    response = talent.post("/engagement/me/preference/", {"opted_out": "1"}, follow=True)

    assert messages_of(response) == ["已退订主动推送。"]
    assert world.li_ming.engagement_preference.offers_opted_out is True


def test_the_window_grants_from_the_rule_page(eng, frozen, login):
    world = eng.world
    rule = make_rule(eng, max_age=45, grant_without_application=True)
    window = login(world.chen_jing)

    listed = window.get(f"/engagement/rules/{rule.pk}/").content.decode()
    response = window.post(
        f"/engagement/rules/{rule.pk}/grant/{world.li_ming.pk}/", {"note": "已拨付"}, follow=True
    )

    assert "李明" in listed and "年龄43周岁" in listed
    assert messages_of(response) == ["已为 李明 办理免申即享。"]
    assert rule.grants.get().note == "已拨付"


# --- query counts -------------------------------------------------------------------------------------


def _many_gatherings(world, count):
    for n in range(count):
        make_gathering(world, days=7 + n)


def test_the_gathering_list_costs_the_same_whatever_its_length(
    world, frozen, login, django_assert_num_queries
):
    window = login(world.chen_jing)
    _many_gatherings(world, 1)
    window.get("/engagement/gatherings/")
    with django_assert_num_queries(10) as few:
        window.get("/engagement/gatherings/")
    _many_gatherings(world, 5)

    with django_assert_num_queries(len(few.captured_queries)):
        window.get("/engagement/gatherings/")


def test_the_gathering_page_costs_the_same_whatever_the_number_invited(
    world, frozen, login, django_assert_max_num_queries
):
    gathering = make_gathering(world, by=world.zhou_min, window=world.windows["临沂市"])
    actions.invite_talents(gathering, by=world.zhou_min, at=world.at)
    actions.check_in_from_list(gathering, talent=world.li_ming, by=world.zhou_min, at=world.at)

    city = login(world.zhou_min)

    with django_assert_max_num_queries(24):
        response = city.get(f"/engagement/gatherings/{gathering.pk}/")

    assert response.status_code == 200


def test_the_push_pages_cost_a_fixed_number_of_queries(eng, login, django_assert_max_num_queries):
    world = eng.world
    for n in range(3):
        actions.send_push(
            window=world.windows["临沂市"],
            kind=PushKind.NOTICE,
            title=f"通知{n}",
            body="内容",
            by=world.zhou_min,
            at=world.at,
        )
    city = login(world.zhou_min)
    latest = Push.objects.first()

    with django_assert_max_num_queries(12):
        city.get("/engagement/pushes/")
    with django_assert_max_num_queries(14):
        city.get(f"/engagement/pushes/{latest.pk}/")


def test_the_talents_page_and_the_rule_page_cost_a_fixed_number_of_queries(
    eng, login, django_assert_max_num_queries
):
    world = eng.world
    rule = make_rule(eng, max_age=45)
    actions.save_rule(service_item=eng.item, by=world.zhou_min, at=world.at)
    for n in range(3):
        actions.send_push(
            window=world.windows["临沂市"],
            kind=PushKind.NOTICE,
            title=f"通知{n}",
            body="内容",
            by=world.zhou_min,
            at=world.at,
        )

    talent, city = login(world.li_ming_user), login(world.zhou_min)

    with django_assert_max_num_queries(24):
        assert talent.get("/engagement/me/").status_code == 200
    with django_assert_max_num_queries(16):
        assert city.get(f"/engagement/rules/{rule.pk}/").status_code == 200


def test_the_achievement_lists_cost_a_fixed_number_of_queries(
    world, login, client, django_assert_max_num_queries
):
    for n in range(4):
        achievement = actions.record_achievement(
            world.li_ming,
            title=f"成果{n}",
            summary="……",
            achieved_date=world.today,
            by=world.chen_jing,
            at=world.at,
        )
        actions.consent_to_publication(achievement, by=world.li_ming_user, at=world.at)
        actions.publish_achievement(achievement, by=world.chen_jing, at=later(world, minutes=n))

    window = login(world.chen_jing)
    client.logout()

    with django_assert_max_num_queries(10):
        assert window.get("/engagement/achievements/").status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get("/engagement/public/achievements/").status_code == 200
