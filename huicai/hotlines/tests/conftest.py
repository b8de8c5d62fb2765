"""Hotline fixtures: the casework world with published items, configured secrets, and a signed push."""

import base64
import json
import time
import uuid

import pytest
import time_machine

from huicai.casework.tests.conftest import case  # noqa: F401  (the fixture, for this package's tests)
from huicai.hotlines.webhooks import signed_headers

SECRET_12345 = "whsec_" + base64.b64encode(b"twelve-three-four-five-secret-32").decode()
SECRET_PROVINCIAL = "whsec_" + base64.b64encode(b"provincial-talent-hotline-secret").decode()


@pytest.fixture(autouse=True)
def hotline_settings(settings):
    settings.HUICAI_HOTLINE_12345_SECRET = SECRET_12345
    settings.HUICAI_HOTLINE_PROVINCIAL_SECRET = SECRET_PROVINCIAL
    settings.HUICAI_HOTLINE_12345_CALLBACK_URL = ""
    settings.HUICAI_HOTLINE_PROVINCIAL_CALLBACK_URL = ""
    settings.HUICAI_HOTLINE_TIMEOUT = 2
    return settings


@pytest.fixture
def frozen(world):
    """The clock stopped at the world's moment (Monday 2 March 2026, 17:00 in Linyi)."""
    with time_machine.travel(world.at, tick=False) as traveller:
        yield traveller


def secret_bytes(secret):
    return base64.b64decode(secret.removeprefix("whsec_"))


def encode(payload) -> bytes:
    return json.dumps(payload, ensure_ascii=False).encode()


def push(
    client, path, payload=None, *, body=None, secret=SECRET_12345, webhook_id=None, timestamp=None, **headers
):
    """POST a body signed as the hotline signs it; ``body`` overrides the JSON of ``payload``."""
    body = encode(payload) if body is None else body
    webhook_id = webhook_id or f"msg_{uuid.uuid4().hex}"
    timestamp = int(time.time()) if timestamp is None else timestamp
    signed = signed_headers(secret_bytes(secret), webhook_id, timestamp, body)
    extra = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in {**signed, **headers}.items()}
    return client.post(path, data=body, content_type="application/json", **extra)


def order(world, **overrides):
    """A 12345 order from li_ming, matched to the 落户 item."""
    return {
        "order_id": "12345-2026-000101",
        "id_number": world.li_ming.id_number,
        "content": "来电人咨询高层次人才落户办理进度，希望尽快办理。",
        "service_item_code": "LY-HJ-001",
        "due_date": "2026-03-09",
        **overrides,
    }
