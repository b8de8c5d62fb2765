"""The pages: 待评价 and the rating form for the talent and the unit commissioner, the rectification list
and its forms for the department and the window. Anonymous → login; outsider → 404; wrong role → 403."""

import datetime
import re

import pytest
import time_machine

from huicai.ratings import actions
from huicai.ratings.choices import Channel, RectificationStatus, ResponseKind
from huicai.ratings.models import Rating, Rectification
from huicai.ratings.tests.conftest import completed_task, later, rate, rate_badly, serve

GOOD_POST = {"mode": "offline", "overall": "5", "efficiency": "5", "service_level": "4", "attitude": "5"}
BAD_POST = {**GOOD_POST, "overall": "1", "comment": "材料被退回三次，每次理由不同。"}


@pytest.fixture
def now(world):
    """The pages read the clock: Tuesday 2026-03-03 17:00 in Linyi, the day after world.at."""
    with time_machine.travel(later(world, days=1), tick=False) as traveller:
        yield traveller


# --- 待评价 and the rating form ------------------------------------------------------------------------


def test_the_talent_sees_the_completed_task_waiting_for_a_rating_and_rates_it(case, task, now, login):
    client = login(case.world.li_ming_user)

    pending = client.get("/ratings/pending/")
    form = client.get(f"/ratings/rate/task/{task.pk}/")
    response = client.post(f"/ratings/rate/task/{task.pk}/", GOOD_POST)

    assert "高层次人才落户" in pending.content.decode()
    assert f"/ratings/rate/task/{task.pk}/" in pending.content.decode()
    assert form.status_code == 200
    assert "服务态度" in form.content.decode()
    assert response.status_code == 302
    assert Rating.objects.get().channel == Channel.PLATFORM
    assert "暂无待评价的服务" in client.get("/ratings/pending/").content.decode()


def test_the_online_form_asks_the_online_indicators(case, task, now, login):
    client = login(case.world.li_ming_user)

    form = client.get(f"/ratings/rate/task/{task.pk}/?mode=online").content.decode()

    assert "平台易用性" in form
    assert "服务态度" not in form


def test_the_unit_commissioner_rates_on_behalf_of_the_talent(case, task, now, login):
    client = login(case.world.wang_fang)

    pending = client.get("/ratings/pending/").content.decode()
    response = client.post(f"/ratings/rate/task/{task.pk}/", GOOD_POST)

    assert "李明" in pending and "单位专员代评" in pending
    assert response.status_code == 302
    assert Rating.objects.get().channel == Channel.UNIT


def test_the_talent_rates_a_direct_service(direct, login):
    world = direct.world
    service = serve(direct)
    client = login(world.li_ming_user)

    with time_machine.travel(later(world, hours=2), tick=False):
        assert "出入境证件办理咨询" in client.get("/ratings/pending/").content.decode()
        response = client.post(f"/ratings/rate/service/{service.pk}/", {**GOOD_POST, "mode": "online"})

    assert response.status_code == 302
    assert Rating.objects.get().direct_service == service
    assert Rating.objects.get().mode == "offline"


def test_a_refused_rating_shows_the_reason_and_saves_nothing(case, task, login):
    client = login(case.world.li_ming_user)

    with time_machine.travel(datetime.datetime(2026, 3, 10, 9, tzinfo=datetime.UTC), tick=False):
        pending = client.get("/ratings/pending/").content.decode()
        response = client.post(f"/ratings/rate/task/{task.pk}/", GOOD_POST)

    assert "暂无待评价的服务" in pending
    assert response.status_code == 200
    assert "已超过评价期限：服务完成后 5 个工作日内可以评价（截至 2026-03-09）。" in response.content.decode()
    assert not Rating.objects.exists()


def test_a_bad_rating_without_a_reason_is_sent_back_with_the_message(case, task, now, login):
    client = login(case.world.li_ming_user)

    response = client.post(f"/ratings/rate/task/{task.pk}/", {**BAD_POST, "comment": ""})

    assert "请写明原因" in response.content.decode()
    assert not Rating.objects.exists()


def test_a_department_commissioner_has_no_pending_page_and_a_window_cannot_rate(case, task, now, login):
    world = case.world

    assert login(world.zhao_qiang).get("/ratings/pending/").status_code == 403
    assert login(world.chen_jing).get(f"/ratings/rate/task/{task.pk}/").status_code == 403
    assert login(world.chen_jing).post(f"/ratings/rate/task/{task.pk}/", GOOD_POST).status_code == 403
    assert not Rating.objects.exists()


def test_outsiders_get_404_on_the_rating_form(case, task, now, login):
    world = case.world

    for outsider in (world.sun_lei, world.qian_hui, case.housing_commissioner):
        assert login(outsider).get(f"/ratings/rate/task/{task.pk}/").status_code == 404, outsider


def test_anonymous_visitors_are_sent_to_log_in(case, task, client):
    for url in (
        "/ratings/",
        "/ratings/pending/",
        f"/ratings/rate/task/{task.pk}/",
        "/ratings/rectifications/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url


@pytest.mark.parametrize("count", [1, 4])
def test_the_pending_page_takes_the_same_queries_however_many_rows(
    case, now, login, django_assert_num_queries, count
):
    world = case.world
    for _ in range(count):
        completed_task(case)
    client = login(world.li_ming_user)

    # 12: the menu asks once whether the talent heads a department (supervision's board entry).
    with django_assert_num_queries(12):
        response = client.get("/ratings/pending/")

    assert response.content.decode().count("去评价") == count


@pytest.mark.parametrize("count", [1, 4])
def test_the_rating_list_takes_the_same_queries_however_many_rows(
    case, login, django_assert_num_queries, count
):
    world = case.world
    for _ in range(count):
        rate_badly(completed_task(case), by=world.li_ming_user, at=later(world, days=1))
    client = login(world.zhao_qiang)

    # 11: the menu asks once whether the commissioner heads a department (supervision's board entry).
    with django_assert_num_queries(11):
        response = client.get("/ratings/")

    assert response.content.decode().count("等了很久") == count


def test_the_rating_list_is_scoped_and_shows_the_rater_only_by_channel(case, task, login):
    world = case.world
    rate(task, by=world.wang_fang, at=later(world, days=1), comment="人才表示满意。")

    department_view = login(world.zhao_qiang).get("/ratings/").content.decode()
    outsider_view = login(world.sun_lei).get("/ratings/").content.decode()

    assert "单位专员代评" in department_view
    assert "王芳" not in department_view
    assert "人才表示满意" not in outsider_view


# --- rectifications ----------------------------------------------------------------------------------


@pytest.fixture
def opened(case, task):
    world = case.world
    return rate_badly(task, by=world.wang_fang, at=later(world, days=1)).rectification


def test_the_department_sees_its_rectifications_and_answers_one(case, opened, now, login):
    client = login(case.world.zhao_qiang)

    listing = client.get("/ratings/rectifications/").content.decode()
    detail = client.get(f"/ratings/rectifications/{opened.pk}/").content.decode()
    response = client.post(
        f"/ratings/rectifications/{opened.pk}/respond/",
        {
            "respond-kind": "immediate",
            "respond-note": "已当面致歉并一次性告知材料。",
            "respond-version": opened.version,
        },
    )

    assert "高层次人才落户" in listing
    assert "答复整改情况" in detail and "申诉" in detail
    assert "单位专员代评" in detail and "王芳" not in detail
    assert response.status_code == 302
    assert Rectification.objects.get().status == RectificationStatus.RESPONDED


def test_the_window_calls_back_and_rules_from_its_page(case, opened, now, login):
    world = case.world
    actions.appeal_rectification(
        opened, reason="人才未到场。", evidence="叫号记录。", by=world.zhao_qiang, at=later(world, days=1)
    )
    client = login(world.chen_jing)

    detail = client.get(f"/ratings/rectifications/{opened.pk}/").content.decode()
    response = client.post(
        f"/ratings/rectifications/{opened.pk}/rule/",
        {"rule-ruling": "rejected", "rule-note": "人才确已到场。"},
    )

    assert "裁定申诉" in detail and "人才未到场。" in detail
    assert response.status_code == 302
    assert Rectification.objects.get().status == RectificationStatus.OPEN


def test_a_failed_step_shows_the_reason_and_changes_nothing(case, opened, now, login):
    client = login(case.world.zhao_qiang)

    response = client.post(
        f"/ratings/rectifications/{opened.pk}/respond/",
        {"respond-kind": "by_date", "respond-note": "将优化流程。"},
        follow=True,
    )

    assert "限期整改须填写承诺完成日期。" in response.content.decode()
    assert Rectification.objects.get().status == RectificationStatus.OPEN


def test_the_talents_side_follows_the_rectification_but_cannot_act_or_read_the_appeal(
    case, opened, now, login
):
    world = case.world
    actions.appeal_rectification(
        opened, reason="恶意评价。", evidence="录音。", by=world.zhao_qiang, at=later(world, days=1)
    )
    client = login(world.li_ming_user)

    detail = client.get(f"/ratings/rectifications/{opened.pk}/")
    respond = client.post(
        f"/ratings/rectifications/{opened.pk}/respond/", {"respond-kind": "immediate", "respond-note": "x"}
    )
    rule = client.post(
        f"/ratings/rectifications/{opened.pk}/rule/", {"rule-ruling": "upheld", "rule-note": "x"}
    )

    assert detail.status_code == 200
    assert "恶意评价" not in detail.content.decode()
    assert respond.status_code == 403
    assert rule.status_code == 403
    assert client.get("/ratings/rectifications/").status_code == 403


def test_the_department_cannot_call_back_and_the_window_cannot_answer(case, opened, now, login):
    world = case.world

    callback = login(world.zhao_qiang).post(
        f"/ratings/rectifications/{opened.pk}/callback/", {"callback-result": "satisfied"}
    )
    respond = login(world.chen_jing).post(
        f"/ratings/rectifications/{opened.pk}/respond/", {"respond-kind": "immediate", "respond-note": "x"}
    )

    assert callback.status_code == 403
    assert respond.status_code == 403
    assert Rectification.objects.get().status == RectificationStatus.OPEN


def test_outsiders_get_404_on_a_rectification(case, opened, now, login):
    world = case.world

    for outsider in (world.sun_lei, world.qian_hui, case.housing_commissioner):
        client = login(outsider)
        assert client.get(f"/ratings/rectifications/{opened.pk}/").status_code == 404
        assert client.post(f"/ratings/rectifications/{opened.pk}/respond/").status_code == 404
        assert "高层次人才落户" not in client.get("/ratings/rectifications/").content.decode()


def test_an_unknown_step_is_404(case, opened, now, login):
    assert (
        login(case.world.zhao_qiang).post(f"/ratings/rectifications/{opened.pk}/delete/").status_code == 404
    )


@pytest.mark.parametrize("count", [1, 4])
def test_the_rectification_list_takes_the_same_queries_however_many_rows(
    case, login, django_assert_num_queries, count
):
    world = case.world
    for _ in range(count):
        rate_badly(completed_task(case), by=world.li_ming_user, at=later(world, days=1))
    client = login(world.chen_jing)

    with django_assert_num_queries(10):
        response = client.get("/ratings/rectifications/")

    rows = re.findall(r'href="/ratings/rectifications/\d+/"', response.content.decode())
    assert len(rows) == count  # the navigation's link to the list itself is not a row


def test_the_rectification_list_filters_by_status(case, opened, login):
    world = case.world
    actions.respond_rectification(
        opened, kind=ResponseKind.IMMEDIATE, note="已整改。", by=world.zhao_qiang, at=later(world, days=2)
    )
    actions.record_callback(opened, satisfied=True, by=world.chen_jing, at=later(world, days=3))
    client = login(world.chen_jing)

    active = client.get("/ratings/rectifications/").content.decode()
    closed = client.get("/ratings/rectifications/?status=closed").content.decode()

    assert "暂无整改" in active
    assert "高层次人才落户" in closed
