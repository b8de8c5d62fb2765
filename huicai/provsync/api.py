"""The provincial outbox over REST (W15): the changes after a cursor, as JSON pages or JSON lines, and the
batches sent to the province. Read-only; the same jurisdiction as the pages (window staff: their subtree;
anyone else: 404). Full values only with ``reveal=1``, recorded as an export of personal data."""

from django.http import Http404, StreamingHttpResponse
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from huicai.core import audit
from huicai.core.models import AuditEvent
from huicai.provsync import formats
from huicai.provsync.access import may_sync
from huicai.provsync.models import ProvincialBatch, ProvincialChange

MAX_LIMIT = 1000


def _since(request) -> int:
    raw = request.query_params.get("since", "0") or "0"
    if not raw.isdigit():
        raise exceptions.ValidationError({"since": ["游标应为非负整数。"]})
    return int(raw)


def _limit(request) -> int:
    raw = request.query_params.get("limit", "500") or "500"
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise exceptions.ValidationError({"limit": [f"每页条数应在 1 到 {MAX_LIMIT} 之间。"]})
    return int(raw)


def _reveal(request) -> bool:
    reveal = request.query_params.get("reveal") in ("1", "true")
    if reveal:
        audit.record(
            AuditEvent.Kind.EXPORT, request=request, detail=f"provincial outbox API after {_since(request)}"
        )
    return reveal


SINCE = OpenApiParameter("since", int, description="游标：返回序号大于它的变更")
LIMIT = OpenApiParameter("limit", int, description="每页条数（1–1000）")
REVEAL = OpenApiParameter("reveal", bool, description="含完整证件号码和手机号码（记入审计）")


class ChangePageSerializer(serializers.Serializer):
    """A page of the outbox: the cursor asked for, the cursor to ask from next, the changes."""

    since = serializers.IntegerField()
    next = serializers.IntegerField()
    results = serializers.ListField(child=serializers.DictField())


class OnePageSchema(AutoSchema):
    """The change feed's list answers one object (a page with its cursor), not an array of rows."""

    def _is_list_view(self, serializer=None):
        return False


class ProvincialChangeViewSet(viewsets.ViewSet):
    """GET /api/v1/province-changes/?since=N&limit=M → {"since", "next", "results"}; read on from
    ``next``. /export/?since=N streams them all as JSON lines."""

    schema = OnePageSchema()

    def _changes(self, request):
        if not may_sync(request.user):
            raise Http404
        return ProvincialChange.objects.visible_to(request.user).after(_since(request))

    @extend_schema(parameters=[SINCE, LIMIT, REVEAL], responses=ChangePageSerializer)
    def list(self, request):
        changes = list(self._changes(request)[: _limit(request)])
        reveal = _reveal(request)
        since = _since(request)
        return Response(
            {
                "since": since,
                "next": changes[-1].pk if changes else since,
                "results": [formats.change_entry(change, reveal=reveal) for change in changes],
            }
        )

    @extend_schema(parameters=[SINCE, REVEAL], responses={(200, "application/x-ndjson"): OpenApiTypes.STR})
    @action(detail=False, methods=["get"])
    def export(self, request):
        changes = self._changes(request)
        reveal = _reveal(request)
        return StreamingHttpResponse(
            formats.write_jsonl(changes.iterator(chunk_size=1000), reveal=reveal),
            content_type="application/x-ndjson; charset=utf-8",
        )


class ProvincialBatchSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display")

    class Meta:
        model = ProvincialBatch
        fields = [
            "id",
            "webhook_id",
            "after_change_id",
            "last_change_id",
            "count",
            "status",
            "status_display",
            "attempts",
            "next_attempt_at",
            "created_at",
            "sent_at",
            "last_error",
        ]


class ProvincialBatchViewSet(viewsets.ReadOnlyModelViewSet):
    """The batches sent (or being sent) to the province, newest first, with the cursor they moved."""

    serializer_class = ProvincialBatchSerializer
    queryset = ProvincialBatch.objects.all()

    def get_queryset(self):
        if not may_sync(self.request.user):
            raise Http404
        return super().get_queryset()


def register(router):
    """Register this app's API viewsets on the /api/v1/ router."""
    router.register("province-changes", ProvincialChangeViewSet, basename="province-change")
    router.register("province-batches", ProvincialBatchViewSet, basename="province-batch")
