"""Housekeeping: webhook ids are remembered a day, long past the 300 seconds a replay could pass."""

import datetime

from huicai.hotlines.jobs import forget_webhook_ids
from huicai.hotlines.models import WebhookMessage

AT = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def test_webhook_ids_older_than_a_day_are_forgotten(db):
    WebhookMessage.objects.create(
        hotline="12345", webhook_id="old", received_at=AT - datetime.timedelta(hours=25)
    )
    WebhookMessage.objects.create(
        hotline="12345", webhook_id="recent", received_at=AT - datetime.timedelta(hours=23)
    )

    outcome = forget_webhook_ids(at=AT)

    assert outcome == {"forgotten": 1}
    assert list(WebhookMessage.objects.values_list("webhook_id", flat=True)) == ["recent"]
