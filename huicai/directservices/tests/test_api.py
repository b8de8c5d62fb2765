"""The REST API: card look-up (masked, audited, 404 for unknown), recording with idempotency, the
appointment flow with 400/403/404/409 as documented, scoped lists with bounded queries."""

import datetime

import pytest
import time_machine

from huicai.core.models import AuditEvent
from huicai.directservices.cards import card_qr_payload
from huicai.directservices.models import Appointment, DirectService
from huicai.directservices.tests.conftest import book, local, serve
from huicai.talents.actions import change_card_status

NOW = local(2026, 3, 3, 10, 0)
SERVICES = "/api/v1/direct-services/"
APPOINTMENTS = "/api/v1/appointments/"


def post(client, url, data, **headers):
    return client.post(url, data, content_type="application/json", **headers)


def service_body(**extra):
    return {"card": "YM2026000001", "item": "LY-GA-901", "place": "公安窗口", "outcome": "served", **extra}


# --- look-up -----------------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_the_look_up_returns_masked_data_validity_and_open_items(direct, login):
    world = direct.world
    client = login(world.zhao_qiang)

    response = client.post(f"{SERVICES}lookup/", {"card": "YM2026000001"}, content_type="application/json")

    body = response.json()
    assert response.status_code == 200
    assert body["talent"]["name"] == "李明"
    assert body["talent"]["id_number_masked"] == world.li_ming.id_number_masked
    assert world.li_ming.id_number not in response.content.decode()
    assert world.li_ming.mobile not in response.content.decode()
    assert body["can_be_served"] is True
    assert body["cards"][0]["is_valid_today"] is True
    items = {row["code"]: row["can_record"] for row in body["items"]}
    assert items == {"LY-GA-901": True, "LY-JT-901": False, "LY-YL-901": False}
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.REVEAL, actor=world.zhao_qiang).count() == 1


@time_machine.travel(NOW, tick=False)
def test_the_look_up_shows_why_a_card_cannot_be_served(direct, login):
    world = direct.world
    change_card_status(world.li_ming_card, status="lost", by=world.chen_jing, at=world.at)

    body = (
        login(world.zhao_qiang)
        .post(f"{SERVICES}lookup/", {"card": "YM2026000001"}, content_type="application/json")
        .json()
    )

    assert (body["can_be_served"], body["refusal"], body["items"]) == (False, "该人才卡已挂失", [])


@time_machine.travel(NOW, tick=False)
def test_the_look_up_takes_a_qr_payload_or_by_post_an_id_number(direct, login):
    world = direct.world
    client = login(world.chen_jing)

    by_qr = client.post(
        f"{SERVICES}lookup/", {"card": card_qr_payload(world.li_ming_card)}, content_type="application/json"
    )
    by_id = post(client, f"{SERVICES}lookup/", {"id_number": world.li_ming.id_number})

    assert by_qr.status_code == by_id.status_code == 200
    assert by_id.json()["card"] is None
    assert [card["number"] for card in by_id.json()["cards"]] == ["YM2026000001"]


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("card", ["YM2099999999", "HUICAI-CARD:YM2026000001:0000000000000000", "x"])
def test_an_unknown_number_or_a_forged_code_is_404(direct, login, card):
    response = login(direct.world.zhao_qiang).post(
        f"{SERVICES}lookup/", {"card": card}, content_type="application/json"
    )

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@time_machine.travel(NOW, tick=False)
def test_failed_look_ups_are_throttled(direct, login):
    client = login(direct.world.zhao_qiang)
    for serial in range(10):
        client.post(
            f"{SERVICES}lookup/", {"card": f"YM20990000{serial:02d}"}, content_type="application/json"
        )

    response = client.post(f"{SERVICES}lookup/", {"card": "YM2026000001"}, content_type="application/json")

    assert response.status_code == 429


@pytest.mark.parametrize("persona", ["li_ming_user", "wang_fang"])
def test_only_serving_commissioners_look_up(direct, login, persona):
    response = login(getattr(direct.world, persona)).post(
        f"{SERVICES}lookup/", {"card": "YM2026000001"}, content_type="application/json"
    )

    assert response.status_code == 403


def test_anonymous_cannot_look_up(direct, client):
    assert client.post(
        f"{SERVICES}lookup/", {"card": "YM2026000001"}, content_type="application/json"
    ).status_code in (401, 403)


# --- recording ---------------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_recording_by_card_or_qr_payload(direct, login):
    world = direct.world
    client = login(world.zhao_qiang)

    by_card = post(client, SERVICES, service_body())
    by_qr = post(client, SERVICES, service_body(card=card_qr_payload(world.li_ming_card)))

    assert by_card.status_code == by_qr.status_code == 201
    assert by_card.json()["talent_name"] == "李明"
    assert by_card.json()["item_version_number"] == 1
    assert DirectService.objects.count() == 2


@time_machine.travel(NOW, tick=False)
def test_recording_by_talent_id_picks_the_valid_card(direct, login):
    world = direct.world

    response = post(
        login(world.chen_jing),
        SERVICES,
        {**service_body(card="", item="LY-JT-901"), "talent": world.li_ming.pk},
    )

    assert response.status_code == 201, response.json()
    assert response.json()["card_number"] == "YM2026000001"
    assert response.json()["window"] == world.windows["兰山区"].pk


@time_machine.travel(NOW, tick=False)
def test_an_idempotent_retry_records_once(direct, login):
    client = login(direct.world.zhao_qiang)

    first = post(client, SERVICES, service_body(), HTTP_IDEMPOTENCY_KEY="counter-1")
    retry = post(client, SERVICES, service_body(), HTTP_IDEMPOTENCY_KEY="counter-1")
    other_body = post(client, SERVICES, service_body(place="别处"), HTTP_IDEMPOTENCY_KEY="counter-1")

    assert first.status_code == retry.status_code == 201
    assert retry["Idempotent-Replayed"] == "true"
    assert retry.json()["id"] == first.json()["id"]
    assert other_body.status_code == 400
    assert DirectService.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_a_refused_card_is_400_with_its_reason(direct, login):
    world = direct.world
    change_card_status(world.li_ming_card, status="revoked", by=world.chen_jing, at=world.at)

    response = post(login(world.zhao_qiang), SERVICES, service_body())

    assert response.status_code == 400
    assert response.json()["errors"]["non_field_errors"] == ["该人才卡已撤销"]
    assert not DirectService.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_another_departments_item_is_403_with_the_reason(direct, login):
    response = post(login(direct.world.zhao_qiang), SERVICES, service_body(item="LY-JT-901"))

    assert response.status_code == 403
    assert response.json() == {
        "code": "permission_denied",
        "message": "事项“机场贵宾通道”不属于您所在的部门或承办机构，您不能登记该事项的直接服务。",
    }
    assert not DirectService.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_an_unknown_card_is_400_and_counts_as_a_failed_look_up(direct, login):
    response = post(login(direct.world.zhao_qiang), SERVICES, service_body(card="YM2099999999"))

    assert response.status_code == 400
    assert response.json()["errors"]["card"] == ["未找到该人才卡，请核对卡号或二维码。"]
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.DENIED, detail="card_lookup").count() == 1


def test_the_talent_cannot_record(direct, login):
    assert post(login(direct.world.li_ming_user), SERVICES, service_body()).status_code == 403


@pytest.mark.parametrize("count", [1, 6])
def test_the_service_list_is_scoped_and_its_queries_bounded(direct, login, django_assert_num_queries, count):
    for _ in range(count):
        serve(direct)
    client = login(direct.world.wang_fang)

    with django_assert_num_queries(9):
        response = client.get(SERVICES)

    assert response.json()["count"] == count
    assert login(direct.world.sun_lei).get(SERVICES).json()["count"] == 0
    assert login(direct.world.qian_hui).get(SERVICES).json()["count"] == 0


# --- appointments ------------------------------------------------------------------------------------


def booking(world, **extra):
    return {
        "talent": world.li_ming.pk,
        "item": "LY-GA-901",
        "post": world.zhao_qiang.posts.get().pk,
        "date": "2026-03-04",
        "start_time": "10:00",
        "end_time": "10:30",
        **extra,
    }


@time_machine.travel(NOW, tick=False)
def test_the_appointment_flow_over_the_api(direct, login):
    world = direct.world
    talent = login(world.li_ming_user)
    commissioner = login(world.zhao_qiang)

    created = post(talent, APPOINTMENTS, booking(world), HTTP_IDEMPOTENCY_KEY="book-1")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert post(talent, APPOINTMENTS, booking(world), HTTP_IDEMPOTENCY_KEY="book-1").json()["id"] == pk
    assert Appointment.objects.count() == 1

    assert post(talent, f"{APPOINTMENTS}{pk}/confirm/", {}).status_code == 403
    stale = post(commissioner, f"{APPOINTMENTS}{pk}/confirm/", {}, HTTP_IF_MATCH="5")
    assert stale.status_code == 409
    confirmed = post(commissioner, f"{APPOINTMENTS}{pk}/confirm/", {"note": "请准时"}, HTTP_IF_MATCH="1")
    assert confirmed.json()["status"] == "confirmed"
    assert post(commissioner, f"{APPOINTMENTS}{pk}/decline/", {"reason": "晚了"}).status_code == 409

    with time_machine.travel(local(2026, 3, 4, 10, 5), tick=False):
        commissioner = login(world.zhao_qiang)  # a day later: a new session
        completed = post(
            commissioner, f"{APPOINTMENTS}{pk}/complete/", {"place": "公安窗口", "outcome": "served"}
        )
    assert completed.status_code == 200, completed.json()
    assert completed.json()["status"] == "completed"
    assert completed.json()["direct_service"] == DirectService.objects.get().pk
    assert [event["action"] for event in completed.json()["events"]] == ["book", "confirm", "complete"]


@time_machine.travel(NOW, tick=False)
def test_declining_needs_a_reason_and_cancelling_too(direct, login):
    world = direct.world
    pk = post(login(world.li_ming_user), APPOINTMENTS, booking(world)).json()["id"]
    commissioner = login(world.zhao_qiang)

    assert post(commissioner, f"{APPOINTMENTS}{pk}/decline/", {}).status_code == 400
    assert post(commissioner, f"{APPOINTMENTS}{pk}/cancel/", {"reason": " "}).status_code == 400
    cancelled = post(login(world.wang_fang), f"{APPOINTMENTS}{pk}/cancel/", {"reason": "会议冲突"})
    assert (cancelled.json()["status"], cancelled.json()["cancelled_side"]) == ("cancelled", "talent")


@time_machine.travel(NOW, tick=False)
def test_a_holiday_booking_is_400_with_the_reason(direct, login):
    world = direct.world

    response = post(login(world.li_ming_user), APPOINTMENTS, booking(world, date="2026-04-06"))

    assert response.status_code == 400
    assert response.json()["errors"]["non_field_errors"] == [
        "2026-04-06不是工作日（周末或法定节假日），请选择工作日预约。"
    ]


@time_machine.travel(NOW, tick=False)
def test_a_double_booking_is_refused_at_confirmation(direct, login):
    world = direct.world
    talent = login(world.li_ming_user)
    commissioner = login(world.zhao_qiang)
    first = post(talent, APPOINTMENTS, booking(world)).json()["id"]
    second = post(talent, APPOINTMENTS, booking(world, start_time="10:15", end_time="10:45")).json()["id"]
    post(commissioner, f"{APPOINTMENTS}{first}/confirm/", {})

    response = post(commissioner, f"{APPOINTMENTS}{second}/confirm/", {})

    assert response.status_code == 400
    assert "同一专员不能重复预约" in response.json()["errors"]["non_field_errors"][0]


@pytest.mark.parametrize("persona", ["qian_hui", "sun_lei", "he_ping"])
def test_outsiders_get_404_on_an_appointment(direct, login, persona):
    appointment = book(direct, start=local(2026, 3, 4, 10))
    client = login(getattr(direct.world, persona))

    assert client.get(f"{APPOINTMENTS}{appointment.pk}/").status_code == 404
    assert post(client, f"{APPOINTMENTS}{appointment.pk}/cancel/", {"reason": "x"}).status_code == 404


@pytest.mark.parametrize("count", [1, 6])
def test_the_appointment_list_is_scoped_and_its_queries_bounded(
    direct, login, django_assert_num_queries, count
):
    for hour in range(count):
        book(direct, start=local(2026, 3, 4, 9) + datetime.timedelta(hours=hour))
    client = login(direct.world.zhao_qiang)

    with django_assert_num_queries(9):
        response = client.get(APPOINTMENTS)

    assert response.json()["count"] == count
    assert (
        login(direct.world.chen_jing).get(APPOINTMENTS).json()["count"] == count
    )  # li_ming is at home there
    assert login(direct.world.sun_lei).get(APPOINTMENTS).json()["count"] == 0
