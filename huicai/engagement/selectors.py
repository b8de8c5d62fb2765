"""Read-only queries other apps and the pages share: the grants a talent's archive shows, what a talent may
be able to enjoy, and the sender's counts of a push."""

import datetime

from django.db.models import Count, Q

from huicai.engagement.choices import ReceiptChannel
from huicai.engagement.matching import find_matches, talents_for_matching
from huicai.engagement.models import EligibilityRule, Grant, PushReceipt
from huicai.notifications.choices import DeliveryStatus
from huicai.talents.models import Talent


def _bound(value, lookup):
    if value is None:
        return Q()
    if isinstance(value, datetime.datetime):
        return Q(**{f"granted_at__{lookup}": value})
    return Q(**{f"granted_at__date__{lookup}": value})


def grants_for_talent(talent, *, start=None, end=None):
    """W16-1 免申即享 grants of ``talent`` for the service archive (W14, S18), oldest first: ``start``
    inclusive, ``end`` exclusive, each a date or an aware datetime (None: unbounded). The caller has
    already checked that the user may see the talent."""
    return (
        Grant.objects.filter(talent=talent)
        .filter(_bound(start, "gte"), _bound(end, "lt"))
        .select_related("policy", "service_item", "window", "granted_by")
        .order_by("granted_at", "id")
    )


def possible_benefits(talent, day) -> list:
    """ "您可能可以享受": the public policies and items whose rule the talent meets on ``day`` and has not
    used yet, each with the reasons (the criteria that held). A fixed number of queries."""
    rules = [rule for rule in EligibilityRule.objects.active().with_targets() if rule.is_offerable_on(day)]
    if not rules:
        return []
    [subject] = talents_for_matching(Talent.objects.filter(pk=talent.pk), day)
    return find_matches(rules, [subject], day)


def push_counts(push) -> dict:
    """What the sender sees: how many the push went to, how many received it (inbox at once; SMS once the
    gateway accepted it) and how many read it (talents with an account open it from their inbox)."""
    receipts = PushReceipt.objects.filter(push=push)
    counts = receipts.aggregate(
        total=Count("id"),
        inbox=Count("id", filter=Q(channel=ReceiptChannel.INBOX)),
        sms=Count("id", filter=Q(channel=ReceiptChannel.SMS)),
        sms_sent=Count(
            "id",
            filter=Q(
                channel=ReceiptChannel.SMS,
                notification__deliveries__channel="sms",
                notification__deliveries__status=DeliveryStatus.SENT,
            ),
        ),
        read=Count("id", filter=Q(read_at__isnull=False)),
    )
    counts["received"] = counts["inbox"] + counts["sms_sent"]
    counts["skipped_opted_out"] = push.skipped_opted_out
    return counts
