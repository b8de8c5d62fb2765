"""Commissioner management over the API: change records (S19), read scoped like the pages and filed or
acknowledged through the same actions, and scorecards (S21), read-only."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from huicai.api.idempotency import expected_version
from huicai.staffing import access, actions
from huicai.staffing.models import ChangeRecord, Scorecard


class ChangeRecordSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    due_date = serializers.DateField(source="deadline.due_date", read_only=True)
    filed_on_time = serializers.BooleanField(read_only=True, allow_null=True)

    class Meta:
        model = ChangeRecord
        fields = [
            "id",
            "window",
            "post",
            "kind",
            "kind_display",
            "description",
            "change_date",
            "due_date",
            "status",
            "status_display",
            "filed_at",
            "filed_on_time",
            "acknowledged_at",
            "version",
        ]
        read_only_fields = fields


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False, min_value=1)


class ChangeRecordViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ChangeRecordSerializer

    def get_queryset(self):
        return ChangeRecord.objects.visible_to(self.request.user).select_related("deadline").order_by("-id")

    def _step(self, request, pk, run):
        record = access.get_for_user(ChangeRecord.objects.all(), request.user, pk)
        data = NoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        record = run(
            record,
            note=data.validated_data["note"],
            by=request.user,
            at=timezone.now(),
            expected_version=expected_version(request),
        )
        record = ChangeRecord.objects.select_related("deadline").get(pk=record.pk)
        return Response(ChangeRecordSerializer(record).data)

    @extend_schema(summary="报备专员变更", request=NoteSerializer, responses=ChangeRecordSerializer)
    @action(detail=True, methods=["post"], url_path="file")
    def file(self, request, pk=None):
        return self._step(request, pk, actions.file_change)

    @extend_schema(summary="窗口确认备案", request=NoteSerializer, responses=ChangeRecordSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        return self._step(request, pk, actions.acknowledge_change)


class ScorecardSerializer(serializers.ModelSerializer):
    class Meta:
        model = Scorecard
        fields = [
            "id",
            "post",
            "window",
            "period",
            "period_start",
            "weights",
            "figures",
            "total",
            "computed_at",
        ]
        read_only_fields = fields


class ScorecardViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ScorecardSerializer

    def get_queryset(self):
        return Scorecard.objects.visible_to(self.request.user).order_by("-period_start", "id")


def register(router):
    router.register("staffing/changes", ChangeRecordViewSet, basename="staffing-change")
    router.register("staffing/scorecards", ScorecardViewSet, basename="staffing-scorecard")
