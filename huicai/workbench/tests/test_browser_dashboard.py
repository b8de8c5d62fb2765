"""The managers' dashboard in a real browser (W17): ECharts draws every chart from the JSON endpoint under
the page's CSP, a click on a bar opens the list behind it, and the Excel export downloads."""

import io

import openpyxl
import pytest
from playwright.sync_api import expect

from huicai.casework import actions
from huicai.workbench.tests.conftest import commissioner_of, split_by_suggestion, submitted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CHARTS = [
    "applications_per_month",
    "on_time_by_department",
    "on_time_by_window",
    "open_and_overdue",
    "items_by_category",
]


def test_the_city_manager_reads_the_charts_follows_a_bar_and_exports_the_figures(case, sign_in, live_server):
    from django.utils import timezone

    world = case.world
    now = timezone.now()
    application = submitted(case, [case.hukou, case.housing, case.school], at=now)
    tasks = {t.department.short_name: t for t in split_by_suggestion(case, application, at=now)}
    police = actions.accept_task(tasks["市公安局"], by=case.police, at=now)
    actions.complete_task(police, result="handled", by=case.police, at=now)
    actions.accept_task(tasks["市教育局"], by=commissioner_of(case, tasks["市教育局"]), at=now)
    errors = []
    page = sign_in(world.zhou_min)
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    page.goto(f"{live_server.url}/workbench/")
    expect(page.locator("#charts")).to_have_attribute("data-ready", "true")

    for key in CHARTS:
        expect(page.locator(f"#chart-{key} canvas").first).to_be_visible()
    assert errors == []  # nothing blocked by the CSP, nothing thrown
    # Click the middle of the 市教育局 "在办" bar, where ECharts itself says it drew it.
    box = page.locator("#chart-open_and_overdue")
    index = page.evaluate(
        """() => {
            const chart = echarts.getInstanceByDom(document.getElementById('chart-open_and_overdue'));
            const option = chart.getOption();
            const index = option.xAxis[0].data.indexOf('临沂市教育局');
            const bar = chart.getModel().getSeriesByIndex(0).getData().getItemLayout(index);
            return {x: bar.x + bar.width / 2, y: bar.y + bar.height / 2};
        }"""
    )
    box.click(position=index)
    expect(page).to_have_url(
        f"{live_server.url}/workbench/dashboard/tasks/?department={world.departments['市教育局'].pk}&state=open"
    )
    expect(page.get_by_role("link", name=tasks["市教育局"].number)).to_be_visible()

    page.go_back()
    with page.expect_download() as download:
        page.get_by_role("link", name="导出全部（Excel）").click()
    workbook = openpyxl.load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    assert "各部门在办与逾期任务" in workbook.sheetnames
    rows = list(workbook["各部门按时办结率（近12个月）"].values)
    assert ("临沂市公安局", 100.0, 1, 1) in rows
