"""好差评 and rectification over REST: the same actions as the pages (W10).

Errors as the rest of the API (huicai.api.errors, as casework's): a refused rule is 400 ``invalid`` with the
Chinese message; a duplicate rating, a step the state no longer allows, or a stale ``If-Match``/``version``
is 409; a record outside the caller's jurisdiction is 404; seen but not theirs to act on is 403. A create
carrying an ``Idempotency-Key`` header and retried returns the first result.

The rater is never exposed beyond the channel (人才本人 / 单位专员代评 / 热线评价), and no talent contact
data is serialised at all.
"""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from huicai.api.idempotency import expected_version, idempotent
from huicai.casework.models import Task
from huicai.directservices.models import DirectService
from huicai.ratings import access, actions
from huicai.ratings.choices import (
    ALL_INDICATORS,
    CallbackResult,
    Level,
    Mode,
    RectificationStatus,
    ResponseKind,
    Ruling,
)
from huicai.ratings.models import Rating, Rectification, RectificationEvent

# --- serializers ------------------------------------------------------------------------------------


class RatingSerializer(serializers.ModelSerializer):
    talent_name = serializers.CharField(source="talent.name")
    department_name = serializers.CharField(source="department.name")
    rated_commissioner = serializers.CharField(source="rated_user.get_full_name", default=None)
    task_number = serializers.CharField(source="task.number", default=None)
    channel_display = serializers.CharField(source="get_channel_display")
    overall_display = serializers.CharField(source="get_overall_display")
    counted = serializers.BooleanField(source="is_counted")
    rectification_status = serializers.CharField(source="rectification.status", default=None)

    class Meta:
        model = Rating
        fields = [
            "id",
            "task",
            "task_number",
            "direct_service",
            "service_name",
            "talent",
            "talent_name",
            "department",
            "department_name",
            "rated_commissioner",
            "completed_at",
            "channel",
            "channel_display",
            "hotline",
            "mode",
            "overall",
            "overall_display",
            "efficiency",
            "service_level",
            "attitude",
            "guide_accuracy",
            "convenience",
            "ease_of_use",
            "comment",
            "rated_at",
            "counted",
            "rectification",
            "rectification_status",
        ]


def _level_field():
    return serializers.ChoiceField(choices=Level.choices, required=False, allow_null=True)


class RatingCreateSerializer(serializers.Serializer):
    task = serializers.IntegerField(required=False, allow_null=True, help_text="已办结任务 id")
    direct_service = serializers.IntegerField(required=False, allow_null=True, help_text="直接服务记录 id")
    mode = serializers.ChoiceField(choices=Mode.choices, default=Mode.OFFLINE)
    overall = serializers.ChoiceField(choices=Level.choices)
    efficiency = _level_field()
    service_level = _level_field()
    attitude = _level_field()
    guide_accuracy = _level_field()
    convenience = _level_field()
    ease_of_use = _level_field()
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class PendingRatingSerializer(serializers.Serializer):
    kind = serializers.CharField()
    id = serializers.IntegerField(source="pk")
    talent_name = serializers.CharField()
    service_name = serializers.CharField()
    department_name = serializers.CharField()
    completed_at = serializers.DateTimeField()
    deadline = serializers.DateField()
    channel = serializers.CharField()
    channel_display = serializers.CharField(source="channel_label")


class RatingBriefSerializer(serializers.ModelSerializer):
    channel_display = serializers.CharField(source="get_channel_display")
    overall_display = serializers.CharField(source="get_overall_display")
    counted = serializers.BooleanField(source="is_counted")

    class Meta:
        model = Rating
        fields = [
            "id",
            "channel",
            "channel_display",
            "mode",
            "overall",
            "overall_display",
            "efficiency",
            "service_level",
            "attitude",
            "guide_accuracy",
            "convenience",
            "ease_of_use",
            "comment",
            "rated_at",
            "counted",
            "excluded_reason",
        ]


class RectificationEventSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="actor_label")
    action_display = serializers.CharField(source="get_action_display")

    class Meta:
        model = RectificationEvent
        fields = ["id", "at", "action", "action_display", "from_status", "to_status", "by", "note"]


APPEAL_FIELDS = ("appeal_reason", "appeal_evidence", "appealed_at")


class RectificationSerializer(serializers.ModelSerializer):
    talent_name = serializers.CharField(source="talent.name")
    department_name = serializers.CharField(source="department.name")
    window_name = serializers.CharField(source="window.name")
    status_display = serializers.CharField(source="get_status_display")

    class Meta:
        model = Rectification
        fields = [
            "id",
            "rating",
            "task",
            "direct_service",
            "service_name",
            "talent",
            "talent_name",
            "department",
            "department_name",
            "window",
            "window_name",
            "status",
            "status_display",
            "round",
            "opened_at",
            "due_date",
            "response_kind",
            "response_note",
            "promised_date",
            "responded_at",
            "appeal_reason",
            "appeal_evidence",
            "appealed_at",
            "ruling",
            "ruling_note",
            "ruled_at",
            "callback_result",
            "callback_note",
            "callback_at",
            "closed_at",
            "is_recurrence",
            "recurrence_of",
            "overdue_flagged_at",
            "version",
        ]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        # The appeal's reasons are between the department and the window, not for the talent's side.
        if not self.context.get("show_appeal"):
            for name in APPEAL_FIELDS:
                data.pop(name, None)
        return data


class RectificationDetailSerializer(RectificationSerializer):
    ratings = RatingBriefSerializer(many=True)
    events = serializers.SerializerMethodField()

    class Meta(RectificationSerializer.Meta):
        fields = [*RectificationSerializer.Meta.fields, "ratings", "events"]

    @extend_schema_field(RectificationEventSerializer(many=True))
    def get_events(self, rectification) -> list[dict]:
        rows = RectificationEventSerializer(rectification.events.all(), many=True).data
        if not self.context.get("show_appeal"):
            for row in rows:
                if row["action"] == "appeal":
                    row["note"] = ""
        return rows


class RectificationRespondSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ResponseKind.choices)
    note = serializers.CharField(max_length=2000)
    promised_date = serializers.DateField(required=False, allow_null=True, default=None)


class RectificationAppealSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
    evidence = serializers.CharField(max_length=2000)


class RectificationCallbackSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=CallbackResult.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class RectificationRuleSerializer(serializers.Serializer):
    ruling = serializers.ChoiceField(choices=Ruling.choices)
    note = serializers.CharField(max_length=2000)


# --- viewsets ---------------------------------------------------------------------------------------


class RatingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Ratings the caller may see, newest first; the talent or their unit commissioner creates them."""

    serializer_class = RatingSerializer

    def get_queryset(self):
        return (
            Rating.objects.visible_to(self.request.user)
            .select_related("talent", "department", "rated_user", "task", "rectification")
            .order_by("-rated_at", "-id")
        )

    @extend_schema(
        request=RatingCreateSerializer,
        responses={201: RatingSerializer},
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False)],
    )
    @idempotent
    def create(self, request):
        data = RatingCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        task = direct_service = None
        if values.get("task"):
            task = Task.objects.visible_to(request.user).filter(pk=values["task"]).first()
            if task is None:
                raise exceptions.ValidationError({"task": ["未找到该任务，或您无权评价。"]})
        if values.get("direct_service"):
            direct_service = (
                DirectService.objects.visible_to(request.user).filter(pk=values["direct_service"]).first()
            )
            if direct_service is None:
                raise exceptions.ValidationError({"direct_service": ["未找到该服务记录，或您无权评价。"]})
        scores = {name: values.get(name) for name in ALL_INDICATORS}
        rating = actions.rate_service(
            task=task,
            direct_service=direct_service,
            mode=values["mode"],
            scores=scores,
            comment=values["comment"],
            by=request.user,
            at=timezone.now(),
        )
        rating = self.get_queryset().get(pk=rating.pk)
        return Response(RatingSerializer(rating).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=PendingRatingSerializer(many=True))
    @action(detail=False, methods=["get"])
    def pending(self, request):
        """待评价: the finished services the caller may still rate (the talent's own, a unit commissioner's
        talents')."""
        entries = access.get_pending_services(request.user, today=timezone.localdate())
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(PendingRatingSerializer(page, many=True).data)


class RectificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Rectifications the caller may see: the department's, the window's jurisdiction, a talent's own,
    by due date; ``?status=`` filters."""

    def get_queryset(self):
        queryset = Rectification.objects.visible_to(self.request.user).select_related(
            "talent", "department", "window"
        )
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("ratings", "events__by")
        status_filter = self.request.query_params.get("status")
        if status_filter in RectificationStatus.values:
            queryset = queryset.filter(status=status_filter)
        return queryset.order_by("due_date", "opened_at", "id")

    def get_serializer_class(self):
        return RectificationDetailSerializer if self.action == "retrieve" else RectificationSerializer

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "show_appeal": access.handles_rectifications(self.request.user),
        }

    def _detail(self, rectification):
        rectification = (
            Rectification.objects.select_related("talent", "department", "window")
            .prefetch_related("ratings", "events__by")
            .get(pk=rectification.pk)
        )
        return Response(
            RectificationDetailSerializer(rectification, context=self.get_serializer_context()).data
        )

    def _step(self, request, pk, serializer_class, run, *, may):
        rectification = access.get_rectification_for_user(request.user, pk)
        # Seen but not theirs to act on (a talent, the other side): 403 before the body is even read.
        if not may(request.user, rectification):
            raise exceptions.PermissionDenied()
        data = serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        version = expected_version(request)
        run(rectification, data.validated_data, version)
        return self._detail(rectification)

    @extend_schema(request=RectificationRespondSerializer, responses=RectificationDetailSerializer)
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        return self._step(
            request,
            pk,
            RectificationRespondSerializer,
            lambda rectification, values, version: actions.respond_rectification(
                rectification, **values, by=request.user, at=timezone.now(), expected_version=version
            ),
            may=access.RECTIFICATION_STEPS["respond"].may,
        )

    @extend_schema(request=RectificationAppealSerializer, responses=RectificationDetailSerializer)
    @action(detail=True, methods=["post"])
    def appeal(self, request, pk=None):
        return self._step(
            request,
            pk,
            RectificationAppealSerializer,
            lambda rectification, values, version: actions.appeal_rectification(
                rectification, **values, by=request.user, at=timezone.now(), expected_version=version
            ),
            may=access.RECTIFICATION_STEPS["appeal"].may,
        )

    @extend_schema(request=RectificationCallbackSerializer, responses=RectificationDetailSerializer)
    @action(detail=True, methods=["post"])
    def callback(self, request, pk=None):
        return self._step(
            request,
            pk,
            RectificationCallbackSerializer,
            lambda rectification, values, version: actions.record_callback(
                rectification,
                satisfied=values["result"] == CallbackResult.SATISFIED,
                note=values["note"],
                by=request.user,
                at=timezone.now(),
                expected_version=version,
            ),
            may=access.RECTIFICATION_STEPS["callback"].may,
        )

    @extend_schema(request=RectificationRuleSerializer, responses=RectificationDetailSerializer)
    @action(detail=True, methods=["post"])
    def rule(self, request, pk=None):
        return self._step(
            request,
            pk,
            RectificationRuleSerializer,
            lambda rectification, values, version: actions.rule_on_appeal(
                rectification,
                upheld=values["ruling"] == Ruling.UPHELD,
                note=values["note"],
                by=request.user,
                at=timezone.now(),
                expected_version=version,
            ),
            may=access.RECTIFICATION_STEPS["rule"].may,
        )


def register(router):
    """Register this app's API viewsets on the /api/v1/ router."""
    router.register("ratings", RatingViewSet, basename="rating")
    router.register("rectifications", RectificationViewSet, basename="rectification")
