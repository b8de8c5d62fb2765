"""The managers' dashboard (W17): figures counted in the manager's jurisdiction, each chart linked to the
list behind it, exportable to Excel (audited), drawn by our own script from a JSON endpoint."""

import datetime
import io

import openpyxl
import pytest
import time_machine

from huicai.casework import actions
from huicai.commissioners.actions import appoint_commissioner
from huicai.core.models import AuditEvent
from huicai.testing import make_user
from huicai.workbench.dashboard import _cell
from huicai.workbench.tests.conftest import commissioner_of, later, prepare, split_by_suggestion, submitted

FRIDAY = datetime.datetime(2026, 3, 13, 2, 0, tzinfo=datetime.UTC)


@pytest.fixture
def figures(case):
    """兰山区: li_ming's three-item application split; 市公安局 completes on time, 市教育局 late, housing open
    and overdue. 罗庄区: one application of liu_yang's, straight to 市公安局, still pending."""
    world = case.world
    application = submitted(case, [case.hukou, case.housing, case.school])
    tasks = {t.department.short_name: t for t in split_by_suggestion(case, application)}
    for task in tasks.values():
        actions.accept_task(task, by=commissioner_of(case, task), at=world.at)
    actions.complete_task(tasks["市公安局"], result="handled", by=case.police, at=later(world, days=1))
    # 市教育局: 5 working days from Mon 2 March is Mon 9 March; completed Wed 11 March, late.
    actions.complete_task(
        tasks["市教育局"], result="handled", by=case.school_commissioner, at=later(world, days=9)
    )
    luozhuang = prepare(case, [case.hukou], talent=world.liu_yang, by=world.qian_hui)
    actions.submit_application(luozhuang, by=world.qian_hui, at=world.at)
    manager = make_user("luozhuang_boss", "罗庄负责人")
    appoint_commissioner(
        user=manager,
        kind="window",
        organisation=world.windows["罗庄区"],
        is_manager=True,
        by=world.admin,
        at=world.at,
    )
    return {"application": application, "tasks": tasks, "luozhuang": luozhuang, "manager": manager}


def charts(response):
    return {chart["key"]: chart for chart in response.json()["charts"]}


def test_the_city_sees_every_county_and_a_county_manager_only_their_own(case, figures, login):
    with time_machine.travel(FRIDAY, tick=False):
        city = login(case.world.zhou_min).get("/workbench/dashboard/data/")
        county = login(figures["manager"]).get("/workbench/dashboard/data/")

    assert city.json()["scope"] == "全市"
    assert charts(city)["applications_per_month"]["series"][0]["data"][-1] == 2
    assert county.json()["scope"] == "罗庄区高层次人才服务窗口"
    assert charts(county)["applications_per_month"]["series"][0]["data"][-1] == 1
    assert charts(county)["on_time_by_department"]["categories"] == []
    assert county.json()["stats"]["talents"] == 1


def test_on_time_rates_are_counted_against_each_tasks_due_date(case, figures, login):
    with time_machine.travel(FRIDAY, tick=False):
        data = login(case.world.zhou_min).get("/workbench/dashboard/data/").json()

    by_department = next(c for c in data["charts"] if c["key"] == "on_time_by_department")
    rates = dict(zip(by_department["categories"], by_department["series"][0]["data"], strict=True))
    assert rates == {"临沂市公安局": 100.0, "临沂市教育局": 0.0}
    by_window = next(c for c in data["charts"] if c["key"] == "on_time_by_window")
    assert dict(zip(by_window["categories"], by_window["series"][0]["data"], strict=True)) == {
        "兰山区高层次人才服务窗口": 50.0
    }
    assert data["stats"]["on_time_rate"] == 50.0 and data["stats"]["completed"] == 2


def test_open_and_overdue_tasks_are_counted_by_department_with_their_lists(case, figures, login):
    # Housing (10 working days from Mon 2 March) is due Mon 16 March: overdue on Tuesday 17 March.
    with time_machine.travel(datetime.datetime(2026, 3, 17, 2, 0, tzinfo=datetime.UTC), tick=False):
        client = login(case.world.zhou_min)
        data = client.get("/workbench/dashboard/data/").json()
        chart = next(c for c in data["charts"] if c["key"] == "open_and_overdue")
        rows = {
            name: (opened, overdue, link)
            for name, opened, overdue, link in zip(
                chart["categories"],
                chart["series"][0]["data"],
                chart["series"][1]["data"],
                chart["series"][1]["links"],
                strict=True,
            )
        }
        behind = client.get(rows["临沂市住房和城乡建设局"][2]).content.decode()

    assert rows["临沂市住房和城乡建设局"][:2] == (1, 1)
    # 市公安局: liu_yang's task is pending (no deadline yet), so open but not overdue.
    assert rows["临沂市公安局"][:2] == (1, 0)
    assert data["stats"]["open"] == 2 and data["stats"]["overdue"] == 1
    assert figures["tasks"]["市住房和城乡建设局"].number in behind and "已逾期" in behind


def test_each_bar_links_to_the_list_behind_it(case, figures, login):
    with time_machine.travel(FRIDAY, tick=False):
        client = login(case.world.zhou_min)
        data = client.get("/workbench/dashboard/data/").json()
        month = next(c for c in data["charts"] if c["key"] == "applications_per_month")
        this_month = client.get(month["series"][0]["links"][-1]).content.decode()
        late = client.get(
            f"/workbench/dashboard/tasks/?state=late&department={case.world.departments['市教育局'].pk}"
        ).content.decode()

    assert month["series"][0]["links"][-1] == "/workbench/dashboard/applications/?month=2026-03"
    assert figures["application"].number in this_month and figures["luozhuang"].number in this_month
    assert figures["tasks"]["市教育局"].number in late and figures["tasks"]["市公安局"].number not in late


def test_the_page_draws_with_our_script_and_shows_the_same_figures_in_tables(case, figures, login):
    with time_machine.travel(FRIDAY, tick=False):
        page = login(case.world.zhou_min).get("/workbench/dashboard/").content.decode()

    assert 'data-source="/workbench/dashboard/data/"' in page
    assert (
        'src="/static/workbench/vendor/echarts.min.js"' in page
        and 'src="/static/workbench/dashboard.js"' in page
    )
    assert "<script>" not in page  # CSP script-src 'self': nothing inline
    assert '<table id="table-on_time_by_department">' in page
    assert '<a href="/workbench/dashboard/tasks/?department=' in page


def test_a_bad_filter_is_explained_and_lists_nothing(case, figures, login):
    page = login(case.world.zhou_min).get("/workbench/dashboard/applications/?month=2026-13").content.decode()

    assert "月份格式应为 YYYY-MM" in page and "没有符合条件的申办" in page


def test_the_export_is_a_workbook_of_the_figures_and_is_audited(case, figures, login):
    with time_machine.travel(FRIDAY, tick=False):
        response = login(case.world.zhou_min).get("/workbench/dashboard/export/")

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="huicai-dashboard-20260313.xlsx"'
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[0] == "概况" and "各部门按时办结率（近12个月）" in workbook.sheetnames
    rows = list(workbook["各部门按时办结率（近12个月）"].values)
    assert rows[0] == ("主管部门", "按时办结率", "办结数", "按时办结数")
    assert ("临沂市教育局", 0.0, 1, 0) in rows
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.EXPORT)
    assert event.actor == case.world.zhou_min and event.detail == "workbench dashboard:all"


def test_one_chart_can_be_exported_alone(case, figures, login):
    response = login(case.world.zhou_min).get("/workbench/dashboard/export/?chart=open_and_overdue")

    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["概况", "各部门在办与逾期任务"]
    assert (
        AuditEvent.objects.get(kind=AuditEvent.Kind.EXPORT).detail == "workbench dashboard:open_and_overdue"
    )


def test_an_unknown_chart_is_not_found_and_exports_nothing(case, login):
    response = login(case.world.zhou_min).get("/workbench/dashboard/export/?chart=everything")

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT).exists()


@pytest.mark.parametrize("text", ["=1+1", "+86", "-3", "@SUM(A1)"])
def test_text_a_spreadsheet_would_run_as_a_formula_is_quoted(text):
    assert _cell(text) == "'" + text
    assert _cell("临沂市公安局") == "临沂市公安局" and _cell(3) == 3


def test_satisfaction_is_the_share_of_good_ratings_per_department(case, login, frozen):
    from huicai.ratings import actions as ratings

    world = case.world
    good = {"overall": 5, "efficiency": 5, "service_level": 5, "attitude": 5}
    bad = {"overall": 1, "efficiency": 1, "service_level": 2, "attitude": 2}
    for scores in (good, bad):
        task = actions.accept_task(submitted(case, [case.hukou]).tasks.get(), by=case.police, at=world.at)
        task = actions.complete_task(task, result="handled", by=case.police, at=world.at)
        ratings.rate_service(
            task=task, mode="offline", scores=scores, comment="太慢", by=world.li_ming_user, at=world.at
        )

    city = login(world.zhou_min).get("/workbench/dashboard/data/").json()
    other_county = login(world.sun_lei).get("/workbench/dashboard/data/")

    chart = next(c for c in city["charts"] if c["key"] == "satisfaction_by_department")
    assert chart["categories"] == ["临沂市公安局"] and chart["series"][0]["data"] == [50.0]
    assert chart["series"][0]["links"] == ["/ratings/"]
    assert other_county.status_code == 403  # a window commissioner who manages nothing has no dashboard
