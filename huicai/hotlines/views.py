"""The hotlines' webhooks (machine to machine, signed) and the staff page of received orders."""

import time

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from huicai.hotlines import access, actions
from huicai.hotlines.choices import Hotline, InboundStatus, Refusal
from huicai.hotlines.models import InboundOrder
from huicai.hotlines.webhooks import MAX_BODY_BYTES, Refused, verify

PAGE_SIZE = 25


def _read_body(request) -> bytes:
    """The raw body, refused before it is read when it says it is larger than 64 KB."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_BODY_BYTES:
        raise Refused(Refusal.TOO_LARGE, _("请求体不能超过 64 KB。"))
    body = request.read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES:
        raise Refused(Refusal.TOO_LARGE, _("请求体不能超过 64 KB。"))
    return body


def _refused(request, refusal, *, hotline, endpoint, envelope, at):
    actions.record_refusal(
        refusal, hotline=hotline, endpoint=endpoint, envelope=envelope, at=at, request=request
    )
    return JsonResponse({"code": refusal.code, "message": str(refusal.message)}, status=refusal.status)


def _webhook(endpoint, receive, answer):
    """A signed endpoint: authenticate the push, hand it to ``receive``, answer in JSON.

    No session and no CSRF token: the hotline's system authenticates by signature, so the endpoint is
    exempt from CSRF (a browser cannot forge the signature) and answers 401 to anything unsigned.
    """

    @csrf_exempt
    @require_POST
    def view(request, hotline):
        at = timezone.now()
        envelope = None
        try:
            body = _read_body(request)
            envelope = verify(hotline, request.headers, body, now=time.time())
            row, created = receive(envelope=envelope, at=at)
        except Refused as refusal:
            return _refused(request, refusal, hotline=hotline, endpoint=endpoint, envelope=envelope, at=at)
        return JsonResponse(answer(row, created), status=201 if created else 200)

    return view


def _order_answer(order, created):
    return {
        "status": "accepted",
        "order_id": order.order_id,
        "case_number": order.application.number,
        "duplicate": not created,
    }


def _rating_answer(rating, created):
    return {"status": rating.status, "order_id": rating.order_id, "duplicate": not created}


inbound_orders = _webhook("orders", actions.receive_order, _order_answer)
inbound_ratings = _webhook("ratings", actions.receive_rating, _rating_answer)


@login_required
def order_list(request):
    """S12-2: the orders the hotlines transferred, with what became of them and of their results."""
    if not access.can_use_page(request.user):
        raise PermissionDenied
    orders = (
        InboundOrder.objects.visible_to(request.user)
        .select_related("application__talent", "application__hotline_delivery")
        .order_by("-received_at", "-id")
    )
    hotline = request.GET.get("hotline")
    if hotline in Hotline.values:
        orders = orders.filter(hotline=hotline)
    status = request.GET.get("status")
    if status in InboundStatus.values:
        orders = orders.filter(status=status)
    page = Paginator(orders, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "hotlines/order_list.html",
        {"page": page, "hotlines": Hotline.choices, "statuses": InboundStatus.choices},
    )


@login_required
def order_detail(request, pk):
    order = access.get_order_for_user(request.user, pk)
    delivery = getattr(order.application, "hotline_delivery", None) if order.application_id else None
    attempts = list(delivery.attempt_log.all()) if delivery is not None else []
    ratings = list(order.application.hotline_ratings.all()) if order.application_id else []
    return render(
        request,
        "hotlines/order_detail.html",
        {"order": order, "delivery": delivery, "attempts": attempts, "ratings": ratings},
    )
