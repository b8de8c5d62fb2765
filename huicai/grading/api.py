"""Window grading over REST: results (with the figures behind them), objections and 约谈, calling the same
actions as the pages (W17–W20).

Errors come as JSON with a stable code and a Chinese message (huicai.api.errors): bad input is 400; a step
the record's state no longer allows, or a stale ``version``, is 409; seen but not yours to take is 403;
outside the caller's jurisdiction (or a draft, for a window) is 404.
"""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from huicai.api.idempotency import expected_version
from huicai.grading import access, actions
from huicai.grading.models import Interview, Objection, WindowResult


class GradingObjectionSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display")
    filed_by_name = serializers.CharField(source="filed_by.get_full_name")

    class Meta:
        model = Objection
        fields = [
            "id",
            "status",
            "status_display",
            "reason",
            "filed_by_name",
            "filed_at",
            "answer",
            "answered_at",
            "version",
        ]


class GradingResultSerializer(serializers.ModelSerializer):
    window_name = serializers.CharField(source="window.name")
    evaluation_label = serializers.CharField(source="evaluation.period_label")
    grade_display = serializers.CharField(source="get_grade_display")

    class Meta:
        model = WindowResult
        fields = [
            "id",
            "evaluation",
            "evaluation_label",
            "window",
            "window_name",
            "score",
            "computed_score",
            "adjusted_score",
            "adjustment_reason",
            "rank",
            "rank_of",
            "grade",
            "grade_display",
            "version",
        ]


class GradingResultDetailSerializer(GradingResultSerializer):
    objections = GradingObjectionSerializer(many=True, read_only=True)

    class Meta(GradingResultSerializer.Meta):
        fields = [*GradingResultSerializer.Meta.fields, "figures", "objections"]


class GradingReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000)


class GradingAnswerSerializer(serializers.Serializer):
    upheld = serializers.BooleanField()
    answer = serializers.CharField(max_length=5000)
    score = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False, allow_null=True
    )


class GradingInterviewSerializer(serializers.ModelSerializer):
    window_name = serializers.CharField(source="window.name")
    status_display = serializers.CharField(source="get_status_display")
    allowed_steps = serializers.SerializerMethodField()

    class Meta:
        model = Interview
        fields = [
            "id",
            "result",
            "window",
            "window_name",
            "responsible_name",
            "status",
            "status_display",
            "talk_date",
            "talk_participants",
            "talk_record",
            "meeting_date",
            "meeting_explanation",
            "plan",
            "plan_days",
            "plan_due_date",
            "close_note",
            "closed_at",
            "allowed_steps",
            "version",
        ]

    def get_allowed_steps(self, interview) -> list[str]:
        return [
            step.name for step in access.INTERVIEW_STEPS.available(self.context["request"].user, interview)
        ]


class GradingTalkSerializer(serializers.Serializer):
    talk_date = serializers.DateField()
    participants = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    record = serializers.CharField(max_length=5000)


class GradingExplainSerializer(serializers.Serializer):
    meeting_date = serializers.DateField()
    explanation = serializers.CharField(max_length=5000)


class GradingPlanSerializer(serializers.Serializer):
    plan = serializers.CharField(max_length=5000)
    days = serializers.IntegerField(min_value=1)


class GradingCloseSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=5000)


class ResultViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Window results the caller may see (a window: its own, once published); ``?evaluation=`` filters."""

    def get_queryset(self):
        queryset = WindowResult.objects.visible_to(self.request.user).select_related("window", "evaluation")
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("objections__filed_by")
        evaluation = self.request.query_params.get("evaluation", "")
        if evaluation.isdigit():
            queryset = queryset.filter(evaluation_id=int(evaluation))
        return queryset.order_by("-evaluation__year", "-evaluation__quarter", "window__path")

    def get_serializer_class(self):
        return GradingResultDetailSerializer if self.action == "retrieve" else GradingResultSerializer

    def _detail(self, result):
        result = self.get_queryset().prefetch_related("objections__filed_by").get(pk=result.pk)
        return Response(GradingResultDetailSerializer(result, context={"request": self.request}).data)

    @extend_schema(request=GradingReasonSerializer, responses=GradingResultDetailSerializer)
    @action(detail=True, methods=["post"])
    def object(self, request, pk=None):
        result = access.get_result_for_user(request.user, pk)
        data = GradingReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actions.file_objection(
            result, reason=data.validated_data["reason"], by=request.user, at=timezone.now()
        )
        return self._detail(result)

    @extend_schema(request=GradingAnswerSerializer, responses=GradingResultDetailSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        result = access.get_result_for_user(request.user, pk)
        objection = access.open_objection(result)
        if objection is None:
            raise actions.InvalidTransition("该评估结果没有待答复的异议。", code="invalid_transition")
        data = GradingAnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actions.answer_objection(
            objection,
            upheld=data.validated_data["upheld"],
            answer=data.validated_data["answer"],
            score=data.validated_data.get("score"),
            expected_version=expected_version(request),
            by=request.user,
            at=timezone.now(),
        )
        return self._detail(result)


class InterviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """约谈 the caller may see (W20), with the steps the caller may take."""

    serializer_class = GradingInterviewSerializer

    def get_queryset(self):
        return (
            Interview.objects.visible_to(self.request.user)
            .select_related("window")
            .order_by("-opened_at", "-id")
        )

    def _step(self, request, pk, serializer_class, function):
        interview = access.get_interview_for_user(request.user, pk)
        data = serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        interview = function(
            interview,
            **data.validated_data,
            expected_version=expected_version(request),
            by=request.user,
            at=timezone.now(),
        )
        return Response(GradingInterviewSerializer(interview, context={"request": request}).data)

    @extend_schema(request=GradingTalkSerializer, responses=GradingInterviewSerializer)
    @action(detail=True, methods=["post"])
    def talk(self, request, pk=None):
        return self._step(request, pk, GradingTalkSerializer, actions.record_talk)

    @extend_schema(request=GradingExplainSerializer, responses=GradingInterviewSerializer)
    @action(detail=True, methods=["post"])
    def explain(self, request, pk=None):
        return self._step(request, pk, GradingExplainSerializer, actions.record_explanation)

    @extend_schema(request=GradingPlanSerializer, responses=GradingInterviewSerializer)
    @action(detail=True, methods=["post"])
    def plan(self, request, pk=None):
        return self._step(request, pk, GradingPlanSerializer, actions.submit_plan)

    @extend_schema(request=GradingCloseSerializer, responses=GradingInterviewSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        return self._step(request, pk, GradingCloseSerializer, actions.close_interview)


def register(router):
    """Register this app's API viewsets on the /api/v1/ router."""
    router.register("grading-results", ResultViewSet, basename="grading-result")
    router.register("grading-interviews", InterviewViewSet, basename="grading-interview")
