"""The pages: who sees what (anonymous → login, outsider → 404, may see but not act → 403), bad input changes
nothing, and every list costs a fixed number of queries whatever its length."""

import datetime
from decimal import Decimal

import pytest

from huicai.accounts.models import User
from huicai.commissioners.actions import appoint_commissioner
from huicai.commissioners.choices import PostKind
from huicai.staffing import actions
from huicai.staffing.choices import ChangeStatus, Period
from huicai.staffing.models import ChangeRecord, TrainingSession
from huicai.staffing.tests.conftest import WEDNESDAY

WEIGHTS = {"steps": 30, "supplements": 20, "ratings": 20, "filings": 10, "training": 10, "rectifications": 10}
LATER = datetime.datetime(2026, 4, 2, 2, 0, tzinfo=datetime.UTC)


def appoint_units(world, count, start=0):
    """``count`` more unit commissioners at Linyi Pharma, appointed on Wednesday."""
    posts = []
    for n in range(count):
        person = User.objects.create_user(username=f"unit_{start + n}", full_name=f"单位专员{start + n}")
        posts.append(
            appoint_commissioner(
                user=person,
                kind=PostKind.UNIT,
                organisation=world.linyi_pharma,
                by=world.chen_jing,
                at=WEDNESDAY,
            )
        )
    return posts


@pytest.fixture
def record(world, ma_li_post):
    actions.record_post_changes(at=WEDNESDAY)
    return ChangeRecord.objects.get(post=ma_li_post)


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    for path in ["/staffing/", "/staffing/changes/", "/staffing/scorecards/", "/staffing/mine/"]:
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_another_countys_window_gets_404_for_a_change_record(world, record, login):
    client = login(world.sun_lei)

    assert client.get(f"/staffing/changes/{record.pk}/").status_code == 404
    assert client.post(f"/staffing/changes/{record.pk}/acknowledge/").status_code == 404
    assert ChangeRecord.objects.get(pk=record.pk).status == ChangeStatus.PENDING


def test_the_unit_may_see_but_not_acknowledge(world, record, login):
    client = login(world.wang_fang)

    page = client.get(f"/staffing/changes/{record.pk}/")
    refused = client.post(f"/staffing/changes/{record.pk}/acknowledge/", {"version": record.version})

    assert page.status_code == 200
    assert "报本级窗口备案" in page.content.decode()
    assert refused.status_code == 403


def test_the_window_acknowledges_on_the_page(world, record, login):
    response = login(world.chen_jing).post(
        f"/staffing/changes/{record.pk}/acknowledge/", {"version": record.version, "note": "已入册"}
    )

    assert response.status_code == 302
    assert ChangeRecord.objects.get(pk=record.pk).status == ChangeStatus.ACKNOWLEDGED


def test_a_stale_form_changes_nothing_and_says_so(world, record, login):
    actions.file_change(record, by=world.wang_fang, at=WEDNESDAY)

    response = login(world.chen_jing).post(
        f"/staffing/changes/{record.pk}/acknowledge/", {"version": record.version}, follow=True
    )

    assert "已被他人修改" in response.content.decode()
    assert ChangeRecord.objects.get(pk=record.pk).status == ChangeStatus.FILED


def test_ids_that_are_not_numbers_or_unknown_are_404(world, login):
    client = login(world.chen_jing)

    assert client.get("/staffing/changes/999999/").status_code == 404
    assert client.get("/staffing/scorecards/999999/steps/").status_code == 404
    assert client.post("/staffing/changes/999999/file/").status_code == 404


def test_a_contact_change_form_with_a_future_date_changes_nothing(world, login):
    response = login(world.wang_fang).post(
        "/staffing/changes/new/",
        {"post": world.wang_fang_post.pk, "change_date": "2099-01-01", "description": "新电话"},
    )

    assert response.status_code == 200
    assert "变更日期不能晚于今天。" in response.content.decode()
    assert not ChangeRecord.objects.exists()


def test_a_talent_has_no_staffing_pages(world, login):
    client = login(world.li_ming_user)

    assert client.get("/staffing/changes/").status_code == 200  # an empty list: nothing of theirs
    assert client.get("/staffing/scorecards/").status_code == 403
    assert client.get("/staffing/training/hours/").status_code == 403


def test_the_change_list_costs_the_same_for_one_or_many_records(world, login, django_assert_num_queries):
    client = login(world.chen_jing)
    appoint_units(world, 1)
    actions.record_post_changes(at=WEDNESDAY)
    client.get("/staffing/changes/")  # warm the session and scope

    with django_assert_num_queries(10) as few:
        client.get("/staffing/changes/?show=all")
    appoint_units(world, 5, start=100)
    actions.record_post_changes(at=WEDNESDAY)
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get("/staffing/changes/?show=all")

    assert page.content.decode().count("单位专员") >= 6


def test_the_scorecard_list_and_the_evidence_cost_a_fixed_number_of_queries(
    world, login, django_assert_max_num_queries
):
    appoint_units(world, 6)
    actions.create_weights_version(weights=WEIGHTS, by=world.zhou_min, at=world.at)
    actions.compute_scorecards(period=Period.MONTH, period_start=datetime.date(2026, 3, 1), at=LATER)
    client = login(world.chen_jing)
    client.get("/staffing/")
    card = world.wang_fang_post.scorecards.get()

    with django_assert_max_num_queries(10):
        listing = client.get("/staffing/scorecards/?period=month&month=2026-03")
    with django_assert_max_num_queries(10):
        detail = client.get(f"/staffing/scorecards/{card.pk}/")
    with django_assert_max_num_queries(12):
        evidence = client.get(f"/staffing/scorecards/{card.pk}/training/")

    assert listing.content.decode().count("单位专员") >= 7
    assert "暂无数据" in detail.content.decode()
    assert evidence.status_code == 200


def test_the_session_page_and_the_hours_list_cost_a_fixed_number_of_queries(
    world, login, django_assert_max_num_queries, django_assert_num_queries
):
    posts = appoint_units(world, 6)
    session = actions.create_training_session(
        window=world.windows["兰山区"],
        topic="政策解读",
        session_date=datetime.date(2026, 3, 10),
        hours=Decimal("4"),
        organiser="兰山区人社局",
        by=world.chen_jing,
        at=world.at,
    )
    actions.record_attendance(session, posts=posts, by=world.chen_jing, at=world.at)
    client = login(world.chen_jing)
    client.get("/staffing/")

    hours_page = f"/staffing/training/hours/?window={world.windows['兰山区'].pk}&year=2026"

    with django_assert_max_num_queries(14):
        detail = client.get(f"/staffing/training/{session.pk}/")
    with django_assert_max_num_queries(17) as few:
        client.get(hours_page)
    with django_assert_max_num_queries(11):
        sessions = client.get("/staffing/training/")
    appoint_units(world, 12, start=100)
    with django_assert_num_queries(len(few.captured_queries)):
        hours = client.get(hours_page)

    assert detail.content.decode().count("单位专员") >= 6
    assert "未达标" in hours.content.decode()
    assert "政策解读" in sessions.content.decode()


def test_the_window_creates_a_session_on_the_page_and_bad_hours_change_nothing(world, login):
    client = login(world.chen_jing)
    data = {
        "window": world.windows["兰山区"].pk,
        "topic": "政策解读",
        "session_date": "2026-03-10",
        "organiser": "兰山区人社局",
    }

    bad = client.post("/staffing/training/new/", {**data, "hours": "99"})
    good = client.post("/staffing/training/new/", {**data, "hours": "4"})

    assert bad.status_code == 200
    assert good.status_code == 302
    assert TrainingSession.objects.count() == 1


def test_a_commissioner_reads_their_own_scorecards_not_anothers(world, login):
    actions.create_weights_version(weights=WEIGHTS, by=world.zhou_min, at=world.at)
    actions.compute_scorecards(period=Period.MONTH, period_start=datetime.date(2026, 3, 1), at=LATER)
    own = world.wang_fang_post.scorecards.get()
    other = world.qian_hui_post.scorecards.get()
    client = login(world.wang_fang)

    assert client.get("/staffing/mine/").status_code == 200
    assert client.get(f"/staffing/scorecards/{own.pk}/").status_code == 200
    assert client.get(f"/staffing/scorecards/{other.pk}/").status_code == 404
    assert login(world.li_ming_user).get(f"/staffing/scorecards/{own.pk}/").status_code == 404


def test_only_the_city_manager_sets_weights_on_the_page(world, login):
    data = {**WEIGHTS, "note": "首版"}

    refused = login(world.chen_jing).post("/staffing/weights/", data)
    bad = login(world.zhou_min).post("/staffing/weights/", {**data, "steps": 31})
    good = login(world.zhou_min).post("/staffing/weights/", data)

    assert (refused.status_code, bad.status_code, good.status_code) == (403, 200, 302)
    assert "各项权重之和须为 100，现为 101。" in bad.content.decode()


def test_the_menu_shows_the_link_to_commissioners_only(world, login):
    assert "专员管理" in login(world.chen_jing).get("/staffing/").content.decode()
    assert "/staffing/" not in login(world.li_ming_user).get("/notifications/").content.decode()
    # A commissioner who keeps no registry is offered their own scorecards, and refused the window's page.
    unit = login(world.wang_fang)
    assert 'href="/staffing/mine/"' in unit.get("/notifications/").content.decode()
    assert unit.get("/staffing/").status_code == 403
    assert login(world.li_ming_user).get("/staffing/mine/").status_code == 403


def test_the_commendation_notice_weights_and_own_lists_cost_a_fixed_number_of_queries(
    world, login, django_assert_max_num_queries
):
    appoint_units(world, 6)
    actions.create_weights_version(weights=WEIGHTS, by=world.zhou_min, at=world.at)
    actions.compute_scorecards(period=Period.YEAR, period_start=datetime.date(2026, 1, 1), at=LATER)
    lanshan = world.windows["兰山区"]
    actions.draft_commendation_list(window=lanshan, year=2026, size=5, by=world.chen_jing, at=LATER)
    for card in world.wang_fang.posts.get().scorecards.all():
        notice = actions.draft_accountability_notice(
            post=card.post, year=2026, scorecard=card, reason="培训不足。", by=world.chen_jing, at=LATER
        )
        actions.issue_notice(notice, by=world.chen_jing, at=LATER)
    window = login(world.chen_jing)
    window.get("/staffing/")
    unit = login(world.wang_fang)
    unit.get("/staffing/mine/")

    with django_assert_max_num_queries(12):
        commendations = window.get("/staffing/commendations/")
    with django_assert_max_num_queries(14):
        detail = window.get(f"/staffing/commendations/{lanshan.commendation_lists.get().pk}/")
    with django_assert_max_num_queries(12):
        notices = window.get("/staffing/notices/?year=2026")
    with django_assert_max_num_queries(12):
        weights = window.get("/staffing/weights/")
    with django_assert_max_num_queries(12):
        mine = unit.get("/staffing/mine/")

    assert "2026" in commendations.content.decode()
    assert detail.content.decode().count('href="/staffing/scorecards/') == 5
    assert "王芳" in notices.content.decode()
    assert "第 1 版" in weights.content.decode()
    assert "2026 年度通报" in mine.content.decode()
