"""Demo hotline orders for the demo talent 李明 (user ``talent``): one 12345 order matched to an item, now
in 市住房和城乡建设局's queue, and one that matched no item, waiting at the 兰山区 window to be assigned.

They go through the same action as a signed push (``receive_order``), minus the signature check, which
is the webhook view's. Idempotent: an order already received is not received again.
"""

import datetime
import json

from django.db import transaction

from huicai.hotlines import actions
from huicai.hotlines.choices import Hotline, InboundStatus
from huicai.hotlines.models import InboundOrder
from huicai.hotlines.webhooks import Envelope
from huicai.talents.models import Talent

DEMO_ORDERS = [
    {
        "order_id": "12345-DEMO-0001",
        "content": "来电人反映：已提交高层次人才购房补贴申领材料两周，尚未收到审核结果，希望尽快办理。",
        "service_item_code": "LY-ZF-002",
        "days_ago": 2,
        "due_in_days": 7,
    },
    {
        "order_id": "12345-DEMO-0002",
        "content": "来电人咨询：子女放学后无人照看，希望了解人才服务政策中是否有课后托管方面的支持。",
        "service_item_code": None,
        "days_ago": 1,
        "due_in_days": 10,
    },
]


@transaction.atomic
def load_demo(*, at) -> None:
    talent = Talent.objects.filter(user__username="talent").first()
    if talent is None:
        return
    for spec in DEMO_ORDERS:
        if InboundOrder.objects.filter(
            hotline=Hotline.HOTLINE_12345, order_id=spec["order_id"], status=InboundStatus.ACCEPTED
        ).exists():
            continue
        received_at = at - datetime.timedelta(days=spec["days_ago"])
        payload = {
            "order_id": spec["order_id"],
            "id_number": talent.id_number,
            "content": spec["content"],
            "service_item_code": spec["service_item_code"],
            "due_date": (received_at + datetime.timedelta(days=spec["due_in_days"])).date().isoformat(),
        }
        envelope = Envelope(
            hotline=Hotline.HOTLINE_12345,
            webhook_id=f"demo-{spec['order_id']}",
            timestamp=int(received_at.timestamp()),
            body=json.dumps(payload, ensure_ascii=False).encode(),
        )
        actions.receive_order(envelope=envelope, at=received_at)
