"""The archive in a real browser: the talent opens their own from the phone board; a window officer opens
li_ming's from his talent page, states a reason, filters by kind and downloads the PDF."""

import pytest
from playwright.sync_api import expect

from huicai.archives.models import ArchiveReason
from huicai.core.models import AuditEvent
from huicai.workbench import browser
from huicai.workbench.tests.conftest import _one_request_at_a_time, chromium, sign_in  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_talent_reads_their_archive_on_the_phone(history, sign_in, live_server):  # noqa: F811
    talent = sign_in(history.world.li_ming_user, viewport=browser.PHONE)

    talent.goto(f"{live_server.url}/workbench/")
    talent.get_by_role("link", name="查看我的服务档案").click()

    expect(talent.get_by_role("heading", name="我的服务档案", exact=True)).to_be_visible()
    expect(talent.locator("#archive-list")).to_contain_text("直接服务：出入境证件办理咨询")
    expect(talent.locator("#archive-list")).to_contain_text("状态调度：2026年一季度状态调度")
    wide = talent.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth)"
        ".map(e => e.tagName + '#' + e.id + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"
    )
    assert talent.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), wide


def test_a_window_officer_states_a_reason_filters_and_downloads_the_pdf(history, sign_in, live_server):  # noqa: F811
    world = history.world
    officer = sign_in(world.chen_jing)

    officer.goto(f"{live_server.url}/talents/{history.talent.pk}/")
    officer.get_by_role("link", name="查看服务档案").click()
    officer.get_by_label("档案整理和备案报送").check()
    officer.fill("#id_note", "一季度档案备案")
    officer.get_by_role("button", name="确认并查阅").click()
    expect(officer.locator("#archive-reason")).to_contain_text("档案整理和备案报送（一季度档案备案）")
    officer.select_option("#id_kind", "direct_service")
    officer.get_by_role("button", name="筛选").click()
    expect(officer.locator("#archive-list")).to_contain_text("共 1 条")
    expect(officer.locator("#archive-list")).not_to_contain_text("办理结果")
    with officer.expect_download() as download:
        officer.get_by_role("link", name="导出 PDF").click()

    assert download.value.url.endswith("/export.pdf?start=&end=&kind=direct_service")  # the filters go along
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    assert ArchiveReason.objects.get().user == world.chen_jing
    reads = AuditEvent.objects.filter(actor=world.chen_jing, detail__startswith="archive ")
    assert sorted(reads.values_list("kind", flat=True)) == ["export", "reveal", "reveal"]
