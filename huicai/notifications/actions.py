"""Notifying people: the inbox row, and its copies by email and SMS.

``notify()`` is called by other apps inside their own transactions (W9 reminders, W13 results …). It
writes the inbox rows and one ``Delivery`` per channel the recipient can receive, and asks the task queue
to send them only once the caller's transaction commits: a rolled-back change announces nothing, and a
slow or failing channel never blocks or undoes the change itself.

Sending (``send_delivery``) runs in a worker. It claims the delivery with a compare-and-swap so two workers
never send one message twice, talks to the channel outside any transaction, and records the result; a
failure is retried after 1, 5, 15, 60 and 240 minutes, then given up.
"""

import datetime
import logging
import re
from functools import partial

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from huicai.core.logging import redact
from huicai.core.masking import mask_phone
from huicai.notifications.choices import SMS_KINDS, Channel, DeliveryStatus
from huicai.notifications.models import Delivery, Notification, mask_email
from huicai.notifications.sms import SmsError, SmsMessage, get_sms_backend

logger = logging.getLogger(__name__)

# Waits after the 1st, 2nd … failed attempt; after the last one the delivery is given up (failed).
RETRY_DELAYS = tuple(datetime.timedelta(minutes=minutes) for minutes in (1, 5, 15, 60, 240))
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# How long a worker owns a claimed delivery. Past it, the worker is presumed dead and another may send it
# again, so it must be far longer than any send can take (the SMS gateway's timeout, EMAIL_TIMEOUT).
SENDING_LEASE = datetime.timedelta(minutes=30)
# Deliveries per queued task: a policy sent to every talent is a few tasks, not thousands.
BATCH_SIZE = 50

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_DIGITS = re.compile(r"\d{7,}")


@transaction.atomic
def notify(recipients, *, kind: str, title: str, body: str = "", link: str = "", at) -> list[Notification]:
    """Put one notification in each recipient's inbox (duplicates in ``recipients`` get one), and queue its
    email and SMS copies for after the caller's commit.

    Email goes to every active recipient with an address; SMS only for ``kind`` in ``SMS_KINDS`` (it costs
    money) and to recipients with a mobile number. A ``Talent`` among the recipients is told through their
    account, or, without one, by SMS on their record's phone whatever the kind. Two inserts whatever the number of recipients, plus one
    look-up of talents' numbers for an SMS kind.
    """
    # notifications sits below talents and imports none of it: the model by name.
    Talent = apps.get_model("talents", "Talent")

    seen = set()
    rows = []
    for recipient in recipients:
        if isinstance(recipient, Talent):
            # A talent record stands for a notice about the talent's own case. With an account it goes to
            # the account like any other; without one there is no inbox and no email, so it goes by SMS to
            # the phone on the record whatever the kind (issue 11: the talent is never left untold).
            if recipient.user_id:
                recipient = recipient.user
            else:
                if ("talent", recipient.pk) not in seen:
                    seen.add(("talent", recipient.pk))
                    rows.append(
                        Notification(
                            talent=recipient, kind=kind, title=title, body=body, link=link, created_at=at
                        )
                    )
                continue
        if recipient is None or recipient.pk in seen:
            continue
        seen.add(recipient.pk)
        rows.append(
            Notification(recipient=recipient, kind=kind, title=title, body=body, link=link, created_at=at)
        )
    notifications = Notification.objects.bulk_create(rows)
    deliveries = _plan_deliveries(notifications, kind=kind, at=at)
    if deliveries:
        Delivery.objects.bulk_create(deliveries)
        # robust: an enqueue that raises is logged, never raised into the caller after its commit. The
        # deliveries stay pending and send_pending_deliveries sends them.
        transaction.on_commit(partial(enqueue_deliveries, [d.pk for d in deliveries]), robust=True)
    return notifications


def _plan_deliveries(notifications, *, kind, at) -> list[Delivery]:
    recipients = [n.recipient for n in notifications if n.recipient is not None and n.recipient.is_active]
    with_sms = kind in SMS_KINDS
    talent_numbers = _users_with_talent_mobile([u for u in recipients if not u.mobile]) if with_sms else set()
    deliveries = []
    for notification in notifications:
        user = notification.recipient
        if user is None:
            # A talent without an account: their own case, by SMS to the phone on their record.
            if notification.talent.mobile:
                deliveries.append(
                    Delivery(notification=notification, channel=Channel.SMS, next_attempt_at=at)
                )
            continue
        if not user.is_active:
            continue
        if user.email:
            deliveries.append(Delivery(notification=notification, channel=Channel.EMAIL, next_attempt_at=at))
        if with_sms and (user.mobile or user.pk in talent_numbers):
            deliveries.append(Delivery(notification=notification, channel=Channel.SMS, next_attempt_at=at))
    return deliveries


def _users_with_talent_mobile(users) -> set[int]:
    """Ids of the users whose talent record has a mobile number (one query, none for an empty list)."""
    if not users:
        return set()
    # Through the users' one-to-one ``talent`` relation: talents builds on notifications, not the reverse.
    rows = (
        get_user_model()
        .objects.filter(pk__in=[u.pk for u in users], talent__isnull=False)
        .values_list("pk", "talent__mobile")
    )
    return {user_id for user_id, mobile in rows if mobile}


def enqueue_deliveries(delivery_ids, *, run_after=None) -> None:
    """Ask the task queue to send these deliveries, in batches; at or after ``run_after`` when given.

    Never raises: a queue that is down leaves the deliveries pending for ``send_pending_deliveries``. A
    backend that cannot defer (the immediate one) gets no retry task; the sweep sends it when due.
    """
    try:
        # A real cycle: the task sends through this module.
        from huicai.notifications.tasks import send_deliveries

        task = send_deliveries
        if run_after is not None:
            if not task.get_backend().supports_defer:
                return
            task = task.using(run_after=run_after)
    except Exception:
        logger.exception("Task queue unavailable; %d deliveries wait for the sweep", len(delivery_ids))
        return
    for start in range(0, len(delivery_ids), BATCH_SIZE):
        batch = list(delivery_ids[start : start + BATCH_SIZE])
        try:
            task.enqueue(batch)
        except Exception:
            logger.exception("Could not enqueue %d deliveries; they wait for the sweep", len(batch))


def send_delivery(delivery_id, *, at) -> str | None:
    """Send one delivery if it is due and nobody else holds it; return its new status, or None if not ours.

    Not one transaction on purpose: the claim is one compare-and-swap statement, the network call runs
    outside any transaction (no row stays locked while a gateway is slow), and the result is written by a
    second compare-and-swap on the claimed attempt, so a worker that outlived its lease cannot overwrite
    the result of the worker that took over.
    """
    claimed = (
        Delivery.objects.due(at)
        .filter(pk=delivery_id, attempts__lt=MAX_ATTEMPTS)
        .update(status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, next_attempt_at=at + SENDING_LEASE)
    )
    if claimed != 1:
        return None
    delivery = Delivery.objects.select_related("notification__recipient", "notification__talent").get(
        pk=delivery_id
    )
    recipient = delivery.notification.recipient
    address = delivery.address() if recipient is None or recipient.is_active else ""
    if not address:
        # The address was removed (or the account closed) after the notification was written.
        return _finish(delivery, status=DeliveryStatus.SKIPPED, last_error=_("接收人已没有可用的地址。"))
    try:
        _send(delivery, address)
    except Exception as exc:  # whatever a channel raises is recorded and retried, never propagated
        return _fail(delivery, exc, address=address, at=at)
    return _finish(delivery, status=DeliveryStatus.SENT, sent_at=at)


def _send(delivery, address) -> None:
    notification = delivery.notification
    url = absolute_link(notification.link)
    if delivery.channel == Channel.EMAIL:
        message = notification.body
        if url:
            message = f"{message}\n\n{_('详情请见：')}{url}".strip()
        subject = " ".join(notification.title.split())  # a header: no line breaks
        send_mail(subject, message, settings.DEFAULT_FROM_EMAIL, [address], fail_silently=False)
    else:
        text = f"{notification.title} {url}".strip()
        get_sms_backend().send(SmsMessage(to=address, text=text, reference=f"huicai-delivery-{delivery.pk}"))


def absolute_link(link: str) -> str:
    """The notification's link as a full URL, when ``HUICAI_BASE_URL`` is set and the link is ours."""
    base = getattr(settings, "HUICAI_BASE_URL", "")
    if not base or not link.startswith("/") or link.startswith("//"):
        return ""
    return base.rstrip("/") + link


def _fail(delivery, exc, *, address, at) -> str:
    error = describe_error(exc, address=address)
    if getattr(exc, "permanent", False) or delivery.attempts >= MAX_ATTEMPTS:
        status, next_attempt_at = DeliveryStatus.FAILED, None
    else:
        status, next_attempt_at = DeliveryStatus.PENDING, at + RETRY_DELAYS[delivery.attempts - 1]
    logger.warning(
        "Delivery %s by %s failed on attempt %s (%s): %s",
        delivery.pk,
        delivery.channel,
        delivery.attempts,
        status,
        error,
    )
    result = _finish(delivery, status=status, last_error=error, next_attempt_at=next_attempt_at)
    if result == DeliveryStatus.PENDING:
        enqueue_deliveries([delivery.pk], run_after=next_attempt_at)
    return result


def _finish(delivery, *, status, next_attempt_at=None, **fields) -> str | None:
    updated = Delivery.objects.filter(
        pk=delivery.pk, status=DeliveryStatus.SENDING, attempts=delivery.attempts
    ).update(status=status, next_attempt_at=next_attempt_at, **fields)
    if updated != 1:
        # Our lease ran out and another worker took the delivery over; its result stands.
        logger.warning(
            "Delivery %s was taken over before attempt %s finished", delivery.pk, delivery.attempts
        )
        return None
    return status


def describe_error(exc, *, address="") -> str:
    """A short error for the delivery row and the log, with the address and anything like an email address
    or a phone number masked (a mail server's refusal quotes the address it refused)."""
    text = str(exc).strip() or type(exc).__name__
    if not isinstance(exc, SmsError):  # ours are already worded for a person
        text = f"{type(exc).__name__}: {text}"
    if address:
        text = text.replace(address, mask_email(address) if "@" in address else mask_phone(address))
    text = _EMAIL.sub(lambda match: mask_email(match.group()), text)
    text = _DIGITS.sub(lambda match: mask_phone(match.group()), redact(text))
    return text[:200]


def get_due_delivery_ids(*, at, limit) -> list[int]:
    """The deliveries a sweep should try now, oldest first."""
    due = Delivery.objects.due(at).filter(attempts__lt=MAX_ATTEMPTS).order_by("next_attempt_at", "id")
    return list(due.values_list("pk", flat=True)[:limit])


def fail_abandoned_deliveries(*, at) -> int:
    """Give up deliveries whose worker died during their last allowed attempt (nothing may retry them)."""
    return (
        Delivery.objects.due(at)
        .filter(status=DeliveryStatus.SENDING, attempts__gte=MAX_ATTEMPTS)
        .update(
            status=DeliveryStatus.FAILED, next_attempt_at=None, last_error=_("最后一次发送中断，已放弃。")
        )
    )


@transaction.atomic
def mark_read(notification, *, by, at) -> None:
    """Mark one of ``by``'s own notifications read; a second call keeps the first time."""
    Notification.objects.filter(pk=notification.pk, recipient=by, read_at__isnull=True).update(read_at=at)


@transaction.atomic
def mark_all_read(*, by, at) -> int:
    """Mark every unread notification of ``by`` as read at ``at``; return how many there were."""
    return Notification.objects.visible_to(by).unread().update(read_at=at)
