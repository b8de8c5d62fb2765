"""S11-4 in the browser: the unit applies for a talent's 惠才卡, the window returns it, the unit corrects it,
the window approves, and the talent sees the card with its QR code on the phone."""

import pytest
from playwright.sync_api import expect

from huicai.cards.models import CardApplication, CardRule
from huicai.talents.choices import CardKind
from huicai.workbench import browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_card_applied_for_returned_corrected_approved_and_shown_on_the_phone(
    world, sign_in, live_server, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    CardRule.objects.create(
        category=world.li_ming.category, kind=CardKind.SHANDONG, tier="B卡", valid_years=5
    )
    proof = tmp_path / "证明.pdf"
    proof.write_bytes(b"%PDF-1.4\n% proof\n%%EOF\n")

    unit = sign_in(world.wang_fang)
    unit.goto(f"{live_server.url}/cards/apply/")
    unit.get_by_role("link", name="申请").first.click()
    unit.select_option("#id_kind", "shandong")
    unit.set_input_files("#id_materials", str(proof))
    unit.get_by_role("button", name="提交申请").click()
    expect(unit.locator("#status")).to_have_text("待窗口审核")
    path = unit.url.removeprefix(live_server.url)

    window = sign_in(world.chen_jing)
    window.goto(f"{live_server.url}{path}")
    window.fill("#id_reason", "请上传加盖公章的证明")
    window.get_by_role("button", name="退回补正").click()
    expect(window.locator("#status")).to_have_text("已退回补正")

    unit.goto(f"{live_server.url}{path}")
    expect(unit.locator("#return-reason")).to_have_text("请上传加盖公章的证明")
    unit.set_input_files("#id_materials", str(proof))
    unit.get_by_role("button", name="补正后重新提交").click()
    expect(unit.locator("#status")).to_have_text("待窗口审核")

    window.goto(f"{live_server.url}{path}")
    window.get_by_role("button", name="批准发卡").click()
    expect(window.locator("#status")).to_have_text("已批准发卡")
    number = CardApplication.objects.get().card.number
    expect(window.locator("#card-number")).to_contain_text(number)

    talent = sign_in(world.li_ming_user, viewport=browser.PHONE)
    talent.goto(f"{live_server.url}/cards/mine/")
    expect(talent.locator("body")).to_contain_text(number)
    assert talent.locator("svg.qr-svg").count() == 2  # the new 山东惠才卡 and the 沂蒙惠才卡 held before
    assert talent.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
