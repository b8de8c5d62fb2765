"""Issue 12 in a real browser, on the demo data, at desktop (1280) and phone (360) sizes: the menu by role
and folding on a phone, every talent and unit-commissioner page within 360 px, the lockout message, the
policy search in people's words, the department picker's filter, and forms that cannot be sent twice."""

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import expect

from huicai.accounts.demo import DEMO_STAFF_LOGINS, demo_totp_code
from huicai.outreach.models import Difficulty
from huicai.testing import force_login
from huicai.workbench import browser
from huicai.workbench.tests.crawl import crawl

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def demo(db):
    call_command("load_demo", "--allow-demo-accounts", verbosity=0)


@pytest.fixture
def open_as(chromium, live_server):
    """open_as(username, viewport) -> a page signed in as the demo login, through the real login form."""
    contexts = []

    def _open(username, viewport=browser.DESKTOP):
        context = chromium.browser.new_context(viewport=viewport, locale="zh-CN")
        context.set_default_timeout(15_000)
        contexts.append(context)
        code = demo_totp_code if username in DEMO_STAFF_LOGINS else None
        return browser.sign_in(context, live_server.url, username, settings.DEMO_PASSWORD, code=code)

    yield _open
    for context in contexts:
        context.close()


def pages_of(username):
    """The HTML pages the login reaches from its home page by following links (at most 60)."""
    client = force_login(Client(), get_user_model().objects.get(username=username))
    pages = crawl(client, "/", limit=60)
    return [
        path for path, r in pages.items() if r.status_code == 200 and "text/html" in r.get("Content-Type", "")
    ]


WIDTH = "document.documentElement.scrollWidth"


@pytest.mark.parametrize("username", ["talent", "unit"])
def test_every_page_of_the_talent_and_the_unit_commissioner_fits_a_360_px_phone(
    demo, open_as, live_server, username
):
    paths = pages_of(username)
    page = open_as(username, PHONE)

    too_wide = {}
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        width = page.evaluate(WIDTH)
        if width > PHONE["width"]:
            too_wide[path] = width

    assert len(paths) >= 15
    assert too_wide == {}


def test_the_menu_shows_each_role_its_pages_and_folds_behind_one_button_on_a_phone(
    demo, open_as, live_server
):
    desktop = open_as("talent")
    nav = desktop.locator("#main-menu")
    expect(desktop.locator(".menu-toggle")).to_be_hidden()
    expect(nav.get_by_role("link", name="申办")).to_be_visible()
    for staff_only in ("督导", "整改", "服务事项", "人才", "任务"):
        expect(nav.get_by_role("link", name=staff_only, exact=True)).to_have_count(0)

    phone = open_as("talent", PHONE)
    toggle = phone.get_by_role("button", name="菜单")
    expect(toggle).to_be_visible()
    expect(phone.locator("#main-menu")).to_be_hidden()
    assert phone.evaluate(WIDTH) <= PHONE["width"]
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    links = phone.locator("#main-menu a")
    expect(links.first).to_be_visible()
    # No word is broken over two lines: every entry is one line high.
    heights = links.evaluate_all("links => links.map(a => a.getBoundingClientRect().height)")
    line = max(heights) if heights else 0
    assert line < 48, heights
    phone.locator("#main-menu").get_by_role("link", name="状态调度").click()
    expect(phone).to_have_url(f"{live_server.url}/outreach/checkins/pending/")
    expect(phone.locator("h1")).not_to_have_text("无权操作")

    window = open_as("window")
    for entry in ("督导", "整改", "服务事项", "专员名册", "导入导出"):
        expect(window.locator("#main-menu").get_by_role("link", name=entry, exact=True)).to_be_visible()


def test_a_locked_account_is_told_so_and_for_how_long(demo, chromium, live_server):
    context = chromium.browser.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    for _ in range(5):
        page.fill("#id_username", "unit")
        page.fill("#id_password", "wrong-password")
        page.click("button[type=submit]")
        page.wait_for_load_state()

    expect(page.locator(".errorlist, [role=alert]").first).to_contain_text("账号已锁定，请 30 分钟后再试。")
    assert page.evaluate(WIDTH) <= PHONE["width"]
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, browser.DESKTOP], ids=["phone", "desktop"])
def test_the_policy_search_understands_peoples_words_and_says_all_categories(
    demo, chromium, live_server, viewport
):
    context = chromium.browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/policies/")
    expect(page.locator("#id_category option").first).to_have_text("全部类别")
    expect(page.locator("#id_region option").first).to_have_text("全部区域")

    page.fill("#id_q", "孩子上学")
    page.get_by_role("button", name="检索").click()

    expect(page.locator("#policy-results")).to_contain_text("子女入学")
    assert "（W" not in page.content()
    assert page.evaluate(WIDTH) <= viewport["width"]
    context.close()


def test_the_talent_sends_a_difficulty_once_and_sees_the_characters_left(demo, open_as, live_server):
    page = open_as("talent", PHONE)
    page.goto(f"{live_server.url}/outreach/difficulties/new/")
    page.select_option("#id_category", index=1)
    page.fill("#id_content", "孩子入学需要办理转学手续")
    counter = page.locator("#id_content-counter")
    expect(counter).to_have_text("已输入 12 / 2000 字")
    posts = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    before = Difficulty.objects.count()

    button = page.get_by_role("button", name="提交")
    button.dblclick()

    page.wait_for_url(lambda url: "/outreach/difficulties/new/" not in url)
    expect(page.locator(".messages")).to_contain_text("已登记")
    assert len(posts) == 1
    assert Difficulty.objects.count() == before + 1


def test_the_department_picker_starts_on_choose_and_filters_as_one_types(demo, open_as, live_server):
    page = open_as("city")  # the city window appoints in every department, city and county
    page.goto(f"{live_server.url}/commissioners/new/")
    picker = page.locator("#id_department")
    expect(picker.locator("option").first).to_have_text("请选择")
    expect(picker.locator("optgroup").first).to_have_attribute("label", "市级部门")
    every = picker.locator("option:not([hidden])").count()

    page.get_by_placeholder("输入部门名称筛选").fill("教育")

    shown = picker.locator("option:not([hidden])")
    assert 1 < shown.count() < every
    assert all("教育" in text or text == "请选择" for text in shown.all_text_contents())


WATCH_UPLOAD = """() => {
  window.__seen = {progress: false, busy: false};
  new MutationObserver(() => {
    if (document.querySelector("progress.upload-progress")) window.__seen.progress = true;
    const buttons = [...document.querySelectorAll(".upload-row button[type=submit]")];
    if (buttons.some(b => b.disabled && b.textContent.includes("提交中"))) window.__seen.busy = true;
  }).observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
}"""


def test_an_upload_shows_its_progress_and_its_button_waits_on_a_phone(demo, open_as, live_server):
    from huicai.casework.tests.conftest import PDF

    page = open_as("unit", PHONE)
    page.goto(f"{live_server.url}/workbench/")
    page.get_by_role("link", name="新建申办").click()
    page.get_by_role("link", name="为李明申办").click()
    page.locator("input[type=checkbox][id^=item-]").first.check()
    page.get_by_role("button", name="下一步：上传材料").click()
    expect(page).to_have_url(re.compile(r"/workbench/apply/\d+/materials/$"))
    page.wait_for_load_state()
    assert page.evaluate(WIDTH) <= PHONE["width"]
    row = page.locator(".upload-row").first
    expect(row).to_have_attribute("hx-disabled-elt", "find button[type=submit]")
    page.evaluate(WATCH_UPLOAD)

    row.locator("input[type=file]").set_input_files(
        files=[{"name": "身份证.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    row.get_by_role("button", name="上传", exact=True).click()

    expect(page.locator("#material-lines")).to_contain_text("身份证.pdf")
    assert page.evaluate("window.__seen") == {"progress": True, "busy": True}
    expect(page.locator(".upload-row button[type=submit]").first).to_be_enabled()
