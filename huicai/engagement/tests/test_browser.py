"""Two journeys through the real pages in a real browser (W5-4, W16-1):

a window pushes a policy, the talent opens it from the inbox on a phone, and the sender sees it counted as
read; a window organises a gathering and invites the talent, the talent answers on the phone, and the talent
card's QR code is taken at the door.
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from huicai.directservices.cards import card_qr_payload
from huicai.engagement.models import Gathering, Invitation, PushReceipt
from huicai.workbench import browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def fits_the_phone(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_push_read_on_the_phone_is_counted_for_the_sender(eng, sign_in, live_server):
    world = eng.world
    base = live_server.url

    # The 兰山区 window pushes the policy to its talents of category B.
    window = sign_in(world.chen_jing)
    window.goto(f"{base}/engagement/pushes/new/")
    window.select_option("#id_kind", "policy")
    window.select_option("#id_policy", str(eng.policy.pk))
    window.fill("#id_title", "安家补贴申报提醒")
    window.fill("#id_body", "符合条件的人才请于3月底前通过单位专员申报。")
    window.select_option("#id_categories", [str(world.category_b.pk)])
    window.get_by_role("button", name="推送").click()
    expect(window.locator(".messages")).to_contain_text("已推送给 1 位人才")
    expect(window.locator("#count-total")).to_have_text("1")
    expect(window.locator("#count-read")).to_have_text("0")

    # Li Ming opens it from his inbox on the phone.
    talent = sign_in(world.li_ming_user, viewport=browser.PHONE)
    talent.goto(f"{base}/notifications/")
    talent.get_by_role("button", name="安家补贴申报提醒").click()
    expect(talent.locator("#push")).to_contain_text("符合条件的人才请于3月底前通过单位专员申报。")
    expect(talent.get_by_role("link", name="查看政策全文：兰山区高层次人才安家补贴")).to_be_visible()
    assert fits_the_phone(talent)

    # The sender sees it read.
    window.reload()
    expect(window.locator("#count-read")).to_have_text("1")
    assert PushReceipt.objects.get().read_at is not None


def test_an_event_answered_on_the_phone_and_attended_at_the_door(case, sign_in, live_server):
    world = case.world
    base = live_server.url
    start = timezone.localtime(timezone.now() + datetime.timedelta(days=7)).replace(hour=14, minute=0)

    # The 兰山区 window organises the gathering and invites Li Ming by name.
    window = sign_in(world.chen_jing)
    window.goto(f"{base}/engagement/gatherings/new/")
    window.fill("#id_title", "春季人才联谊会")
    window.fill("#id_place", "兰山区人才之家")
    window.fill("#id_starts_at", start.strftime("%Y-%m-%dT%H:%M"))
    window.fill("#id_ends_at", (start + datetime.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"))
    window.get_by_role("button", name="创建活动").click()
    expect(window.locator("#gathering-status")).to_have_text("报名中")
    window.select_option("#invite #id_talents", [str(world.li_ming.pk)])
    window.get_by_role("button", name="发送邀请").click()
    expect(window.locator(".messages")).to_contain_text("已邀请 1 位人才")
    gathering = Gathering.objects.get()

    # Li Ming answers on the phone.
    talent = sign_in(world.li_ming_user, viewport=browser.PHONE)
    talent.goto(f"{base}/engagement/me/")
    talent.get_by_role("link", name="春季人才联谊会").click()
    talent.get_by_role("button", name="参加", exact=True).click()
    expect(talent.locator("#my-rsvp")).to_have_text("参加")
    assert fits_the_phone(talent)

    # At the door the scanner types the card's QR code into the check-in field.
    window.goto(f"{base}/engagement/gatherings/{gathering.pk}/")
    expect(window.locator("#count-accepted")).to_have_text("1")
    window.fill("#id_text", card_qr_payload(world.li_ming_card))
    window.get_by_role("button", name="确认签到").click()
    expect(window.locator(".messages")).to_contain_text("李明 签到成功。")
    expect(window.locator("#count-attended")).to_have_text("1")
    assert Invitation.objects.get().attendance_method == "qr"
