"""The talent's own page (W16: progress feedback): cards with a scannable QR code, the unit commissioner
to call, every application with each task's department, deadline, status, extensions and result."""

import re

import segno

from huicai.casework import actions
from huicai.directservices.cards import card_qr_payload, parse_card_qr
from huicai.talents.actions import change_card_status
from huicai.talents.choices import CardStatus
from huicai.workbench.templatetags.workbench_tags import card_qr
from huicai.workbench.tests.conftest import commissioner_of, extend, later, split_by_suggestion, submitted


def test_a_valid_card_shows_the_qr_code_of_its_signed_payload(world, login, frozen):
    page = login(world.li_ming_user).get("/workbench/talent/").content.decode()

    payload = card_qr_payload(world.li_ming_card)
    expected = segno.make(payload, error="m", micro=False).svg_inline(
        scale=5, border=4, dark="#000", light="#fff", omitsize=True, svgclass="qr-svg"
    )
    assert expected in page
    assert parse_card_qr(payload) == "YM2026000001"
    assert 'aria-label="沂蒙惠才卡 YM2026000001 二维码"' in page


def test_a_card_that_cannot_be_used_shows_why_and_no_code(world, login, frozen):
    change_card_status(world.li_ming_card, status=CardStatus.LOST, by=world.chen_jing, at=world.at)

    page = login(world.li_ming_user).get("/workbench/talent/").content.decode()

    assert "<svg" not in page
    assert "已挂失" in page and "此卡当前不能用于直接服务" in page


def test_the_qr_tag_draws_a_square_scalable_code_in_a_labelled_figure(world):
    html = str(card_qr(world.li_ming_card))

    assert html.startswith('<figure class="qr" role="img"')
    assert re.search(r'<svg viewBox="0 0 (\d+) \1" class="qr-svg">', html)


def test_the_unit_commissioner_is_shown_with_a_masked_mobile_and_the_office_phone(world, login, frozen):
    world.wang_fang.mobile = "13912345678"
    world.wang_fang.save(update_fields=["mobile"])
    world.wang_fang_post.office_phone = "0539-8123456"
    world.wang_fang_post.save(update_fields=["office_phone"])

    page = login(world.li_ming_user).get("/workbench/talent/").content.decode()

    assert "王芳" in page
    assert "139****5678" in page and "13912345678" not in page
    assert 'href="tel:0539-8123456"' in page


def test_each_task_of_an_application_shows_its_department_deadline_extension_and_result(case, login, frozen):
    world = case.world
    application = submitted(case, [case.hukou, case.housing, case.school])
    tasks = {t.department.short_name: t for t in split_by_suggestion(case, application)}
    police = actions.accept_task(tasks["市公安局"], by=case.police, at=world.at)
    extension = extend(case, police)
    actions.complete_task(
        tasks["市公安局"], result="handled", note="户口已迁入", by=case.police, at=later(world, days=1)
    )
    actions.accept_task(tasks["市教育局"], by=commissioner_of(case, tasks["市教育局"]), at=world.at)

    page = login(world.li_ming_user).get("/workbench/talent/").content.decode()

    assert application.number in page
    assert "临沂市公安局" in page and "临沂市住房和城乡建设局" in page and "临沂市教育局" in page
    assert f"原 {extension.old_due_date:%Y-%m-%d} → 新 {extension.new_due_date:%Y-%m-%d}" in page
    assert "原因：需向省厅核查境外居留记录" in page
    assert "办理结果：<b>已办理</b>——户口已迁入" in page
    assert "受理后 10 个工作日内" in page  # housing: not accepted yet, the clock has not started
    assert "办理中" in page  # education: accepted


def test_the_talent_sees_policies_messages_and_the_booking_link(world, login, frozen):
    from huicai.notifications.actions import notify

    notify(
        [world.li_ming_user],
        kind="task_accepted",
        title="已受理：测试",
        link="/workbench/talent/",
        at=world.at,
    )

    page = login(world.li_ming_user).get("/workbench/talent/").content.decode()

    assert "已受理：测试" in page and "未读" in page
    assert 'href="/direct/appointments/new/"' in page
    assert 'href="/policies/mine/"' in page


def test_the_applications_section_pages_through_htmx(case, login, frozen):
    world = case.world
    for _ in range(6):
        submitted(case, [case.hukou])
    client = login(world.li_ming_user)

    first = client.get("/workbench/talent/").content.decode()
    second = client.get("/workbench/sections/talent_applications/?page=2", HTTP_HX_REQUEST="true")

    assert "第 1 / 2 页，共 6 条" in first
    assert second.status_code == 200
    body = second.content.decode()
    assert body.startswith('<section class="card section" id="sec-talent_applications"')
    assert "第 2 / 2 页，共 6 条" in body and "<html" not in body
