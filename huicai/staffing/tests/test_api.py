"""The API: change records read scoped like the pages, filed and acknowledged through the same actions, with
the toolkit's errors (404 unseen, 403 not allowed, 409 stale or already done); scorecards read-only."""

import datetime

import pytest
import time_machine

from huicai.staffing import actions
from huicai.staffing.choices import ChangeStatus, Period
from huicai.staffing.models import ChangeRecord
from huicai.staffing.tests.conftest import WEDNESDAY

WEIGHTS = {"steps": 30, "supplements": 20, "ratings": 20, "filings": 10, "training": 10, "rectifications": 10}


@pytest.fixture
def record(world, ma_li_post):
    actions.record_post_changes(at=WEDNESDAY)
    return ChangeRecord.objects.get(post=ma_li_post)


def test_the_window_lists_its_records_and_another_county_sees_none_of_them(world, record, login):
    mine = login(world.chen_jing).get("/api/v1/staffing/changes/").json()
    theirs = login(world.sun_lei).get("/api/v1/staffing/changes/").json()

    assert record.pk in [row["id"] for row in mine["results"]]
    assert record.pk not in [row["id"] for row in theirs["results"]]
    assert login(world.sun_lei).get(f"/api/v1/staffing/changes/{record.pk}/").status_code == 404


def test_the_unit_files_and_the_window_acknowledges_over_the_api(world, record, login):
    unit, window = login(world.wang_fang), login(world.chen_jing)
    with time_machine.travel(WEDNESDAY + datetime.timedelta(days=1), tick=False):
        filed = unit.post(
            f"/api/v1/staffing/changes/{record.pk}/file/",
            {"note": "新增专员"},
            content_type="application/json",
        )
        acknowledged = window.post(
            f"/api/v1/staffing/changes/{record.pk}/acknowledge/",
            {},
            content_type="application/json",
            headers={"If-Match": str(filed.json()["version"])},
        )

    assert filed.status_code == 200
    assert (acknowledged.status_code, acknowledged.json()["status"]) == (200, ChangeStatus.ACKNOWLEDGED)
    assert acknowledged.json()["filed_on_time"] is True


def test_refusals_are_403_409_and_400_and_change_nothing(world, record, login):
    unit = login(world.wang_fang)
    window = login(world.chen_jing)
    url = f"/api/v1/staffing/changes/{record.pk}"

    not_allowed = unit.post(f"{url}/acknowledge/", {}, content_type="application/json")
    stale = window.post(
        f"{url}/acknowledge/", {}, content_type="application/json", headers={"If-Match": "99"}
    )
    bad = window.post(f"{url}/acknowledge/", {"version": "x"}, content_type="application/json")

    assert (not_allowed.status_code, stale.status_code, bad.status_code) == (403, 409, 400)
    assert ChangeRecord.objects.get(pk=record.pk).status == ChangeStatus.PENDING


def test_the_lists_cost_a_fixed_number_of_queries(world, record, login, django_assert_max_num_queries):
    actions.create_weights_version(weights=WEIGHTS, by=world.zhou_min, at=world.at)
    actions.compute_scorecards(
        period=Period.MONTH,
        period_start=datetime.date(2026, 3, 1),
        at=datetime.datetime(2026, 4, 1, 2, 0, tzinfo=datetime.UTC),
    )
    client = login(world.chen_jing)
    client.get("/api/v1/staffing/changes/")

    with django_assert_max_num_queries(9):
        changes = client.get("/api/v1/staffing/changes/")
    with django_assert_max_num_queries(9):
        cards = client.get("/api/v1/staffing/scorecards/")

    assert changes.json()["count"] == 3  # the 兰山区 registry: wang_fang, chen_jing, ma_li
    assert cards.json()["count"] == 3  # the same three posts, all held in March
