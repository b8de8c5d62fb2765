"""The case flows people stumbled on, in a real browser (issue 12, W13):

- the unit commissioner supplies a materials notice item by item on the task page, beside the
  补正后提交 button, and resubmits (on a desktop and on a 360 px phone);
- the talent downloads a result document on the phone;
- the window approves an extension past the cap (超长延期) from its board.
"""

import datetime

import pytest
from playwright.sync_api import expect

from huicai.casework import actions
from huicai.casework.choices import ExtensionStatus, Result
from huicai.casework.models import Extension
from huicai.casework.tests.conftest import PDF, later, pdf
from huicai.workbench import browser
from huicai.workbench.tests.conftest import submitted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE_360 = {"width": 360, "height": 780}


def fits_the_width(page):
    """Nothing on the page is wider than the screen (tables scroll inside their own wrapper)."""
    wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-wrap'))
        .map(e => e.tagName + '#' + e.id + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))
        .slice(0, 8)"""
    )
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), wide
    return True


@pytest.mark.parametrize("viewport", [browser.DESKTOP, PHONE_360], ids=["desktop", "phone"])
def test_the_unit_commissioner_supplies_the_notice_and_resubmits_on_one_page(
    case, sign_in, live_server, viewport
):
    world = case.world
    task = submitted(case, [case.hukou]).tasks.get()
    actions.request_materials(
        task,
        items=[{"key": "M02", "name": "补充说明"}, {"key": "", "name": "无犯罪记录证明"}],
        note="请一次补齐",
        by=case.police,
        at=world.at,
    )

    unit = sign_in(world.wang_fang, viewport=viewport)
    unit.goto(f"{live_server.url}/cases/tasks/{task.pk}/")
    supplement = unit.locator("#supplement")
    expect(supplement).to_contain_text("无犯罪记录证明")
    expect(unit.locator("#step-resubmit")).to_be_visible()  # the button is on the same page
    assert fits_the_width(unit)

    row = unit.locator("#supplement-R1")
    row.locator("input[type=file]").set_input_files(
        files=[{"name": "情况说明.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    row.get_by_role("button", name="上传", exact=True).click()
    expect(unit.locator("#supplement-R1")).to_contain_text("情况说明.pdf")
    expect(unit.locator("#supplement-R2")).to_contain_text("未上传")

    unit.locator("#step-resubmit button[type=submit]").click()
    expect(unit.locator("#step-resubmit [role=alert]")).to_contain_text(
        "以下补正材料尚未上传：无犯罪记录证明"
    )

    unit.check("#id_resubmit-handover-R2")
    unit.fill("#id_resubmit-handover-note-R2", "原件已于上午交市公安局户政窗口")
    unit.locator("#step-resubmit button[type=submit]").click()
    expect(unit.locator("#task-status")).to_have_text("待受理")
    task.refresh_from_db()
    notice = task.material_requests.get()
    assert notice.handovers == [{"ref": "R2", "note": "原件已于上午交市公安局户政窗口"}]
    assert fits_the_width(unit)


def test_the_talent_downloads_the_result_document_on_the_phone(case, sign_in, live_server):
    world = case.world
    task = submitted(case, [case.hukou]).tasks.get()
    actions.accept_task(task, by=case.police, at=later(world, hours=1))
    actions.complete_task(
        task,
        result=Result.HANDLED,
        note="已办理落户",
        document=pdf("落户批准书.pdf"),
        by=case.police,
        at=later(world, days=1),
    )

    talent = sign_in(world.li_ming_user, viewport=PHONE_360)
    talent.goto(f"{live_server.url}/cases/tasks/{task.pk}/")
    link = talent.locator("#result-document a")
    expect(link).to_be_visible()
    assert fits_the_width(talent)
    with talent.expect_download() as download:
        link.click()

    assert download.value.suggested_filename == "落户批准书.pdf"
    with open(download.value.path(), "rb") as saved:
        assert saved.read() == PDF


def test_the_window_approves_an_extension_past_the_cap_from_its_board(case, sign_in, live_server, settings):
    settings.HUICAI_EXTENSION_CAP_DAYS = 2
    world = case.world
    task = submitted(case, [case.hukou]).tasks.get()
    task = actions.accept_task(task, by=case.police, at=world.at)
    old_due = task.deadline.due_date
    extension = actions.extend_task(
        task,
        new_due_date=datetime.date(2026, 3, 13),
        reason="需外省协查户籍档案",
        explanation="已电话向李明说明",
        explained_via="direct",
        by=case.police,
        at=later(world, hours=1),
    )
    assert extension.status == ExtensionStatus.AWAITING_APPROVAL

    window = sign_in(world.chen_jing)
    window.goto(f"{live_server.url}/workbench/")
    row = window.locator(f"#sec-window_extensions #extension-{extension.pk}")
    expect(row).to_contain_text("超长延期待审批")
    row.get_by_role("link", name="审批").click()
    expect(window.locator("#due-date")).to_have_text(old_due.isoformat())  # not moved yet
    decision = window.locator(f"#extension-{extension.pk}")
    decision.locator("textarea").fill("协查确需时间，同意")
    decision.get_by_role("button", name="批准", exact=True).click()

    expect(window.locator("#due-date")).to_have_text("2026-03-13")
    expect(window.locator(f"#extension-{extension.pk}")).to_contain_text("超长延期已批准")
    assert Extension.objects.get(pk=extension.pk).status == ExtensionStatus.APPROVED
    window.goto(f"{live_server.url}/cases/tasks/")
    expect(window.locator("tbody")).to_contain_text("超长延期")
