"""Difficulties and check-ins over REST: the same actions as the pages (S11-5, S12-4, S13-3, S14-4).

Errors come as JSON with a stable code and a Chinese message (huicai.api.errors): bad input is 400
``invalid``; a step the record's state no longer allows is 409 ``invalid_transition``; seen but not
yours to change is 403; outside the caller's jurisdiction is 404.
"""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from huicai.accounts.roles import get_scope
from huicai.api.idempotency import idempotent
from huicai.catalogue.models import ServiceItem
from huicai.org.models import Window
from huicai.outreach import access, actions
from huicai.outreach.choices import (
    PENDING_DIFFICULTY_STATUSES,
    Category,
    DifficultyKind,
    DifficultyStatus,
    EmploymentAnswer,
    EntryStatus,
    RecordableKind,
    RoundStatus,
)
from huicai.outreach.models import CheckinEntry, CheckinRound, Difficulty, DifficultyEvent
from huicai.talents.models import Talent

# --- serializers ------------------------------------------------------------------------------------


class DifficultyEventSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.get_full_name")
    action_display = serializers.CharField(source="get_action_display")
    window_name = serializers.CharField(source="window.name", default=None)

    class Meta:
        model = DifficultyEvent
        fields = [
            "id",
            "at",
            "action",
            "action_display",
            "from_status",
            "to_status",
            "from_holder",
            "to_holder",
            "window",
            "window_name",
            "by",
            "note",
        ]


class DifficultySerializer(serializers.ModelSerializer):
    talent_name = serializers.CharField(source="talent.name")
    kind_display = serializers.CharField(source="get_kind_display")
    category_display = serializers.CharField(source="get_category_display")
    status_display = serializers.CharField(source="get_status_display")
    holder = serializers.CharField(source="holder_label")
    recorded_by_name = serializers.CharField(source="recorded_by.get_full_name")
    responded_by_name = serializers.CharField(source="responded_by.get_full_name", default=None)
    catalogue_item_code = serializers.CharField(source="catalogue_item.code", default=None)

    class Meta:
        model = Difficulty
        fields = [
            "id",
            "talent",
            "talent_name",
            "kind",
            "kind_display",
            "category",
            "category_display",
            "content",
            "source",
            "status",
            "status_display",
            "holder_level",
            "holder_window",
            "holder_department",
            "holder",
            "recorded_by_name",
            "recorded_at",
            "escalated_at",
            "response",
            "responded_by_name",
            "responded_at",
            "closed_at",
            "catalogue_item",
            "catalogue_item_code",
            "catalogue_version",
            "catalogue_note",
            "checkin_entry",
        ]


class DifficultyDetailSerializer(DifficultySerializer):
    events = DifficultyEventSerializer(many=True)
    allowed_steps = serializers.SerializerMethodField()

    class Meta(DifficultySerializer.Meta):
        fields = [*DifficultySerializer.Meta.fields, "events", "allowed_steps"]

    def get_allowed_steps(self, difficulty) -> list[str]:
        return access.allowed_steps(self.context["request"].user, difficulty)


class DifficultyCreateSerializer(serializers.Serializer):
    talent = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=RecordableKind.choices)
    category = serializers.ChoiceField(choices=Category.choices)
    content = serializers.CharField(max_length=2000, allow_blank=True)


class DifficultyNoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class DifficultyEscalateSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, allow_blank=True)


class DifficultyRespondSerializer(serializers.Serializer):
    response = serializers.CharField(max_length=2000, allow_blank=True)
    resolved = serializers.BooleanField(required=False, default=False)


class DifficultyLinkCatalogueSerializer(serializers.Serializer):
    item = serializers.IntegerField(help_text="服务事项 id")
    version = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="事项版本号")
    note = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


class CheckinRoundSerializer(serializers.ModelSerializer):
    window_name = serializers.CharField(source="window.name")
    status_display = serializers.CharField(source="get_status_display")
    opened_by_name = serializers.CharField(source="opened_by.get_full_name")
    total = serializers.IntegerField()
    answered = serializers.IntegerField()

    class Meta:
        model = CheckinRound
        fields = [
            "id",
            "window",
            "window_name",
            "title",
            "note",
            "due_date",
            "status",
            "status_display",
            "opened_by_name",
            "opened_at",
            "closed_at",
            "total",
            "answered",
        ]


class CheckinRoundCreateSerializer(serializers.Serializer):
    window = serializers.IntegerField(required=False, help_text="窗口 id；只有一个窗口岗位时可省略")
    title = serializers.CharField(max_length=100, allow_blank=True)
    due_date = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class CheckinEntrySerializer(serializers.ModelSerializer):
    round_title = serializers.CharField(source="round.title")
    round_status = serializers.CharField(source="round.status")
    round_due_date = serializers.DateField(
        source="round.due_date", allow_null=True
    )  # a round may have no due date
    window_name = serializers.CharField(source="round.window.name")
    talent_name = serializers.CharField(source="talent.name")
    status_display = serializers.CharField(source="get_status_display")
    answered_by_name = serializers.CharField(
        source="answered_by.get_full_name", default=None, allow_null=True
    )

    class Meta:
        model = CheckinEntry
        fields = [
            "id",
            "round",
            "round_title",
            "round_status",
            "round_due_date",
            "window_name",
            "talent",
            "talent_name",
            "status",
            "status_display",
            "employment_status",
            "lives_in_linyi",
            "note",
            "answered_by_name",
            "answered_at",
        ]


class CheckinAnswerSerializer(serializers.Serializer):
    employment_status = serializers.ChoiceField(choices=EmploymentAnswer.choices)
    lives_in_linyi = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


# --- viewsets ---------------------------------------------------------------------------------------


class DifficultyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Difficulties and suggestions the caller may see; ``?status=``, ``?kind=``, ``?mine=1`` filter."""

    def get_queryset(self):
        queryset = Difficulty.objects.visible_to(self.request.user).select_related(
            "talent", "holder_window", "holder_department", "recorded_by", "responded_by", "catalogue_item"
        )
        if self.action == "retrieve":
            queryset = queryset.select_related(
                "talent__home_window", "holder_window__parent"
            ).prefetch_related("events__by", "events__window")
        params = self.request.query_params
        if params.get("status") in DifficultyStatus.values:
            queryset = queryset.filter(status=params["status"])
        elif params.get("status") == "pending":
            queryset = queryset.filter(status__in=PENDING_DIFFICULTY_STATUSES)
        if params.get("kind") in DifficultyKind.values:
            queryset = queryset.filter(kind=params["kind"])
        if params.get("mine") == "1":
            queryset = access.held_by(queryset, self.request.user)
        return queryset.order_by("-recorded_at", "-id")

    def get_serializer_class(self):
        return DifficultyDetailSerializer if self.action == "retrieve" else DifficultySerializer

    def _difficulty(self):
        return access.get_difficulty_for_user(self.request.user, self.kwargs["pk"])

    def _detail(self, difficulty, code=status.HTTP_200_OK):
        self.action = "retrieve"
        difficulty = self.get_queryset().get(pk=difficulty.pk)
        return Response(
            DifficultyDetailSerializer(difficulty, context={"request": self.request}).data, status=code
        )

    @extend_schema(
        request=DifficultyCreateSerializer,
        responses={201: DifficultyDetailSerializer},
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False)],
    )
    @idempotent
    def create(self, request):
        data = DifficultyCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        talent = Talent.objects.visible_to(request.user).filter(pk=data.validated_data["talent"]).first()
        if talent is None:
            raise exceptions.ValidationError({"talent": ["未找到该人才，或您无权为其登记。"]})
        difficulty = actions.record_difficulty(
            talent=talent,
            kind=data.validated_data["kind"],
            category=data.validated_data["category"],
            content=data.validated_data["content"],
            by=request.user,
            at=timezone.now(),
        )
        return self._detail(difficulty, status.HTTP_201_CREATED)

    @extend_schema(request=DifficultyNoteSerializer, responses=DifficultyDetailSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        difficulty = self._difficulty()
        data = DifficultyNoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actions.start_difficulty(
            difficulty, note=data.validated_data["note"], by=request.user, at=timezone.now()
        )
        return self._detail(difficulty)

    @extend_schema(request=DifficultyEscalateSerializer, responses=DifficultyDetailSerializer)
    @action(detail=True, methods=["post"])
    def escalate(self, request, pk=None):
        difficulty = self._difficulty()
        data = DifficultyEscalateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actions.escalate_difficulty(
            difficulty, note=data.validated_data["note"], by=request.user, at=timezone.now()
        )
        return self._detail(difficulty)

    @extend_schema(request=DifficultyRespondSerializer, responses=DifficultyDetailSerializer)
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        difficulty = self._difficulty()
        data = DifficultyRespondSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actions.respond_to_difficulty(
            difficulty,
            response=data.validated_data["response"],
            resolved=data.validated_data["resolved"],
            by=request.user,
            at=timezone.now(),
        )
        return self._detail(difficulty)

    @extend_schema(request=DifficultyNoteSerializer, responses=DifficultyDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        difficulty = self._difficulty()
        data = DifficultyNoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actions.close_difficulty(
            difficulty, note=data.validated_data["note"], by=request.user, at=timezone.now()
        )
        return self._detail(difficulty)

    @extend_schema(request=DifficultyLinkCatalogueSerializer, responses=DifficultyDetailSerializer)
    @action(detail=True, methods=["post"], url_path="link-catalogue", url_name="link-catalogue")
    def link_catalogue(self, request, pk=None):
        difficulty = self._difficulty()
        data = DifficultyLinkCatalogueSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        visible = ServiceItem.objects.visible_to(request.user) | ServiceItem.objects.published()
        item = visible.filter(pk=data.validated_data["item"]).first()
        if item is None:
            raise exceptions.ValidationError({"item": ["未找到该服务事项，或您无权查看。"]})
        version = None
        if data.validated_data["version"] is not None:
            version = item.versions.filter(number=data.validated_data["version"]).first()
            if version is None:
                raise exceptions.ValidationError({"version": ["该服务事项没有此版本。"]})
        actions.link_catalogue_change(
            difficulty,
            item=item,
            version=version,
            note=data.validated_data["note"],
            by=request.user,
            at=timezone.now(),
        )
        return self._detail(difficulty)


class CheckinRoundViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """S14-4 check-in rounds of the caller's windows and those below, each with its progress."""

    serializer_class = CheckinRoundSerializer

    def get_queryset(self):
        queryset = CheckinRound.objects.visible_to(self.request.user).with_progress()
        if self.request.query_params.get("status") in RoundStatus.values:
            queryset = queryset.filter(status=self.request.query_params["status"])
        return queryset.select_related("window", "opened_by").order_by("-opened_at", "-id")

    def _detail(self, checkin_round, code=status.HTTP_200_OK):
        checkin_round = self.get_queryset().get(pk=checkin_round.pk)
        return Response(CheckinRoundSerializer(checkin_round).data, status=code)

    @extend_schema(
        request=CheckinRoundCreateSerializer,
        responses={201: CheckinRoundSerializer},
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False)],
    )
    @idempotent
    def create(self, request):
        data = CheckinRoundCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        scope = get_scope(request.user)
        window_id = data.validated_data.get("window")
        if window_id is None:
            if len(scope.window_ids) != 1:
                raise exceptions.ValidationError({"window": ["请指定发起调度的窗口。"]})
            window_id = scope.window_ids[0]
        window = Window.objects.filter(pk=window_id).first()
        if window is None:
            raise exceptions.ValidationError({"window": ["未找到该窗口。"]})
        checkin_round = actions.open_checkin_round(
            window=window,
            title=data.validated_data["title"],
            due_date=data.validated_data["due_date"],
            note=data.validated_data["note"],
            by=request.user,
            at=timezone.now(),
        )
        return self._detail(checkin_round, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=CheckinRoundSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        checkin_round = access.get_round_for_user(request.user, pk)
        actions.close_checkin_round(checkin_round, by=request.user, at=timezone.now())
        return self._detail(checkin_round)


class CheckinEntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Check-in entries the caller may see; ``?round=``, ``?status=``, ``?open=1`` (open rounds only)."""

    serializer_class = CheckinEntrySerializer

    def get_queryset(self):
        queryset = CheckinEntry.objects.visible_to(self.request.user).select_related(
            "round__window", "talent", "answered_by"
        )
        params = self.request.query_params
        if params.get("round", "").isdigit():
            queryset = queryset.filter(round_id=int(params["round"]))
        if params.get("status") in EntryStatus.values:
            queryset = queryset.filter(status=params["status"])
        if params.get("open") == "1":
            queryset = queryset.filter(round__status=RoundStatus.OPEN)
        return queryset.order_by("-round__opened_at", "talent__name", "id")

    @extend_schema(request=CheckinAnswerSerializer, responses=CheckinEntrySerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        entry = access.get_entry_for_user(request.user, pk)
        data = CheckinAnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actions.answer_checkin(
            entry,
            employment_status=data.validated_data["employment_status"],
            lives_in_linyi=data.validated_data["lives_in_linyi"],
            note=data.validated_data["note"],
            by=request.user,
            at=timezone.now(),
        )
        return Response(CheckinEntrySerializer(self.get_queryset().get(pk=entry.pk)).data)


def register(router):
    """Register this app's API viewsets on the /api/v1/ router."""
    router.register("difficulties", DifficultyViewSet, basename="difficulty")
    router.register("checkin-rounds", CheckinRoundViewSet, basename="checkin-round")
    router.register("checkin-entries", CheckinEntryViewSet, basename="checkin-entry")
