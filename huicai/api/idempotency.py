"""Idempotent creates and ``If-Match`` versions: the request plumbing every app's API shares."""

import datetime
import hashlib
import json

from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.response import Response

from huicai.api.errors import Conflict
from huicai.api.models import IdempotencyKey

IDEMPOTENCY_HOURS = 24


def expected_version(request):
    """The version the client last saw: the ``If-Match`` header (an ETag, quotes allowed) or a ``version``
    field; None when it sent neither, and the action then does not check."""
    raw = request.headers.get("If-Match") or request.data.get("version")
    if raw in (None, ""):
        return None
    try:
        return int(str(raw).strip('"'))
    except ValueError as error:
        raise exceptions.ValidationError({"version": ["版本号应为整数。"]}) from error


def idempotent(create):
    """Wrap a create: the same Idempotency-Key and body returns the stored first response; the same key
    with another body is an error; keys are kept 24 hours (SECURITY.md, Stripe semantics)."""

    def wrapper(self, request, *args, **kwargs):
        key = request.headers.get("Idempotency-Key")
        if not key:
            return create(self, request, *args, **kwargs)
        if len(key) > 255:
            raise exceptions.ValidationError({"Idempotency-Key": ["幂等键不能超过255个字符。"]})
        now = timezone.now()
        body_hash = hashlib.sha256(json.dumps(request.data, sort_keys=True, default=str).encode()).hexdigest()
        IdempotencyKey.objects.filter(
            user=request.user, key=key, created_at__lt=now - datetime.timedelta(hours=IDEMPOTENCY_HOURS)
        ).delete()

        def replay(record):
            if (
                record.body_hash != body_hash
                or record.path != request.path
                or record.method != request.method
            ):
                raise exceptions.ValidationError({"Idempotency-Key": ["该幂等键已用于另一个不同的请求。"]})
            if record.status_code is None:
                raise Conflict("相同幂等键的请求正在处理中，请稍后重试。")
            return Response(
                record.response, status=record.status_code, headers={"Idempotent-Replayed": "true"}
            )

        existing = IdempotencyKey.objects.filter(user=request.user, key=key).first()
        if existing is not None:
            return replay(existing)
        try:
            with transaction.atomic():
                record = IdempotencyKey.objects.create(
                    key=key,
                    user=request.user,
                    method=request.method,
                    path=request.path,
                    body_hash=body_hash,
                    created_at=now,
                )
                response = create(self, request, *args, **kwargs)
                record.status_code = response.status_code
                record.response = json.loads(json.dumps(response.data, default=str))
                record.save(update_fields=["status_code", "response"])
                return response
        except IntegrityError:
            return replay(IdempotencyKey.objects.get(user=request.user, key=key))

    wrapper.__name__ = create.__name__
    wrapper.__doc__ = create.__doc__
    wrapper.idempotent = True  # the schema documents the Idempotency-Key header (huicai.api.schema)
    return wrapper
