"""The exchange over REST: the same batches and actions as the pages (issue 11 part 1).

``POST /api/v1/imports/`` (multipart: ``kind``, ``file``) keeps the file and queues its dry run;
``GET /api/v1/imports/{id}/`` gives status, progress and counts (the per-row report with ``?report=1``);
``POST /api/v1/imports/{id}/confirm/`` (``skip_errors``) queues the write; ``GET
/api/v1/exchange/{kind}/`` exports rows by header as JSON (``?reveal=1`` for full values, audited). Window
staff only; another window's batch is a 404.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from huicai.core import audit
from huicai.core.models import AuditEvent
from huicai.exchange import actions, files, tasks
from huicai.exchange.access import may_exchange
from huicai.exchange.kinds import KINDS, ExchangeError, export_rows
from huicai.exchange.models import ImportBatch


class ImportBatchSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True)

    class Meta:
        model = ImportBatch
        fields = [
            "id",
            "kind",
            "status",
            "status_display",
            "created_by",
            "created_at",
            "original_name",
            "sha256",
            "size",
            "skip_errors",
            "progress_done",
            "progress_total",
            "percent",
            "counts",
            "message",
            "planned_at",
            "confirmed_at",
            "finished_at",
        ]


class ImportUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=list(KINDS))
    file = serializers.FileField()


class ImportConfirmSerializer(serializers.Serializer):
    skip_errors = serializers.BooleanField(default=False)


class ImportBatchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ImportBatchSerializer
    parser_classes = [MultiPartParser, FormParser]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not may_exchange(request.user):
            raise exceptions.PermissionDenied()

    def get_queryset(self):
        return ImportBatch.objects.visible_to(self.request.user).select_related("created_by")

    def retrieve(self, request, *args, **kwargs):
        batch = self.get_object()
        data = self.get_serializer(batch).data
        if request.query_params.get("report") == "1":
            data["report"] = batch.report
        return Response(data)

    @extend_schema(request=ImportUploadSerializer, responses={202: ImportBatchSerializer})
    def create(self, request):
        upload = ImportUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        try:
            batch = actions.create_batch(
                kind=upload.validated_data["kind"],
                uploaded=upload.validated_data["file"],
                by=request.user,
                at=timezone.now(),
            )
        except ValidationError as exc:
            raise exceptions.ValidationError({"file": exc.messages}) from exc
        transaction.on_commit(lambda: tasks.enqueue(tasks.plan_import_batch, batch.pk))
        return Response(self.get_serializer(batch).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=ImportConfirmSerializer, responses={202: ImportBatchSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def confirm(self, request, pk=None):
        batch = self.get_object()
        form = ImportConfirmSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            batch = actions.confirm_batch(
                batch, skip_errors=form.validated_data["skip_errors"], by=request.user, at=timezone.now()
            )
        except ExchangeError as exc:
            raise exceptions.ValidationError({"non_field_errors": exc.messages}) from exc
        transaction.on_commit(lambda: tasks.enqueue(tasks.write_import_batch, batch.pk))
        return Response(self.get_serializer(batch).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={(200, files.XLSX_CONTENT_TYPE): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def report(self, request, pk=None):
        """The per-row report as an .xlsx file."""
        from django.http import HttpResponse

        batch = self.get_object()
        response = HttpResponse(files.report_xlsx(batch.report or {}), content_type=files.XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="import-report-{batch.pk}.xlsx"'
        return response


class ExportViewSet(viewsets.ViewSet):
    """Rows of one kind by header, in the user's jurisdiction; masked unless ``?reveal=1`` (audited)."""

    lookup_value_regex = "[a-z]+"  # the kind's name, not a number

    @extend_schema(
        parameters=[
            OpenApiParameter("id", str, OpenApiParameter.PATH, enum=list(KINDS), description="数据类型"),
            OpenApiParameter(
                "reveal", str, enum=["1"], description="1：导出完整证件号码和手机号（记入审计）"
            ),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def retrieve(self, request, pk=None):
        if not may_exchange(request.user):
            raise exceptions.PermissionDenied()
        if pk not in KINDS:
            raise Http404
        reveal = request.query_params.get("reveal") == "1"
        try:
            rows = list(export_rows(pk, request.user, reveal=reveal, at=timezone.now()))
        except PermissionDenied as exc:  # pragma: no cover - may_exchange checked above
            raise exceptions.PermissionDenied() from exc
        audit.record(
            AuditEvent.Kind.EXPORT,
            request=request,
            detail=f"exchange:{pk}:{'revealed' if reveal else 'masked'}:json",
        )
        return Response({"kind": pk, "headers": KINDS[pk].headers, "rows": rows})


def register(router):
    """Register this app's API viewsets on the /api/v1/ router."""
    router.register("imports", ImportBatchViewSet, basename="import-batch")
    router.register("exchange", ExportViewSet, basename="exchange")
