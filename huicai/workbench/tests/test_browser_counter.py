"""The counter in a real browser (W12, S12, S13): a department commissioner scans the talent's card QR code
with the device camera and records the service; an undertaking commissioner types the card number, and
reports a task handed to the institution back to the department from the queue."""

import pytest
from playwright.sync_api import expect

from huicai.casework import actions
from huicai.casework.tests.conftest import item_fields
from huicai.catalogue import actions as catalogue
from huicai.catalogue.choices import Category, ServiceMode
from huicai.commissioners.actions import appoint_commissioner
from huicai.directservices.cards import card_qr_payload
from huicai.directservices.models import DirectService
from huicai.testing import make_user
from huicai.workbench.tests.conftest import submitted, write_camera_video

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def publish(world, *, code, name, department, undertaking_orgs=(), **fields):
    item = catalogue.create_item(
        window=world.windows["临沂市"],
        by=world.zhou_min,
        at=world.at,
        undertaking_orgs=undertaking_orgs,
        code=code,
        name=name,
        category=fields.pop("category", Category.OTHER),
        mode=fields.pop("mode", ServiceMode.DIRECT),
        department=world.departments[department],
        content="凭卡直接服务。",
        accepts_yimeng_card=True,
        **fields,
    )
    return catalogue.publish_item(item, by=world.zhou_min, at=world.at)


def record(page, code, place):
    page.check(f"input[name=item][value='{code}']")
    page.fill("#id_place", place)
    page.check("input[name=outcome][value='served']")
    page.get_by_role("button", name="登记").click()
    expect(page.locator(".messages")).to_contain_text("已登记：李明")


def test_a_department_commissioner_scans_the_card_with_the_camera_and_records_the_service(
    world, chromium, sign_in, live_server
):
    publish(world, code="LY-GA-901", name="出入境证件办理咨询", department="市公安局")
    write_camera_video(chromium.camera, card_qr_payload(world.li_ming_card))
    page = sign_in(world.zhao_qiang)
    page.goto(f"{live_server.url}/workbench/queue/")

    page.get_by_role("button", name="扫码").click()

    expect(page.locator("#lookup-result")).to_contain_text("YM2026000001")  # decoded, posted, looked up
    record(page, "LY-GA-901", "市公安局出入境大厅")
    service = DirectService.objects.get()
    assert (service.talent, service.card, service.served_by) == (
        world.li_ming,
        world.li_ming_card,
        world.zhao_qiang,
    )


def test_an_undertaking_commissioner_types_the_card_and_reports_a_task_back(
    world, case, sign_in, live_server
):
    hospital = world.people_hospital
    publish(
        world,
        code="LY-YL-901",
        name="高层次人才健康体检",
        department="市卫生健康委",
        undertaking_orgs=[hospital],
        category=Category.MEDICAL,
    )
    by_application = catalogue.publish_item(
        catalogue.create_item(
            window=world.windows["临沂市"],
            by=world.zhou_min,
            at=world.at,
            **item_fields(world, "LY-YL-902", "高层次人才就医绿色通道", "市卫生健康委", 5, 10, "medical"),
        ),
        by=world.zhou_min,
        at=world.at,
    )
    health = make_user("wei_jian", "卫健专员")
    appoint_commissioner(
        user=health,
        kind="department",
        organisation=world.departments["市卫生健康委"],
        by=world.admin,
        at=world.at,
    )
    task = actions.accept_task(submitted(case, [by_application]).tasks.get(), by=health, at=world.at)
    actions.delegate_task(task, undertaking_org=hospital, by=health, at=world.at)
    page = sign_in(world.he_ping)
    page.goto(f"{live_server.url}/workbench/")

    page.fill("#card-input", world.li_ming_card.number)
    page.locator("#card-lookup").get_by_role("button", name="查找").click()
    record(page, "LY-YL-901", "临沂市人民医院体检中心")
    page.goto(f"{live_server.url}/workbench/")
    page.get_by_role("link", name=task.number).click()
    page.fill("#id_report-back-note", "已完成就医绿色通道安排")
    page.locator("#step-report-back button[type=submit]").click()

    expect(page.locator("#task-status")).to_have_text("办理中")
    assert DirectService.objects.get().post.undertaking_org == hospital
