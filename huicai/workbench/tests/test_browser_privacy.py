"""A talent uses their rights under PIPL from the phone (issue 14 part 3): from the board to 我的个人信息,
a correction request filed and listed with its deadline, the page no wider than the phone."""

import pytest
from playwright.sync_api import expect

from huicai.privacy.models import DataRequest
from huicai.workbench import browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_talent_asks_for_a_correction_on_the_phone(world, sign_in, live_server):
    talent = sign_in(world.li_ming_user, viewport=browser.PHONE)

    talent.goto(f"{live_server.url}/workbench/")
    talent.get_by_role("link", name="查看我的个人信息").click()
    expect(talent.locator("#my-record")).to_contain_text(world.li_ming.id_number_masked)
    talent.select_option("#id_kind", "correction")
    talent.fill("#id_details", "手机号码已更换，请更正")
    talent.get_by_role("button", name="提交请求").click()

    expect(talent.locator("#requests")).to_contain_text("更正")
    expect(talent.locator("#requests")).to_contain_text("处理中")
    assert DataRequest.objects.get().details == "手机号码已更换，请更正"
    wide = talent.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth)"
        ".map(e => e.tagName + '#' + e.id + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"
    )
    assert talent.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), wide
