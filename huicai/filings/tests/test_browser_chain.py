"""The chain park → county → city in a real browser (W14, S18): the park window files its quarter, the county
returns it with a reason, the park corrects and refiles it, the county accepts; the county files its year
with the city, which accepts; the city reads the tree."""

import pytest
from playwright.sync_api import expect

from huicai.filings import periods
from huicai.filings.choices import FilingKind, FilingStatus
from huicai.filings.models import Filing
from huicai.filings.tests.conftest import open_window

# The browser test's Debian chromium, its signed-in pages and one-request-at-a-time live server.
from huicai.workbench.tests.conftest import _one_request_at_a_time, chromium, sign_in  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def status_is(page, text):
    expect(page.locator("#filing-status")).to_have_text(text)


def test_a_quarter_goes_up_and_back_and_up_and_a_year_goes_to_the_city(tree, sign_in, live_server):  # noqa: F811
    world, base = tree.world, live_server.url
    quarter = open_window(tree.park, period=periods.parse("2026-Q1"))
    year = open_window(tree.lanshan, kind=FilingKind.ANNUAL, period=periods.parse("2025"))

    # 1. The park files its quarter from the list.
    park = sign_in(tree.ma_li)
    park.goto(f"{base}/filings/?box=mine")
    park.get_by_role("link", name="2026年第1季度").click()
    expect(park.locator("#snapshot")).to_contain_text("草稿预览")
    park.fill("#id_remarks-remarks", "一季度服务园区人才。")
    park.locator("#file-button").click()
    status_is(park, "已报送待审核")
    expect(park.locator("#checksum")).to_have_text(Filing.objects.get(pk=quarter.pk).versions.get().checksum)

    # 2. The county returns it with a reason.
    county = sign_in(world.chen_jing)
    county.goto(f"{base}/filings/?box=incoming")
    county.get_by_role("link", name="2026年第1季度").click()
    county.fill("#id_return-reason", "请补充园区人才困难诉求的办理情况。")
    county.locator("#return-button").click()
    status_is(county, "已退回待修改")

    # 3. The park reads the reason, corrects and refiles.
    park.goto(f"{base}/filings/{quarter.pk}/")
    expect(park.locator("body")).to_contain_text("请补充园区人才困难诉求的办理情况。")
    park.fill("#id_remarks-remarks", "已补充：困难诉求两件均已办结。")
    park.locator("#file-button").click()
    status_is(park, "已重新报送待审核")

    # 4. The county accepts the second version; the first stays, read-only.
    county.goto(f"{base}/filings/{quarter.pk}/")
    county.locator("#accept-button").click()
    status_is(county, "已接收")
    expect(county.get_by_role("link", name="第1版")).to_be_visible()
    county.get_by_role("link", name="第1版").click()
    expect(county.locator("#snapshot")).to_contain_text("只读的历史版本")
    expect(county.locator("#snapshot")).to_contain_text("一季度服务园区人才。")

    # 5. The county files its year with the city.
    county.goto(f"{base}/filings/{year.pk}/")
    county.fill("#id_remarks-remarks", "2025年度服务档案。")
    county.locator("#file-button").click()
    status_is(county, "已报送待审核")

    # 6. The city accepts, and sees the tree.
    city = sign_in(world.zhou_min)
    city.goto(f"{base}/filings/{year.pk}/")
    city.locator("#accept-button").click()
    status_is(city, "已接收")
    city.goto(f"{base}/filings/tree/?period=2026-Q1")
    expect(city.locator(f"#filing-tree tr[data-window='{tree.park.pk}']")).to_contain_text("已接收")

    quarter.refresh_from_db()
    year.refresh_from_db()
    assert (quarter.status, quarter.current_number, year.status) == (
        FilingStatus.ACCEPTED,
        2,
        FilingStatus.ACCEPTED,
    )
