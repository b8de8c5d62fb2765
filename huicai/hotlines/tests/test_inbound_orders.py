"""S12-2: a work order pushed by a hotline becomes a case once, and nothing else gets in."""

import datetime
import json
import logging

import pytest
import time_machine

from huicai.casework.choices import ApplicationStatus, Route, Source, TaskStatus
from huicai.casework.models import Application, CaseEvent, Task
from huicai.core.models import AuditEvent
from huicai.hotlines.choices import InboundStatus
from huicai.hotlines.models import InboundOrder, WebhookMessage
from huicai.hotlines.tests.conftest import SECRET_12345, SECRET_PROVINCIAL, encode, order, push, secret_bytes
from huicai.hotlines.webhooks import sign

URL = "/hotlines/inbound/12345/orders/"


def test_a_signed_order_matching_an_item_is_accepted_and_becomes_one_task_for_its_department(
    case, client, frozen
):
    world = case.world

    response = push(client, URL, order(world))

    application = Application.objects.get()
    task = Task.objects.get()
    assert response.status_code == 201
    assert response.json() == {
        "status": "accepted",
        "order_id": "12345-2026-000101",
        "case_number": application.number,
        "duplicate": False,
    }
    assert (application.source, application.external_ref, application.talent) == (
        Source.HOTLINE_12345,
        "12345-2026-000101",
        world.li_ming,
    )
    assert application.external_due_date == datetime.date(2026, 3, 9)
    assert (task.department.short_name, task.status) == ("市公安局", TaskStatus.PENDING)
    assert CaseEvent.objects.filter(application=application).first().by.username == "hotline-12345"
    inbound = InboundOrder.objects.get()
    assert (inbound.status, inbound.application, inbound.refusal) == (InboundStatus.ACCEPTED, application, "")


def test_the_hotline_acts_as_an_inactive_account_nobody_can_sign_in_as(case, client, frozen):
    push(client, URL, order(case.world))

    user = CaseEvent.objects.first().by
    assert not user.is_active
    assert not user.has_usable_password()


def test_an_order_without_an_item_waits_at_the_talents_home_window(case, client, frozen):
    world = case.world

    response = push(client, URL, order(world, service_item_code=None, order_id="12345-2026-000102"))

    application = Application.objects.get()
    assert response.status_code == 201
    assert (application.status, application.route, application.window) == (
        ApplicationStatus.SUBMITTED,
        Route.WINDOW,
        world.windows["兰山区"],
    )
    assert not Task.objects.exists()


def test_a_talent_is_found_by_card_number_too(case, client, frozen):
    world = case.world

    response = push(client, URL, order(world, id_number="", card_number=world.li_ming_card.number.lower()))

    assert response.status_code == 201
    assert Application.objects.get().talent == world.li_ming


def test_the_provincial_hotline_signs_with_its_own_secret(case, client, frozen):
    world = case.world

    wrong = push(client, "/hotlines/inbound/provincial/orders/", order(world))
    right = push(client, "/hotlines/inbound/provincial/orders/", order(world), secret=SECRET_PROVINCIAL)

    assert wrong.status_code == 401
    assert right.status_code == 201
    assert Application.objects.get().source == Source.HOTLINE_PROVINCIAL


def test_during_a_rotation_either_secret_verifies(case, client, frozen, settings):
    world = case.world
    settings.HUICAI_HOTLINE_12345_SECRET = (
        f"whsec_bmV3LXNlY3JldC1ub3QteWV0LWluLXVzZQ==, {settings.HUICAI_HOTLINE_12345_SECRET}"
    )

    response = push(client, URL, order(world))

    assert response.status_code == 201


def test_the_same_order_pushed_again_returns_the_first_case_and_creates_nothing(case, client, frozen):
    world = case.world
    first = push(client, URL, order(world))
    # Pushed again under a new webhook id, with the keys in another order and a field we do not read.
    payload = dict(reversed(list(order(world).items())), sent_by="operator-7")

    again = push(client, URL, payload)

    assert again.status_code == 200
    assert again.json()["case_number"] == first.json()["case_number"]
    assert again.json()["duplicate"] is True
    assert (Application.objects.count(), Task.objects.count(), InboundOrder.objects.count()) == (1, 1, 1)


# --- refusals ---------------------------------------------------------------------------------------


def assert_refused(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    assert body["message"]  # a sentence for the hotline's operator, in Chinese
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["message"])
    event = AuditEvent.objects.filter(kind=AuditEvent.Kind.WEBHOOK_REJECTED).first()
    assert event is not None and event.result == code


def test_a_replayed_webhook_id_is_refused_and_recorded(case, client, frozen):
    world = case.world
    body = encode(order(world))
    push(client, URL, body=body, webhook_id="msg_replayed_1")

    replay = push(client, URL, body=body, webhook_id="msg_replayed_1")

    assert_refused(replay, 409, "replayed")
    assert Application.objects.count() == 1
    refused = InboundOrder.objects.get(status=InboundStatus.REFUSED)
    assert (refused.refusal, refused.order_id, refused.application) == ("replayed", "12345-2026-000101", None)


def test_a_tampered_body_is_refused_and_changes_nothing(case, client, frozen):
    world = case.world
    body = encode(order(world))
    timestamp = int(world.at.timestamp())
    headers = {
        "HTTP_WEBHOOK_ID": "msg_tampered",
        "HTTP_WEBHOOK_TIMESTAMP": str(timestamp),
        "HTTP_WEBHOOK_SIGNATURE": sign(secret_bytes(SECRET_12345), "msg_tampered", timestamp, body),
    }
    tampered = body.replace("落户".encode(), "出境".encode())

    response = client.post(URL, data=tampered, content_type="application/json", **headers)

    assert_refused(response, 401, "bad_signature")
    assert not Application.objects.exists()
    # Unauthenticated: nothing of the body is trusted, so only the audit event records it.
    assert not InboundOrder.objects.exists()
    assert not WebhookMessage.objects.exists()


@pytest.mark.parametrize("seconds, accepted", [(-301, False), (-299, True), (299, True), (301, False)])
def test_a_timestamp_more_than_300_seconds_away_is_refused(case, client, seconds, accepted):
    world = case.world
    signed_at = int(world.at.timestamp())

    with time_machine.travel(world.at + datetime.timedelta(seconds=seconds), tick=False):
        response = push(client, URL, order(world), timestamp=signed_at)

    if accepted:
        assert response.status_code == 201
    else:
        assert_refused(response, 401, "stale_timestamp")
        assert not Application.objects.exists()


def test_the_same_order_id_with_a_different_body_is_refused(case, client, frozen):
    world = case.world
    push(client, URL, order(world))

    response = push(client, URL, order(world, content="另一件事：咨询子女入学。"))

    assert_refused(response, 409, "order_conflict")
    assert Application.objects.get().content.startswith("来电人咨询高层次人才落户")
    assert InboundOrder.objects.filter(status=InboundStatus.REFUSED, refusal="order_conflict").count() == 1


def test_an_order_id_of_a_case_opened_by_hand_is_refused(case, client, frozen):
    from huicai.casework import actions

    world = case.world
    actions.open_hotline_case(
        talent=world.li_ming,
        source=Source.HOTLINE_12345,
        external_ref="12345-2026-000101",
        content="窗口手工登记的工单",
        by=world.chen_jing,
        at=world.at,
    )

    response = push(client, URL, order(world))

    assert_refused(response, 409, "order_conflict")
    assert Application.objects.count() == 1


REFUSALS = [
    # (what is wrong, payload overrides or raw body, status, code)
    ("unknown talent", {"id_number": "110101199003074514"}, 422, "unknown_talent"),
    ("unknown card", {"id_number": "", "card_number": "YM0000000000"}, 422, "unknown_talent"),
    ("unknown item", {"service_item_code": "LY-XX-999"}, 422, "unknown_item"),
    ("no identity", {"id_number": ""}, 400, "malformed"),
    ("no content", {"content": "   "}, 400, "malformed"),
    ("bad order id", {"order_id": "12345 2026/已受理"}, 400, "malformed"),
    ("bad date", {"due_date": "09/03/2026"}, 400, "malformed"),
    ("nested value", {"content": {"text": "咨询"}}, 400, "malformed"),
    ("not json", b"order_id=1&content=x", 400, "malformed"),
    ("not an object", b"[1, 2, 3]", 400, "malformed"),
    ("not utf-8", '{"content": "落户"}'.encode("gb18030"), 400, "malformed"),
]


@pytest.mark.parametrize("label, change, status, code", REFUSALS, ids=[r[0] for r in REFUSALS])
def test_each_refusal_is_answered_recorded_and_creates_no_case(
    case, client, frozen, label, change, status, code
):
    world = case.world
    if isinstance(change, bytes):
        response = push(client, URL, body=change)
    else:
        response = push(client, URL, order(world, **change))

    assert_refused(response, status, code)
    assert not Application.objects.exists()
    assert not WebhookMessage.objects.exists()
    refused = InboundOrder.objects.get()
    assert (refused.status, refused.refusal) == (InboundStatus.REFUSED, code)


def test_an_id_number_and_a_card_of_two_different_talents_are_refused(case, client, frozen):
    world = case.world

    response = push(client, URL, order(world, id_number=world.liu_yang.id_number, card_number="YM2026000001"))

    assert_refused(response, 422, "unknown_talent")
    assert "不属于同一位人才" in response.json()["message"]
    assert not Application.objects.exists()


def test_a_refused_message_may_be_sent_again_with_the_same_id_once_corrected_upstream(case, client, frozen):
    world = case.world
    push(client, URL, order(world, service_item_code="LY-XX-999"), webhook_id="msg_retry")

    response = push(client, URL, order(world), webhook_id="msg_retry")

    assert response.status_code == 201


def test_an_unsigned_request_is_refused_with_401(case, client, frozen):
    response = client.post(URL, data=encode(order(case.world)), content_type="application/json")

    assert_refused(response, 401, "missing_headers")
    assert not InboundOrder.objects.exists()


def test_a_get_is_not_allowed(client, db):
    assert client.get(URL).status_code == 405


def test_an_unknown_or_unconfigured_hotline_accepts_nothing(case, client, frozen, settings):
    settings.HUICAI_HOTLINE_12345_SECRET = ""

    unconfigured = push(client, URL, order(case.world))
    unknown = push(client, "/hotlines/inbound/110/orders/", order(case.world))

    assert_refused(unconfigured, 401, "unknown_hotline")
    assert_refused(unknown, 401, "unknown_hotline")
    assert not Application.objects.exists()


@pytest.mark.parametrize("timestamp", ["soon", "1.5e9", ""])
def test_a_timestamp_that_is_not_whole_seconds_is_refused(case, client, frozen, timestamp):
    body = encode(order(case.world))

    response = client.post(
        URL,
        data=body,
        content_type="application/json",
        HTTP_WEBHOOK_ID="msg_1",
        HTTP_WEBHOOK_TIMESTAMP=timestamp,
        HTTP_WEBHOOK_SIGNATURE="v1,AAAA",
    )

    assert_refused(response, 401, "bad_timestamp" if timestamp else "missing_headers")


def test_a_body_over_64_kb_is_refused_before_it_is_read(case, client, frozen):
    body = encode(order(case.world, content="咨询" * 20000))

    response = push(client, URL, body=body)

    assert_refused(response, 413, "too_large")


def test_the_resident_id_number_is_kept_nowhere_in_clear_and_never_logged(case, client, frozen, caplog):
    world = case.world
    caplog.set_level(logging.DEBUG)
    number = world.li_ming.id_number
    push(client, URL, order(world))
    push(client, URL, order(world, content="不同的内容"))  # a refusal too

    rows = (
        list(InboundOrder.objects.values())
        + list(AuditEvent.objects.values())
        + list(WebhookMessage.objects.values())
    )
    assert number not in json.dumps(rows, default=str)
    assert number not in caplog.text


def test_the_transferred_order_is_in_the_department_commissioners_queue(case, client, frozen, login):
    world = case.world
    push(client, URL, order(world))

    queue = login(world.zhao_qiang).get("/cases/tasks/").content.decode()

    assert Task.objects.get().number in queue


def test_an_unmatched_order_is_in_the_windows_list_to_assign(case, client, frozen, login):
    world = case.world
    push(client, URL, order(world, service_item_code=""))

    applications = (
        login(world.chen_jing).get("/cases/applications/", {"status": "submitted"}).content.decode()
    )

    assert Application.objects.get().number in applications
