"""The SMS backends. The HTTP gateway is tested against a small server on 127.0.0.1 started by the test:
never a real network."""

import json
import logging
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ImproperlyConfigured

from huicai.notifications import sms
from huicai.notifications.actions import notify, send_delivery
from huicai.notifications.choices import SERVICE_RESULT, Channel, DeliveryStatus
from huicai.notifications.models import Delivery

NUMBER = "13812345678"
MESSAGE = sms.SmsMessage(to=NUMBER, text="您的申请已办结", reference="huicai-delivery-7")


class StubGateway:
    """A threaded HTTP server on a free loopback port that records each request and answers ``status``."""

    def __init__(self):
        self.requests = []
        self.status = 200
        self.location = ""
        self.delay = 0.0
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                stub.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "json": json.loads(body)}
                )
                time.sleep(stub.delay)
                try:
                    self.send_response(stub.status)
                    if stub.location:
                        self.send_header("Location", stub.location)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    self.wfile.write(f'{{"echo": "{NUMBER}"}}'.encode())
                except ConnectionError:  # the client gave up waiting (the timeout test)
                    pass

            def log_message(self, format, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/sms/send"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway():
    with StubGateway() as stub:
        yield stub


def make_backend(gateway, **overrides):
    options = {
        "url": gateway.url,
        "api_key": "test-key",
        "sign_name": "临沂人才",
        "template_id": "SMS_0001",
        "timeout": 2,
    }
    return sms.HttpSmsGateway(**{**options, **overrides})


def test_the_console_backend_logs_the_masked_number_only(caplog):
    caplog.set_level(logging.INFO, logger="huicai.notifications.sms")

    sms.ConsoleSmsBackend().send(MESSAGE)

    assert "138****5678" in caplog.text
    assert NUMBER not in caplog.text
    assert MESSAGE.text not in caplog.text
    assert "huicai-delivery-7" in caplog.text


def test_the_locmem_backend_keeps_messages_in_the_outbox(sms_outbox):
    sms.LocmemSmsBackend().send(MESSAGE)

    assert sms_outbox == [MESSAGE]


def test_the_backend_is_the_one_named_in_the_setting(settings):
    settings.HUICAI_SMS_BACKEND = "huicai.notifications.sms.ConsoleSmsBackend"
    assert isinstance(sms.get_sms_backend(), sms.ConsoleSmsBackend)

    del settings.HUICAI_SMS_BACKEND
    assert isinstance(sms.get_sms_backend(), sms.ConsoleSmsBackend)  # the default


def test_the_gateway_receives_the_message_as_json_with_the_api_key(gateway):
    make_backend(gateway).send(MESSAGE)

    (request,) = gateway.requests
    assert request["path"] == "/sms/send"
    assert request["headers"]["Authorization"] == "Bearer test-key"
    assert request["headers"]["Content-Type"] == "application/json; charset=utf-8"
    assert request["json"] == {
        "mobile": NUMBER,
        "content": "您的申请已办结",
        "sign_name": "临沂人才",
        "template_id": "SMS_0001",
        "template_params": {"content": "您的申请已办结"},
        "request_id": "huicai-delivery-7",
    }


def test_the_gateway_settings_are_read_from_django_settings(gateway, settings):
    settings.HUICAI_SMS_GATEWAY_URL = gateway.url
    settings.HUICAI_SMS_GATEWAY_API_KEY = "from-settings"
    settings.HUICAI_SMS_GATEWAY_SIGN_NAME = "惠才"
    settings.HUICAI_SMS_GATEWAY_TEMPLATE_ID = "T9"
    settings.HUICAI_SMS_GATEWAY_TIMEOUT = 3

    sms.HttpSmsGateway().send(MESSAGE)

    (request,) = gateway.requests
    assert request["headers"]["Authorization"] == "Bearer from-settings"
    assert (request["json"]["sign_name"], request["json"]["template_id"]) == ("惠才", "T9")


@pytest.mark.parametrize("status", [500, 502, 503, 429, 408])
def test_a_server_error_or_throttling_is_worth_retrying(gateway, status):
    gateway.status = status

    with pytest.raises(sms.SmsError) as caught:
        make_backend(gateway).send(MESSAGE)

    assert not caught.value.permanent
    assert str(caught.value) == f"短信网关错误：HTTP {status}"


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_a_refusal_is_permanent(gateway, status):
    gateway.status = status

    with pytest.raises(sms.SmsRejected) as caught:
        make_backend(gateway).send(MESSAGE)

    assert caught.value.permanent
    assert NUMBER not in str(caught.value)  # the server echoed it; the error does not


def test_a_redirect_is_not_followed_so_the_key_goes_nowhere_else(gateway):
    with StubGateway() as elsewhere:
        gateway.status = 307
        gateway.location = elsewhere.url

        with pytest.raises(sms.SmsError, match="HTTP 307"):
            make_backend(gateway).send(MESSAGE)

        assert elsewhere.requests == []


def test_a_gateway_slower_than_the_timeout_is_an_error(gateway):
    gateway.delay = 1.0

    with pytest.raises(sms.SmsError, match="短信网关不可达"):
        make_backend(gateway, timeout=0.2).send(MESSAGE)


def test_a_gateway_that_is_not_listening_is_an_error():
    with StubGateway() as stub:
        url = stub.url  # the port is closed when the block ends

    with pytest.raises(sms.SmsError, match="短信网关不可达：ConnectionRefusedError"):
        sms.HttpSmsGateway(url=url, api_key="k", timeout=1).send(MESSAGE)


@pytest.mark.parametrize(
    "url",
    ["", "http://sms.example.com/send", "ftp://127.0.0.1/send", "file:///etc/passwd", "https:///send"],
)
def test_the_gateway_url_must_be_https_except_on_loopback(url):
    with pytest.raises(ImproperlyConfigured):
        sms.HttpSmsGateway(url=url)


@pytest.mark.parametrize(
    "url", ["https://sms.example.com/send", "http://localhost:8025/", "http://[::1]:8025/"]
)
def test_https_and_loopback_urls_are_accepted(url):
    assert sms.HttpSmsGateway(url=url).url == url


def test_a_delivery_through_the_http_gateway_is_recorded_sent(gateway, world, settings):
    settings.HUICAI_SMS_BACKEND = "huicai.notifications.sms.HttpSmsGateway"
    settings.HUICAI_SMS_GATEWAY_URL = gateway.url
    notify([world.li_ming_user], kind=SERVICE_RESULT, title="您的申请已办结", at=world.at)
    delivery = Delivery.objects.get(channel=Channel.SMS)

    status = send_delivery(delivery.pk, at=world.at)

    assert status == DeliveryStatus.SENT
    assert [r["json"]["mobile"] for r in gateway.requests] == [world.li_ming.mobile]
    assert gateway.requests[0]["json"]["request_id"] == f"huicai-delivery-{delivery.pk}"


def test_a_delivery_through_a_failing_http_gateway_waits_for_a_retry(gateway, world, settings):
    settings.HUICAI_SMS_BACKEND = "huicai.notifications.sms.HttpSmsGateway"
    settings.HUICAI_SMS_GATEWAY_URL = gateway.url
    gateway.status = 503
    notify([world.li_ming_user], kind=SERVICE_RESULT, title="您的申请已办结", at=world.at)
    delivery = Delivery.objects.get(channel=Channel.SMS)

    status = send_delivery(delivery.pk, at=world.at)

    delivery.refresh_from_db()
    assert status == DeliveryStatus.PENDING
    assert (delivery.attempts, delivery.last_error) == (1, "短信网关错误：HTTP 503")
