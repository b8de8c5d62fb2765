"""Signed webhooks in the Standard Webhooks style, both ways (SECURITY.md: HMAC-SHA256 over
``id.timestamp.body``, ±300 s, id de-duplicated, constant-time compare).

A message carries three headers:

- ``webhook-id``: the sender's id of the message, the same when it resends the message;
- ``webhook-timestamp``: seconds since the epoch when it was (re)sent;
- ``webhook-signature``: ``v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">``, several separated by
  spaces while a secret is being rotated.

Each hotline has its secrets in ``HUICAI_HOTLINE_<KEY>_SECRET`` (KEY ``12345`` or ``PROVINCIAL``): one
secret, or several separated by spaces or commas (or a list) during a rotation; any of them verifies an
incoming message, the first one signs what we send. A secret written ``whsec_<base64>`` is the
base64-decoded bytes, as Standard Webhooks libraries give it; any other is its UTF-8 bytes. Results are
posted to ``HUICAI_HOTLINE_<KEY>_CALLBACK_URL`` (https, or http on the loopback interface only) with a
timeout of ``HUICAI_HOTLINE_TIMEOUT`` seconds.
"""

import base64
import binascii
import hashlib
import hmac
import ipaddress
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from huicai.hotlines.choices import SETTING_KEYS, Hotline, Refusal

TOLERANCE_SECONDS = 300
MAX_BODY_BYTES = 64 * 1024
# Ids are the sender's; keep them to a safe alphabet so they can be stored and shown as they are.
WEBHOOK_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,100}$")


class Refused(Exception):
    """A pushed message we do not act on: the code and status the hotline gets, a message in Chinese."""

    STATUS = {
        Refusal.TOO_LARGE: 413,
        Refusal.UNKNOWN_HOTLINE: 401,
        Refusal.MISSING_HEADERS: 401,
        Refusal.BAD_TIMESTAMP: 401,
        Refusal.STALE_TIMESTAMP: 401,
        Refusal.BAD_SIGNATURE: 401,
        Refusal.MALFORMED: 400,
        Refusal.REPLAYED: 409,
        Refusal.ORDER_CONFLICT: 409,
        Refusal.UNKNOWN_TALENT: 422,
        Refusal.UNKNOWN_ITEM: 422,
        Refusal.UNKNOWN_ORDER: 422,
        Refusal.UNKNOWN_LEVEL: 422,
        Refusal.RATING_REFUSED: 422,
    }

    def __init__(self, code: str, message: str = "", *, order_id: str = "", body_hash: str = ""):
        super().__init__(code)
        self.code = code
        self.message = message or str(Refusal(code).label)
        # What is known of the message when it was refused, for the record of the refusal.
        self.order_id = order_id
        self.body_hash = body_hash

    @property
    def status(self) -> int:
        return self.STATUS[self.code]


@dataclass(frozen=True)
class Envelope:
    """An authenticated message: which hotline sent it, under which id, and the body it signed."""

    hotline: str
    webhook_id: str
    timestamp: int
    body: bytes


def get_secrets(hotline) -> list[bytes]:
    """The hotline's secrets, the signing one first; none when it is not configured."""
    key = SETTING_KEYS.get(hotline)
    return parse_secrets(getattr(settings, f"HUICAI_HOTLINE_{key}_SECRET", "") if key else "")


def parse_secrets(raw) -> list[bytes]:
    """Secrets as configured (one, or several separated by spaces or commas, or a list), as bytes, the
    signing one first. Other signed exchanges (the provincial sync) read their setting through this too."""
    values = raw if isinstance(raw, list | tuple) else re.split(r"[\s,]+", raw or "")
    secrets = []
    for value in values:
        value = value.strip()
        if not value:
            continue
        if value.startswith("whsec_"):
            try:
                secrets.append(base64.b64decode(value[len("whsec_") :], validate=True))
            except (binascii.Error, ValueError):
                continue  # a broken secret verifies nothing rather than everything
        else:
            secrets.append(value.encode())
    return [secret for secret in secrets if secret]


def get_callback_url(hotline) -> str:
    key = SETTING_KEYS.get(hotline)
    return getattr(settings, f"HUICAI_HOTLINE_{key}_CALLBACK_URL", "") if key else ""


def sign(secret: bytes, webhook_id: str, timestamp: int, body: bytes) -> str:
    """The ``v1,<base64>`` signature of a message."""
    signed = f"{webhook_id}.{timestamp}.".encode() + body
    digest = hmac.new(secret, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def signed_headers(secret: bytes, webhook_id: str, timestamp: int, body: bytes) -> dict:
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, webhook_id, timestamp, body),
    }


def verify(hotline: str, headers, body: bytes, *, now: float) -> Envelope:
    """Authenticate a pushed message or raise ``Refused``: known hotline, headers present, timestamp
    within ±300 s of ``now`` (seconds since the epoch), and one of the signatures made with one of the
    hotline's secrets. Every signature is compared in constant time."""
    if hotline not in Hotline.values:
        raise Refused(Refusal.UNKNOWN_HOTLINE, _("未知的热线或未配置密钥。"))
    secrets = get_secrets(hotline)
    if not secrets:
        # Not configured: nothing can be authenticated, so nothing is accepted.
        raise Refused(Refusal.UNKNOWN_HOTLINE, _("未知的热线或未配置密钥。"))
    webhook_id = headers.get("webhook-id", "")
    raw_timestamp = headers.get("webhook-timestamp", "")
    signatures = headers.get("webhook-signature", "")
    if not (webhook_id and raw_timestamp and signatures):
        raise Refused(
            Refusal.MISSING_HEADERS, _("缺少签名头（webhook-id、webhook-timestamp、webhook-signature）。")
        )
    if not WEBHOOK_ID.match(webhook_id):
        raise Refused(Refusal.MISSING_HEADERS, _("webhook-id 格式不正确。"))
    if not re.fullmatch(r"\d{1,12}", raw_timestamp):
        raise Refused(Refusal.BAD_TIMESTAMP, _("webhook-timestamp 应为以秒计的整数时间戳。"))
    timestamp = int(raw_timestamp)
    if abs(now - timestamp) > TOLERANCE_SECONDS:
        raise Refused(Refusal.STALE_TIMESTAMP, _("时间戳与服务器时间相差超过300秒，请校准时钟后重发。"))
    offered = [candidate.encode() for candidate in signatures.split()]
    for secret in secrets:
        expected = sign(secret, webhook_id, timestamp, body).encode()
        if any(hmac.compare_digest(expected, candidate) for candidate in offered):
            return Envelope(hotline=hotline, webhook_id=webhook_id, timestamp=timestamp, body=body)
    raise Refused(Refusal.BAD_SIGNATURE, _("签名无效。"))


# --- sending ----------------------------------------------------------------------------------------


class SendError(Exception):
    """The hotline did not acknowledge the delivery; ``status_code`` is its HTTP answer if it gave one."""

    def __init__(self, message, *, status_code=None, permanent=False):
        super().__init__(message)
        self.status_code = status_code
        self.permanent = permanent


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    # A signed result is for the configured address only; a redirect is an error, never followed.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _is_loopback(host) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host or "").is_loopback
    except ValueError:
        return False


def post(hotline: str, *, webhook_id: str, body: bytes, timestamp: int | None = None) -> int:
    """POST a signed JSON body to the hotline's callback URL; return the 2xx status or raise SendError."""
    url = get_callback_url(hotline)
    parts = urllib.parse.urlsplit(url)
    if not url or not parts.hostname:
        raise SendError(_("未配置该热线的回传地址。"))
    if not (parts.scheme == "https" or parts.scheme == "http" and _is_loopback(parts.hostname)):
        raise SendError(_("回传地址必须使用 https。"), permanent=True)
    if not get_secrets(hotline):
        raise SendError(_("未配置该热线的签名密钥。"))
    return post_signed(
        url,
        get_secrets(hotline),
        webhook_id=webhook_id,
        body=body,
        timestamp=timestamp,
        timeout=getattr(settings, "HUICAI_HOTLINE_TIMEOUT", 10),
        system=_("热线系统"),
        user_agent="Huicai-Hotline-Adapter/1",
    )


def post_signed(
    url: str,
    secrets: list[bytes],
    *,
    webhook_id: str,
    body: bytes,
    timestamp: int | None = None,
    timeout: int = 10,
    system: str = "",
    user_agent: str = "Huicai/1",
) -> int:
    """POST a body signed with the first of ``secrets`` to ``url``; return the 2xx status or raise
    SendError. ``system`` names the receiver in error messages (热线系统, 省级人才系统).

    The timestamp is the real time of sending (the receiver checks it against its own clock), so it is
    read here, at the edge, rather than passed from the domain's ``at``.
    """
    system = system or _("对方系统")
    parts = urllib.parse.urlsplit(url)
    if not url or not parts.hostname:
        raise SendError(_("未配置%(system)s的接收地址。") % {"system": system})
    if not (parts.scheme == "https" or parts.scheme == "http" and _is_loopback(parts.hostname)):
        raise SendError(_("接收地址必须使用 https。"), permanent=True)
    if not secrets:
        raise SendError(_("未配置%(system)s的签名密钥。") % {"system": system})
    timestamp = int(time.time()) if timestamp is None else timestamp
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "Accept": "application/json",
        "User-Agent": user_agent,
        **signed_headers(secrets[0], webhook_id, timestamp, body),
    }
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    handlers = [_RefuseRedirects]
    if _is_loopback(parts.hostname):
        handlers.append(urllib.request.ProxyHandler({}))  # a local relay is never behind a proxy
    opener = urllib.request.build_opener(*handlers)
    try:
        with opener.open(request, timeout=timeout) as response:
            response.read(4096)
            return response.status
    except urllib.error.HTTPError as exc:
        exc.close()  # only the status is kept: the body may quote the message back
        raise SendError(
            _("%(system)s返回 HTTP %(code)s。") % {"system": system, "code": exc.code}, status_code=exc.code
        ) from None
    except urllib.error.URLError as exc:
        raise SendError(
            _("%(system)s不可达：%(reason)s。") % {"system": system, "reason": type(exc.reason).__name__}
        ) from None
    except (TimeoutError, OSError) as exc:
        raise SendError(
            _("%(system)s不可达：%(reason)s。") % {"system": system, "reason": type(exc).__name__}
        ) from None
