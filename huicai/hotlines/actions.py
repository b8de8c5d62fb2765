"""Hotline work orders in, results out, ratings in (W10, S12-2).

Inbound: a view authenticates the push (webhooks.verify) and hands the envelope to ``receive_order`` or
``receive_rating``. Each reads the JSON, checked by ``payloads``, and acts in one transaction that also records the
webhook id, so the same message cannot act twice, and a message whose processing failed may come again.
Anything refused raises ``Refused`` with nothing changed; the view then calls ``record_refusal``, which
writes the refusal (an audit event always, plus a refused row when the push was authenticated) in a
transaction of its own.

Outbound: ``queue_results`` finds hotline cases that closed and have no delivery yet and creates one each;
``send_result`` posts one to the hotline, claimed by a compare-and-swap so two schedulers never send it
twice, and retries it after 1, 5, 15, 60 and 240 minutes before giving up.
"""

import datetime
import hashlib
import json
import logging
import time

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from huicai.casework import actions as casework
from huicai.casework.choices import ApplicationStatus, Result, TaskStatus
from huicai.casework.models import Application, Task
from huicai.catalogue.models import ServiceItem
from huicai.core import audit
from huicai.core.logging import redact
from huicai.core.models import AuditEvent
from huicai.hotlines import payloads
from huicai.hotlines.choices import (
    LEVEL_CODES,
    LEVELS,
    DeliveryStatus,
    Hotline,
    InboundStatus,
    RatingImport,
    Refusal,
)
from huicai.hotlines.models import (
    DeliveryAttempt,
    InboundOrder,
    InboundRating,
    OutboundDelivery,
    WebhookMessage,
)
from huicai.hotlines.webhooks import Refused, SendError, post
from huicai.ratings.actions import RatingError, record_hotline_rating
from huicai.talents.models import Talent, TalentCard

logger = logging.getLogger(__name__)

# Waits after the 1st, 2nd … failed attempt; after the last one the delivery is given up (failed).
RETRY_DELAYS = tuple(datetime.timedelta(minutes=minutes) for minutes in (1, 5, 15, 60, 240))
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# How long a sender owns a claimed delivery; far longer than the HTTP timeout.
SENDING_LEASE = datetime.timedelta(minutes=10)


def fingerprint(data: dict) -> str:
    """SHA-256 of the fields we read, as canonical JSON: the same order pushed again has the same one,
    whatever the key order, spacing or extra fields."""
    canonical = json.dumps(
        {key: (value.isoformat() if hasattr(value, "isoformat") else value) for key, value in data.items()},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def get_hotline_user(hotline):
    """The system account a hotline acts as in case histories: inactive, no usable password, so no one
    can sign in as it."""
    user, created = get_user_model().objects.get_or_create(
        username=f"hotline-{hotline}",
        defaults={"full_name": Hotline(hotline).label, "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _refuse_replay(envelope):
    if WebhookMessage.objects.filter(hotline=envelope.hotline, webhook_id=envelope.webhook_id).exists():
        raise Refused(Refusal.REPLAYED, _("该消息（webhook-id）已处理过，不能重复推送。"))


def _remember(envelope, *, at):
    WebhookMessage.objects.create(hotline=envelope.hotline, webhook_id=envelope.webhook_id, received_at=at)


# --- orders ---------------------------------------------------------------------------------------


def receive_order(*, envelope, at) -> tuple[InboundOrder, bool]:
    """S12-2: an authenticated work order becomes a case, once.

    Returns the accepted order and whether it was created now; the same order (same id, same content)
    pushed again under a new webhook id returns the first one and creates nothing. Raises ``Refused``
    with nothing changed otherwise. Two pushes of one order racing each other: the loser's insert fails
    on a unique constraint, and it is answered as the repeat (or the conflict) it then is.
    """
    data = payloads.read_order(envelope.body, today=timezone.localdate(at))
    body_hash = fingerprint(data)
    try:
        try:
            return _receive_order(envelope, data, body_hash, at=at, first_try=True)
        except (IntegrityError, _Raced):
            # Another push of this order committed while we worked: look again, now seeing it.
            return _receive_order(envelope, data, body_hash, at=at, first_try=False)
    except Refused as refusal:
        refusal.order_id, refusal.body_hash = data["order_id"], body_hash
        raise


class _Raced(Exception):
    """Another push of the same order or rating committed while this one was being processed."""


@transaction.atomic
def _receive_order(envelope, data, body_hash, *, at, first_try):
    order_id = data["order_id"]
    _refuse_replay(envelope)
    existing = (
        InboundOrder.objects.filter(
            hotline=envelope.hotline, order_id=order_id, status=InboundStatus.ACCEPTED
        )
        .select_related("application")
        .first()
    )
    if existing is not None:
        if existing.body_hash != body_hash:
            raise Refused(
                Refusal.ORDER_CONFLICT, _("该工单号已接收过内容不同的工单；如需变更请使用新的工单号。")
            )
        return existing, False
    talent = _find_talent(data)
    item = _find_item(data)
    try:
        application = casework.open_hotline_case(
            talent=talent,
            source=envelope.hotline,
            external_ref=order_id,
            content=data["content"],
            service_item=item,
            due_date=data["due_date"],
            by=get_hotline_user(envelope.hotline),
            at=at,
        )
    except casework.InvalidTransition:
        if first_try:
            raise _Raced from None
        # A case for this order id exists without our record (opened by hand): not ours to repeat.
        raise Refused(Refusal.ORDER_CONFLICT, _("该热线工单已经转办。")) from None
    order = InboundOrder.objects.create(
        hotline=envelope.hotline,
        order_id=order_id,
        webhook_id=envelope.webhook_id,
        received_at=at,
        body_hash=body_hash,
        status=InboundStatus.ACCEPTED,
        application=application,
    )
    _remember(envelope, at=at)
    return order, True


def _find_talent(data) -> Talent:
    by_id = by_card = None
    if data["id_number"]:
        by_id = Talent.objects.with_id_number(data["id_number"]).select_related("home_window").first()
        if by_id is None:
            raise Refused(Refusal.UNKNOWN_TALENT, _("未找到该身份证号码对应的高层次人才。"))
    if data["card_number"]:
        card = (
            TalentCard.objects.filter(number=data["card_number"])
            .select_related("talent__home_window")
            .first()
        )
        if card is None:
            raise Refused(Refusal.UNKNOWN_TALENT, _("未找到该人才卡号对应的高层次人才。"))
        by_card = card.talent
    if by_id is not None and by_card is not None and by_id.pk != by_card.pk:
        raise Refused(Refusal.UNKNOWN_TALENT, _("身份证号码与人才卡号不属于同一位人才。"))
    return by_id or by_card


def _find_item(data) -> ServiceItem | None:
    code = data["service_item_code"]
    if not code:
        return None
    item = (
        ServiceItem.objects.published()
        .filter(code=code)
        .select_related("published_version", "department")
        .first()
    )
    if item is None:
        raise Refused(Refusal.UNKNOWN_ITEM, _("未找到编码为 %(code)s 的已发布服务事项。") % {"code": code})
    return item


# --- refusals -------------------------------------------------------------------------------------


@transaction.atomic
def record_refusal(refusal, *, hotline, endpoint, envelope=None, at, request=None):
    """Write down a refused push: an audit event always (SECURITY.md: rejected webhooks are audited), and,
    when the push was authenticated, a refused order or rating row the staff page shows. Nothing else."""
    known = hotline in Hotline.values
    row = None
    if envelope is not None and known:
        fields = dict(
            hotline=hotline,
            order_id=refusal.order_id,
            webhook_id=envelope.webhook_id,
            received_at=at,
            body_hash=refusal.body_hash,
            refusal=refusal.code,
            message=str(refusal.message)[:300],
        )
        if endpoint == "orders":
            row = InboundOrder.objects.create(status=InboundStatus.REFUSED, **fields)
        else:
            row = InboundRating.objects.create(status=RatingImport.REFUSED, **fields)
    audit.record(
        AuditEvent.Kind.WEBHOOK_REJECTED,
        request=request,
        at=at,
        obj=row,
        result=refusal.code,
        detail=f"{hotline if known else '?'} {endpoint} {refusal.code}",
    )
    return row


# --- ratings --------------------------------------------------------------------------------------


def _level(raw: str) -> int:
    value = LEVELS.get(raw.strip()) or LEVEL_CODES.get(raw.strip())
    if value is None:
        raise Refused(
            Refusal.UNKNOWN_LEVEL, _("满意度应为 非常满意、满意、基本满意、不满意、非常不满意 或 5 至 1。")
        )
    return value


def receive_rating(*, envelope, at) -> tuple[InboundRating, bool]:
    """W10: a satisfaction rating the hotline collected on one of its orders becomes a rating of the
    case's completed task (the ratings app's ``record_hotline_rating``: a bad one opens a rectification).

    Returns the recorded rating and whether it was recorded now; the same rating pushed again returns the
    first. Refused with nothing changed: an order we do not know, a case not yet completed, a level we do
    not know, another rating for the same order, or whatever the ratings app refuses.
    """
    data = payloads.read_rating(envelope.body)
    body_hash = fingerprint(data)
    try:
        level = _level(data["level"])
        try:
            return _receive_rating(envelope, data, level, body_hash, at=at, first_try=True)
        except (IntegrityError, _Raced):
            # Another push of this rating committed while we worked: look again, now seeing it.
            return _receive_rating(envelope, data, level, body_hash, at=at, first_try=False)
    except Refused as refusal:
        refusal.order_id, refusal.body_hash = data["order_id"], body_hash
        raise


@transaction.atomic
def _receive_rating(envelope, data, level, body_hash, *, at, first_try):
    order_id = data["order_id"]
    _refuse_replay(envelope)
    existing = InboundRating.objects.filter(
        hotline=envelope.hotline, order_id=order_id, status=RatingImport.RECORDED
    ).first()
    if existing is not None:
        if existing.body_hash != body_hash:
            raise Refused(Refusal.ORDER_CONFLICT, _("该工单已登记过一条不同的热线评价。"))
        return existing, False
    application = Application.objects.filter(source=envelope.hotline, external_ref=order_id).first()
    if application is None:
        raise Refused(Refusal.UNKNOWN_ORDER, _("未找到该热线工单对应的申办。"))
    task = application.tasks.filter(status=TaskStatus.COMPLETED).order_by("-completed_at", "-id").first()
    if task is None:
        raise Refused(Refusal.RATING_REFUSED, _("该工单尚未办结，办结后才能评价。"))
    try:
        rating = record_hotline_rating(
            task=task,
            level=level,
            comment=data["comment"],
            hotline=envelope.hotline,
            external_ref=order_id,
            at=at,
        )
    except RatingError as error:
        if first_try:
            raise _Raced from None  # perhaps the same rating pushed twice at once: look again
        raise Refused(Refusal.RATING_REFUSED, error.messages[0]) from None
    inbound = InboundRating.objects.create(
        hotline=envelope.hotline,
        order_id=order_id,
        webhook_id=envelope.webhook_id,
        received_at=at,
        body_hash=body_hash,
        level=level,
        status=RatingImport.RECORDED,
        application=application,
        rating_ref=rating.pk,
    )
    _remember(envelope, at=at)
    return inbound, True


# --- results back to the hotline ------------------------------------------------------------------


def _completed_task(field):
    return Subquery(
        Task.objects.filter(application=OuterRef("pk"), status=TaskStatus.COMPLETED)
        .order_by("-completed_at", "-id")
        .values(field)[:1]
    )


def result_payload(application) -> dict:
    """What the hotline gets: its order id, our case number, the result, the department's note, when."""
    if application.task_result:
        result = application.task_result
        result_display = str(Result(result).label)
        note = application.task_note or ""
        completed_at = application.task_completed_at
    else:
        result = "withdrawn"
        result_display = _("申办人已撤回")
        note = application.withdraw_reason
        completed_at = application.closed_at
    return {
        "order_id": application.external_ref,
        "case_number": application.number,
        "result": result,
        "result_display": result_display,
        "note": note,
        "department": application.task_department or "",
        "completed_at": completed_at.isoformat() if completed_at else None,
    }


def queue_results(*, at) -> int:
    """Create a delivery for every hotline case that has closed (its task completed, or withdrawn) and has
    none yet; return how many were created. One query finds them; the unique application on a delivery
    makes a second scheduler running at the same moment create nothing more."""
    closed = list(
        Application.objects.filter(
            source__in=Hotline.values,
            status__in=[ApplicationStatus.CLOSED, ApplicationStatus.WITHDRAWN],
            hotline_delivery__isnull=True,
        )
        .exclude(external_ref="")
        .annotate(
            task_result=_completed_task("result"),
            task_note=_completed_task("result_note"),
            task_completed_at=_completed_task("completed_at"),
            task_department=_completed_task("department__name"),
        )
        .order_by("closed_at", "id")
    )
    created = 0
    for application in closed:
        try:
            with transaction.atomic():
                OutboundDelivery.objects.create(
                    application=application,
                    hotline=application.source,
                    order_id=application.external_ref,
                    payload=json.dumps(
                        result_payload(application), ensure_ascii=False, separators=(",", ":")
                    ),
                    created_at=at,
                    next_attempt_at=at,
                )
        except IntegrityError:
            continue  # another scheduler queued it first
        created += 1
    return created


def get_due_delivery_ids(*, at, limit=100) -> list[int]:
    due = OutboundDelivery.objects.due(at).filter(attempts__lt=MAX_ATTEMPTS).order_by("next_attempt_at", "id")
    return list(due.values_list("pk", flat=True)[:limit])


def fail_abandoned_deliveries(*, at) -> int:
    """Give up deliveries whose sender died during their last allowed attempt (nothing may retry them)."""
    return (
        OutboundDelivery.objects.due(at)
        .filter(status=DeliveryStatus.SENDING, attempts__gte=MAX_ATTEMPTS)
        .update(
            status=DeliveryStatus.FAILED, next_attempt_at=None, last_error=_("最后一次发送中断，已放弃。")
        )
    )


def send_result(delivery_id, *, at, clock=time.monotonic) -> str | None:
    """Post one result to its hotline if it is due and nobody else holds it; return its new status, or
    None if it was not ours to send.

    Not one transaction on purpose: the claim is one compare-and-swap, the HTTP call runs outside any
    transaction (no row stays locked while a hotline is slow), and the outcome is written by a second
    compare-and-swap on the claimed attempt, so a sender that outlived its lease cannot overwrite the
    result of the one that took over.
    """
    claimed = (
        OutboundDelivery.objects.due(at)
        .filter(pk=delivery_id, attempts__lt=MAX_ATTEMPTS)
        .update(status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, next_attempt_at=at + SENDING_LEASE)
    )
    if claimed != 1:
        return None
    delivery = OutboundDelivery.objects.get(pk=delivery_id)
    started = clock()
    try:
        status_code = post(delivery.hotline, webhook_id=delivery.webhook_id, body=delivery.payload.encode())
    except SendError as error:
        elapsed = int((clock() - started) * 1000)
        return _fail(delivery, error, at=at, elapsed=elapsed)
    elapsed = int((clock() - started) * 1000)
    return _finish(
        delivery,
        status=DeliveryStatus.SENT,
        attempt=dict(ok=True, status_code=status_code, duration_ms=elapsed),
        at=at,
        sent_at=at,
        last_error="",
    )


def _fail(delivery, error, *, at, elapsed):
    message = redact(str(error))[:200]
    if error.permanent or delivery.attempts >= MAX_ATTEMPTS:
        status, next_attempt_at = DeliveryStatus.FAILED, None
    else:
        status, next_attempt_at = DeliveryStatus.PENDING, at + RETRY_DELAYS[delivery.attempts - 1]
    logger.warning(
        "Hotline delivery %s failed on attempt %s (%s): %s", delivery.pk, delivery.attempts, status, message
    )
    return _finish(
        delivery,
        status=status,
        next_attempt_at=next_attempt_at,
        attempt=dict(ok=False, status_code=error.status_code, error=message, duration_ms=elapsed),
        at=at,
        last_error=message,
    )


@transaction.atomic
def _finish(delivery, *, status, attempt, at, next_attempt_at=None, **fields):
    updated = OutboundDelivery.objects.filter(
        pk=delivery.pk, status=DeliveryStatus.SENDING, attempts=delivery.attempts
    ).update(status=status, next_attempt_at=next_attempt_at, **fields)
    if updated != 1:
        # Our lease ran out and another sender took the delivery over; its result stands.
        logger.warning(
            "Hotline delivery %s was taken over before attempt %s finished", delivery.pk, delivery.attempts
        )
        return None
    DeliveryAttempt.objects.create(delivery=delivery, number=delivery.attempts, at=at, **attempt)
    return status
