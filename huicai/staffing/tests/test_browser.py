"""In a real browser: the 兰山区 window officer acknowledges a change record from the list (S19), and the
unit commissioner reads their own scorecard on a 360-px phone, figure by figure down to the records (S21)."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from huicai.staffing import actions
from huicai.staffing.choices import ChangeStatus, Period
from huicai.staffing.models import ChangeRecord

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WEIGHTS = {"steps": 30, "supplements": 20, "ratings": 20, "filings": 10, "training": 10, "rectifications": 10}
PHONE_360 = {"width": 360, "height": 740}


def test_the_window_acknowledges_a_change_and_the_commissioner_reads_the_scorecard_on_a_phone(
    world, ma_li_post, sign_in, live_server
):
    base = live_server.url
    actions.record_post_changes(at=world.at + datetime.timedelta(days=2))
    record = ChangeRecord.objects.get(post=ma_li_post)
    actions.create_weights_version(weights=WEIGHTS, by=world.zhou_min, at=world.at)
    card = actions.compute_scorecard(
        world.wang_fang_post,
        period=Period.MONTH,
        period_start=datetime.date(2026, 3, 1),
        at=datetime.datetime(2026, 4, 1, 2, 0, tzinfo=datetime.UTC),
    )

    # 1. The window officer: from the menu to the pending change, then acknowledges it.
    window = sign_in(world.chen_jing)
    window.goto(f"{base}/staffing/")
    window.get_by_role("link", name="专员变更备案").first.click()
    window.get_by_role("link", name=record.description).click()
    expect(window.locator("#change-status")).to_have_text("待报备")
    window.fill("#ack-note", "已录入本级名册")
    window.locator("#acknowledge").click()
    expect(window.locator("#change-status")).to_have_text("已备案")
    expect(window.locator(".messages")).to_contain_text("已确认备案")
    record.refresh_from_db()
    assert (record.status, record.acknowledged_by) == (ChangeStatus.ACKNOWLEDGED, world.chen_jing)

    # 2. The unit commissioner on a phone: the menu leads to their own scorecards.
    phone = sign_in(world.wang_fang, viewport=PHONE_360)
    phone.goto(f"{base}/")
    phone.get_by_role("button", name="菜单").click()
    phone.get_by_role("link", name="我的考核").click()
    expect(phone).to_have_url(re.compile(r"/staffing/mine/$"))
    phone.get_by_role("link", name=re.compile("2026-03")).click()
    expect(phone.locator("#scorecard-total")).to_have_text(str(card.total))
    expect(phone.get_by_text("暂无数据").first).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone.get_by_role("link", name="培训学时达成率").click()
    expect(phone.locator("h1")).to_have_text("培训学时达成率")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
