"""Grading in a real browser (W17–W20): the city grades a year and publishes it, the 不达标 window's 约谈 is
opened and its talk recorded, the window's manager files an objection and the city answers it."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from huicai.grading.models import Interview, Objection
from huicai.workbench.tests.conftest import _one_request_at_a_time, chromium, sign_in  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_city_grades_a_year_interviews_the_failing_window_and_answers_its_objection(
    g,
    sign_in,  # noqa: F811
    live_server,
):  # noqa: F811
    base = live_server.url

    # 1. The city computes 2026 for every window and publishes it.
    city = sign_in(g.world.zhou_min)
    city.goto(f"{base}/")
    city.get_by_role("link", name="评估评价").click()
    city.select_option("#id_kind", "year")
    city.fill("#id_year", "2026")
    city.locator("#compute").click()
    expect(city.locator("#evaluation-status")).to_have_text("测算中")
    row = city.locator("#results tr", has_text="罗庄区高层次人才服务窗口")
    expect(row).to_contain_text("不达标")
    expect(city.locator(".grading-chart canvas")).to_have_count(1)  # the scores drawn by ECharts
    city.locator("#publish").click()
    expect(city.locator("#evaluation-status")).to_have_text("已公布")

    # 2. The 不达标 window's 约谈 is open; the city records the talk.
    city.goto(f"{base}/grading/interviews/")
    city.get_by_role("link", name="罗庄区高层次人才服务窗口").click()
    expect(city.locator("#interview-status")).to_have_text("待约谈")
    city.fill("#step-talk #id_talk_date", timezone.localdate().isoformat())
    city.fill("#step-talk #id_participants", "市人社局分管负责同志；罗庄区窗口负责人高峰")
    city.fill("#step-talk #id_record", "指出按时办结率和满意率偏低，要求说明原因并限期整改。")
    city.locator("#step-talk button[type=submit]").click()
    expect(city.locator("#interview-status")).to_have_text("已约谈，待联席会议说明")
    assert Interview.objects.get().talk_record.startswith("指出按时办结率")

    # 3. The window's manager reads the result, follows a figure to its records, and objects.
    manager = sign_in(g.gao_feng)
    manager.goto(f"{base}/grading/")
    manager.get_by_role("link", name="不达标").click()
    expect(manager.locator("#result-grade")).to_have_text("不达标")
    manager.get_by_role("link", name="按时办结率").click()
    expect(manager.locator("#records")).to_contain_text("超期")
    manager.go_back()
    manager.fill("#id_reason", "三月超期系系统切换所致，已提交佐证材料。")
    manager.locator("#file-objection").click()
    expect(manager.locator("#objections")).to_contain_text("待市级答复")

    # 4. The city answers; the manager reads the answer.
    result_url = manager.url
    city.goto(result_url)
    city.select_option("#id_upheld", "0")
    city.fill("#id_answer", "经核实超期属实，维持原结果。")
    city.locator("#answer-objection").click()
    expect(city.locator("#objections")).to_contain_text("异议不成立")
    manager.reload()
    expect(manager.locator("#objections")).to_contain_text("经核实超期属实，维持原结果。")
    assert Objection.objects.get().status == "rejected"
