"""S12-2: the department's result goes back to the hotline that transferred the order, signed, retried
with backoff, every attempt logged. Against a small server on 127.0.0.1 started by the test: never a real
network."""

import datetime
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from huicai.casework import actions as casework
from huicai.casework.choices import Source
from huicai.casework.tests.conftest import prepare
from huicai.hotlines import actions, webhooks
from huicai.hotlines.choices import DeliveryStatus
from huicai.hotlines.jobs import send_hotline_results
from huicai.hotlines.models import OutboundDelivery

MINUTE = datetime.timedelta(minutes=1)


class StubHotline:
    """A threaded HTTP server on a free loopback port: records each request, answers the next status of
    ``statuses`` (the last one repeats)."""

    def __init__(self):
        self.requests = []
        self.statuses = [200]
        self.location = ""
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                headers = {name.lower(): value for name, value in self.headers.items()}
                stub.requests.append({"path": self.path, "headers": headers, "body": body})
                status = stub.statuses.pop(0) if len(stub.statuses) > 1 else stub.statuses[0]
                self.send_response(status)
                if stub.location:
                    self.send_header("Location", stub.location)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"ok": true}')

            def log_message(self, format, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/hotline/results"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hotline(settings):
    with StubHotline() as stub:
        settings.HUICAI_HOTLINE_12345_CALLBACK_URL = stub.url
        yield stub


def open_case(world, ref="12345-2026-000101", item=None):
    return casework.open_hotline_case(
        talent=world.li_ming,
        source=Source.HOTLINE_12345,
        external_ref=ref,
        content="来电咨询落户进度",
        service_item=item,
        by=world.admin,
        at=world.at,
    )


def complete(case, application, *, result="handled", note="户口已迁入。"):
    world = case.world
    task = casework.accept_task(application.tasks.get(), by=world.zhao_qiang, at=world.at)
    return casework.complete_task(task, result=result, note=note, by=world.zhao_qiang, at=world.at + MINUTE)


@pytest.fixture
def closed(case):
    """li_ming's 12345 order for 落户, completed by 市公安局."""
    application = open_case(case.world, item=case.hukou)
    complete(case, application)
    return application


def test_a_completed_hotline_case_is_sent_back_once_signed_with_its_result(case, closed, hotline, settings):
    at = case.world.at + 5 * MINUTE

    outcome = send_hotline_results(at=at)
    again = send_hotline_results(at=at + MINUTE)

    assert outcome == {"queued": 1, "failed": 0, "sent": 1}
    assert again == {"queued": 0, "failed": 0}
    (request,) = hotline.requests
    envelope = webhooks.verify("12345", request["headers"], request["body"], now=time.time())
    assert envelope.webhook_id == f"huicai-result-{OutboundDelivery.objects.get().pk}"
    assert json.loads(request["body"]) == {
        "order_id": "12345-2026-000101",
        "case_number": closed.number,
        "result": "handled",
        "result_display": "已办理",
        "note": "户口已迁入。",
        "department": "临沂市公安局",
        "completed_at": (case.world.at + MINUTE).isoformat(),
    }
    delivery = OutboundDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.sent_at) == (DeliveryStatus.SENT, 1, at)
    (attempt,) = delivery.attempt_log.all()
    assert (attempt.number, attempt.ok, attempt.status_code, attempt.at) == (1, True, 200, at)


def test_a_failing_hotline_is_retried_after_1_5_15_60_and_240_minutes_then_given_up(case, closed, hotline):
    hotline.statuses = [500]
    at = case.world.at + 5 * MINUTE
    send_hotline_results(at=at)
    delivery = OutboundDelivery.objects.get()
    seen = []

    for _retry in range(5):
        delivery.refresh_from_db()
        due = delivery.next_attempt_at
        seen.append(round((due - at) / MINUTE))
        assert send_hotline_results(at=due - datetime.timedelta(seconds=1)).get("pending") is None  # not yet
        send_hotline_results(at=due)
        at = due

    delivery.refresh_from_db()
    assert seen == [1, 5, 15, 60, 240]
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (DeliveryStatus.FAILED, 6, None)
    assert delivery.last_error == "热线系统返回 HTTP 500。"
    log = list(delivery.attempt_log.values_list("number", "ok", "status_code"))
    assert log == [(n, False, 500) for n in range(1, 7)]
    assert len(hotline.requests) == 6
    assert len({r["headers"]["webhook-id"] for r in hotline.requests}) == 1  # the same message each time
    assert request_paths(hotline) == {"/hotline/results"}


def request_paths(stub):
    return {r["path"] for r in stub.requests}


def test_a_retry_that_gets_through_is_sent_once_and_logged(case, closed, hotline):
    hotline.statuses = [503, 202]
    at = case.world.at + 5 * MINUTE

    send_hotline_results(at=at)
    send_hotline_results(at=at + MINUTE)
    send_hotline_results(at=at + 10 * MINUTE)

    delivery = OutboundDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.sent_at) == (DeliveryStatus.SENT, 2, at + MINUTE)
    assert list(delivery.attempt_log.values_list("ok", "status_code")) == [(False, 503), (True, 202)]
    assert len(hotline.requests) == 2


def test_while_one_scheduler_sends_a_delivery_another_cannot_claim_it(case, closed, monkeypatch, settings):
    settings.HUICAI_HOTLINE_12345_CALLBACK_URL = "http://127.0.0.1:9/unused"
    at = case.world.at + 5 * MINUTE
    actions.queue_results(at=at)
    delivery = OutboundDelivery.objects.get()
    during = []

    def post(hotline, *, webhook_id, body):
        during.append(actions.send_result(delivery.pk, at=at))  # a second scheduler, mid-send
        return 200

    monkeypatch.setattr(actions, "post", post)

    first = actions.send_result(delivery.pk, at=at)

    assert (first, during) == (DeliveryStatus.SENT, [None])
    assert delivery.attempt_log.count() == 1


def test_a_case_has_at_most_one_delivery(case, closed):
    actions.queue_results(at=case.world.at)

    with pytest.raises(IntegrityError):
        OutboundDelivery.objects.create(
            application=closed,
            hotline="12345",
            order_id="x",
            payload="{}",
            created_at=case.world.at,
            next_attempt_at=case.world.at,
        )


def test_a_sender_that_died_on_its_last_attempt_is_given_up(case, closed):
    at = case.world.at
    actions.queue_results(at=at)
    OutboundDelivery.objects.update(
        status=DeliveryStatus.SENDING, attempts=actions.MAX_ATTEMPTS, next_attempt_at=at
    )

    outcome = send_hotline_results(at=at + actions.SENDING_LEASE)

    assert outcome["failed"] == 1
    assert OutboundDelivery.objects.get().status == DeliveryStatus.FAILED


def test_a_withdrawn_hotline_case_is_reported_withdrawn_with_the_reason(case, hotline):
    world = case.world
    application = open_case(world)
    casework.withdraw_application(
        application, reason="问题已自行解决。", by=world.wang_fang, at=world.at + MINUTE
    )

    send_hotline_results(at=world.at + 2 * MINUTE)

    payload = json.loads(hotline.requests[0]["body"])
    assert (payload["result"], payload["note"], payload["department"]) == (
        "withdrawn",
        "问题已自行解决。",
        "",
    )


def test_open_hotline_cases_and_unit_applications_are_not_sent(case, hotline):
    world = case.world
    open_case(world, ref="still-open", item=case.hukou)
    application = prepare(case, [case.housing])
    casework.submit_application(application, by=world.wang_fang, at=world.at)
    task = casework.accept_task(application.tasks.get(), by=case.housing_commissioner, at=world.at)
    casework.complete_task(task, result="handled", by=case.housing_commissioner, at=world.at)

    outcome = send_hotline_results(at=world.at + MINUTE)

    assert outcome["queued"] == 0
    assert hotline.requests == []


def test_the_closed_cases_are_found_in_one_query(case):
    world = case.world
    for number in range(3):
        complete(case, open_case(world, ref=f"12345-Q-{number}", item=case.hukou))

    with CaptureQueriesContext(connection) as queries:
        queued = actions.queue_results(at=world.at)

    selects = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    assert queued == 3
    assert len(selects) == 1


def test_without_a_callback_url_the_delivery_waits_and_says_why(case, closed):
    outcome = send_hotline_results(at=case.world.at)

    delivery = OutboundDelivery.objects.get()
    assert outcome["pending"] == 1
    assert delivery.last_error == "未配置该热线的回传地址。"


def test_a_plain_http_address_off_this_machine_is_refused_for_good(case, closed, settings):
    settings.HUICAI_HOTLINE_12345_CALLBACK_URL = "http://hotline.example.gov.cn/results"

    outcome = send_hotline_results(at=case.world.at)

    assert outcome["failed"] == 1
    assert OutboundDelivery.objects.get().last_error == "回传地址必须使用 https。"


def test_a_redirect_is_not_followed(case, closed, hotline):
    hotline.statuses = [302]
    hotline.location = "http://127.0.0.1:9/elsewhere"

    send_hotline_results(at=case.world.at)

    assert len(hotline.requests) == 1
    assert OutboundDelivery.objects.get().last_error == "热线系统返回 HTTP 302。"


def test_the_department_note_is_stored_encrypted(case, closed):
    actions.queue_results(at=case.world.at)

    with connection.cursor() as cursor:
        cursor.execute("SELECT payload FROM hotlines_outbounddelivery")
        (stored,) = cursor.fetchone()

    assert stored.startswith("v1:")
    assert "户口已迁入" not in stored
