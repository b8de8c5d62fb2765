"""SMS backends, chosen by the ``HUICAI_SMS_BACKEND`` setting (a dotted class path), as Django chooses its
mail backend.

- ``ConsoleSmsBackend`` (default): writes one log line with the masked number, nothing is sent.
- ``LocmemSmsBackend``: keeps messages in ``outbox`` for tests, like Django's locmem mail backend.
- ``HttpSmsGateway``: posts JSON to the operator's SMS gateway (settings ``HUICAI_SMS_GATEWAY_*``).

A backend's ``send`` raises on failure; the caller (actions.send_delivery) records the failure and retries.
An error whose ``permanent`` attribute is true (the gateway refused the message) is not retried.
Numbers never reach a log or an error message in clear (SECURITY.md): use ``mask_phone``.
"""

import ipaddress
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from huicai.core.masking import mask_phone

logger = logging.getLogger(__name__)

DEFAULT_BACKEND = "huicai.notifications.sms.ConsoleSmsBackend"

# Messages "sent" by LocmemSmsBackend; tests clear it between cases.
outbox: list["SmsMessage"] = []


@dataclass(frozen=True)
class SmsMessage:
    to: str
    text: str
    # Our own id for the message, sent to the gateway so it can drop a retried duplicate.
    reference: str = ""


class SmsError(Exception):
    """The message could not be sent; worth trying again later."""

    permanent = False


class SmsRejected(SmsError):
    """The gateway refused this message (bad number, bad template…): trying again would fail the same way."""

    permanent = True


def get_sms_backend():
    """A new instance of the configured backend, read at call time so tests can change the setting."""
    return import_string(getattr(settings, "HUICAI_SMS_BACKEND", "") or DEFAULT_BACKEND)()


class ConsoleSmsBackend:
    """Logs that a message would be sent: the masked number, the length and the reference, not the text
    (a title may name a person)."""

    def send(self, message: SmsMessage) -> None:
        logger.info(
            "SMS (console backend, not sent) to %s, %d characters, reference %s",
            mask_phone(message.to),
            len(message.text),
            message.reference or "-",
        )


class LocmemSmsBackend:
    """Appends each message to ``huicai.notifications.sms.outbox``."""

    def send(self, message: SmsMessage) -> None:
        outbox.append(message)


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    # Following a redirect would repeat the API key to another address; a 3xx is an error instead.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class HttpSmsGateway:
    """Posts one message as JSON to the gateway URL and raises unless it answers 2xx.

    Request: ``POST <HUICAI_SMS_GATEWAY_URL>`` with ``Authorization: Bearer <HUICAI_SMS_GATEWAY_API_KEY>``
    and the body ``{"mobile", "content", "sign_name", "template_id", "template_params": {"content"},
    "request_id"}``. ``request_id`` is stable across retries of one delivery, so a gateway that
    de-duplicates can drop a retry whose first attempt did reach it. A provider with another format is
    reached through a small relay that speaks this one, not through a new backend here.

    The URL must be https, except on the loopback interface (a local relay, or the tests' stub server):
    the API key and the numbers never cross a network in clear.
    """

    def __init__(self, *, url=None, api_key=None, sign_name=None, template_id=None, timeout=None):
        self.url = url if url is not None else getattr(settings, "HUICAI_SMS_GATEWAY_URL", "")
        self.api_key = api_key if api_key is not None else getattr(settings, "HUICAI_SMS_GATEWAY_API_KEY", "")
        self.sign_name = (
            sign_name if sign_name is not None else getattr(settings, "HUICAI_SMS_GATEWAY_SIGN_NAME", "")
        )
        self.template_id = (
            template_id
            if template_id is not None
            else getattr(settings, "HUICAI_SMS_GATEWAY_TEMPLATE_ID", "")
        )
        self.timeout = timeout if timeout is not None else getattr(settings, "HUICAI_SMS_GATEWAY_TIMEOUT", 10)
        _check_url(self.url)

    def send(self, message: SmsMessage) -> None:
        payload = {
            "mobile": message.to,
            "content": message.text,
            "sign_name": self.sign_name,
            "template_id": self.template_id,
            "template_params": {"content": message.text},
            "request_id": message.reference,
        }
        headers = {"Content-Type": "application/json; charset=utf-8", "Accept": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        request = urllib.request.Request(
            self.url, data=json.dumps(payload, ensure_ascii=False).encode(), headers=headers, method="POST"
        )
        handlers = [_RefuseRedirects]
        if _is_loopback(urllib.parse.urlsplit(self.url).hostname):
            handlers.append(urllib.request.ProxyHandler({}))  # a local relay is never behind a proxy
        opener = urllib.request.build_opener(*handlers)
        try:
            with opener.open(request, timeout=self.timeout) as response:
                response.read(1024)
        except urllib.error.HTTPError as exc:
            # Only the status: the body may echo the number back.
            exc.close()
            if 400 <= exc.code < 500 and exc.code not in (408, 429):
                raise SmsRejected(f"短信网关拒绝：HTTP {exc.code}") from None
            raise SmsError(f"短信网关错误：HTTP {exc.code}") from None
        except urllib.error.URLError as exc:
            raise SmsError(f"短信网关不可达：{type(exc.reason).__name__}") from None
        except (TimeoutError, OSError) as exc:
            raise SmsError(f"短信网关不可达：{type(exc).__name__}") from None


def _check_url(url: str) -> None:
    parts = urllib.parse.urlsplit(url)
    if not url or not parts.hostname:
        raise ImproperlyConfigured("HUICAI_SMS_GATEWAY_URL must be set to use HttpSmsGateway")
    if parts.scheme == "https":
        return
    if parts.scheme == "http" and _is_loopback(parts.hostname):
        return
    raise ImproperlyConfigured("HUICAI_SMS_GATEWAY_URL must use https (http only on the loopback interface)")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
