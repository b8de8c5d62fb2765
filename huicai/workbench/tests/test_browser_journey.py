"""The whole by-application flow through the real pages in a real browser (W13, W16, S11–S14):

the unit commissioner prepares a three-item application in the wizard, the window splits it from its
board with the catalogue's routing, each department accepts from its queue, 市公安局 files an extension
that the window acknowledges, every department completes, the unit commissioner records that the talent
was told, and the talent reads the results on a phone-sized page.
"""

import re

import pytest
from playwright.sync_api import expect

from huicai.casework.models import Application, Task
from huicai.casework.tests.conftest import PDF
from huicai.workbench import browser
from huicai.workdays import calendar

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def accept_from_the_queue(page, base, task):
    page.goto(f"{base}/workbench/")
    page.get_by_role("link", name=task.number).click()
    page.locator("#step-accept button[type=submit]").click()
    expect(page.locator("#task-status")).to_have_text("办理中")


def complete_on_the_task_page(page, base, task, note):
    page.goto(f"{base}/cases/tasks/{task.pk}/")
    page.select_option("#id_complete-result", "handled")
    page.fill("#id_complete-note", note)
    page.locator("#step-complete button[type=submit]").click()
    expect(page.locator("#task-status")).to_have_text("已办结")


def test_a_three_item_application_goes_from_the_wizard_to_the_talents_phone(case, sign_in, live_server):
    world = case.world
    base = live_server.url

    # 1. The unit commissioner: wizard, step by step.
    unit = sign_in(world.wang_fang)
    unit.goto(f"{base}/workbench/")
    unit.get_by_role("link", name="新建申办").click()
    unit.get_by_role("link", name="为李明申办").click()
    expect(unit.get_by_text("居民身份证（必交，1 份）").first).to_be_hidden()  # guides fold away
    unit.check(f"#item-{case.hukou.pk}")
    unit.check(f"#item-{case.housing.pk}")
    unit.focus(f"#item-{case.school.pk}")
    unit.keyboard.press("Space")  # the checkboxes work from the keyboard
    unit.get_by_role("button", name="下一步：上传材料").click()
    expect(unit).to_have_url(re.compile(r"/workbench/apply/\d+/materials/$"))
    required = unit.locator("#material-lines tr", has=unit.locator("b", has_text="（必交）"))
    expect(required).to_have_count(3)
    for index in range(3):
        row = required.nth(index)
        row.locator("input[type=file]").set_input_files(
            files=[{"name": f"身份证{index}.pdf", "mimeType": "application/pdf", "buffer": PDF}]
        )
        row.get_by_role("button", name="上传", exact=True).click()
        expect(required.nth(index)).to_contain_text(f"身份证{index}.pdf")  # swapped in place by htmx
    expect(unit.locator(".badge-flag.ok")).to_have_count(3)
    unit.get_by_role("link", name="下一步：记录人才同意").click()
    unit.select_option("#id_method", "signed")
    unit.get_by_role("button", name="记录同意，下一步").click()
    expect(unit.locator("#route-preview")).to_contain_text("共 3 个事项：提交后报送 兰山区高层次人才服务窗口")
    unit.get_by_role("button", name="提交申办").click()
    expect(unit.locator(".messages")).to_contain_text("已报送 兰山区高层次人才服务窗口 梳理分办")
    application = Application.objects.get()
    assert application.status == "submitted"

    # 2. The window splits it from the intake, routing pre-filled from the catalogue.
    window = sign_in(world.chen_jing)
    window.goto(f"{base}/workbench/")
    intake = window.locator(f"#intake-{application.pk}")
    for line in application.items.select_related("service_item"):
        expect(intake.locator(f"#id_split-{application.pk}-route-{line.pk}")).to_have_value(
            str(line.service_item.department_id)
        )
    intake.get_by_role("button", name="按部门分办").click()
    expect(window.locator("#sec-window_intake .flash")).to_contain_text("已分办为 3 个任务")
    tasks = {t.department.short_name: t for t in Task.objects.select_related("department")}
    assert set(tasks) == {"市公安局", "市住房和城乡建设局", "市教育局"}

    # 3. Each department accepts from its queue; 市公安局 files an extension.
    police = sign_in(case.police)
    accept_from_the_queue(police, base, tasks["市公安局"])
    tasks["市公安局"].refresh_from_db()
    new_due = calendar.add_working_days(tasks["市公安局"].deadline.due_date, 3)
    police.fill("#id_extend-new_due_date", new_due.isoformat())
    police.fill("#id_extend-reason", "需向省公安厅核查境外居留记录")
    police.fill("#id_extend-explanation", "已电话告知李明，预计延后3个工作日")
    police.select_option("#id_extend-explained_via", "direct")
    police.locator("#step-extend button[type=submit]").click()
    expect(police.locator("#due-date")).to_have_text(new_due.isoformat())
    housing = sign_in(case.housing_commissioner)
    accept_from_the_queue(housing, base, tasks["市住房和城乡建设局"])
    school = sign_in(case.school_commissioner)
    accept_from_the_queue(school, base, tasks["市教育局"])

    # 4. The window acknowledges the extension on its board.
    window.reload()
    extensions = window.locator("#sec-window_extensions")
    expect(extensions).to_contain_text("需向省公安厅核查境外居留记录")
    extensions.get_by_role("button", name="确认备案").click()
    expect(window.locator("#sec-window_extensions")).to_contain_text("没有待确认的延期备案")

    # 5. The departments complete.
    complete_on_the_task_page(police, base, tasks["市公安局"], "工作类居留许可已签发")
    complete_on_the_task_page(housing, base, tasks["市住房和城乡建设局"], "已配租人才公寓")
    complete_on_the_task_page(school, base, tasks["市教育局"], "已安排入学")

    # 6. The unit commissioner records that the talent was told each result.
    unit.goto(f"{base}/workbench/unit/")
    results = unit.locator("#sec-unit_results")
    expect(results.locator("tbody tr")).to_have_count(3)
    for remaining in (2, 1):
        unit.locator("#sec-unit_results tbody tr").first.get_by_role("button", name="已告知").click()
        expect(unit.locator("#sec-unit_results tbody tr")).to_have_count(remaining)  # swapped by htmx
    unit.locator("#sec-unit_results tbody tr").first.get_by_role("button", name="已告知").click()
    expect(unit.locator("#sec-unit_results")).to_contain_text("没有待告知人才的结果")

    # 7. The talent reads it all on a phone.
    talent = sign_in(world.li_ming_user, viewport=browser.PHONE)
    talent.goto(f"{base}/workbench/")
    card = talent.locator(f"#application-{application.number}")
    expect(card.locator(".app-status")).to_have_text("已办结")
    expect(card.locator(".task-status")).to_have_text(["已办结", "已办结", "已办结"])
    expect(card).to_contain_text("工作类居留许可已签发")
    expect(card).to_contain_text("已配租人才公寓")
    expect(card).to_contain_text("原因：需向省公安厅核查境外居留记录")
    expect(talent.locator("figure.qr svg")).to_have_count(1)
    assert talent.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
