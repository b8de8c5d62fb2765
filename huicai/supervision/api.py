"""Supervision over REST (W8, W9): the same actions as the pages.

- ``/api/v1/supervision-orders/``: orders the caller may see, open first; a window creates one (with an
  ``Idempotency-Key`` a retried create returns the first result); ``respond`` (department), ``close``
  (window: accept, or reopen with a note) and ``withdraw`` (window).
- ``/api/v1/rounds/``: scheduling rounds; a window creates and closes one, a department ``answer``s per
  task; ``entries`` lists the entries the caller may see, paginated.
- ``/api/v1/cards/``: yellow and red cards, read-only.

Errors go through the shared handler: a refused rule is 400, a step the state no longer allows 409, a role
that may see but not act 403, anything outside the caller's reach 404.
"""

from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from huicai.api.idempotency import idempotent
from huicai.casework.models import Task
from huicai.supervision import access, actions
from huicai.supervision.choices import CardColour, OrderStatus, RoundStatus
from huicai.supervision.models import Card, Round, RoundEntry, SupervisionOrder


def _require(allowed):
    if not allowed:
        raise exceptions.PermissionDenied()


# --- serializers ------------------------------------------------------------------------------------


class SupervisionOrderSerializer(serializers.ModelSerializer):
    task_number = serializers.CharField(source="task.number")
    talent_name = serializers.CharField(source="task.application.talent.name")
    department = serializers.IntegerField(source="task.department_id")
    department_name = serializers.CharField(source="task.department.name")
    window_name = serializers.CharField(source="window.name")
    status_display = serializers.CharField(source="get_status_display")
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = SupervisionOrder
        fields = [
            "id",
            "task",
            "task_number",
            "talent_name",
            "department",
            "department_name",
            "window",
            "window_name",
            "content",
            "due_date",
            "status",
            "status_display",
            "is_overdue",
            "raised_at",
            "response",
            "responded_at",
            "review_note",
            "closed_at",
        ]

    def get_is_overdue(self, order) -> bool:
        return order.is_overdue_on(timezone.localdate())


class SupervisionOrderCreateSerializer(serializers.Serializer):
    task = serializers.IntegerField()
    content = serializers.CharField(max_length=actions.MAX_TEXT)
    due_in_days = serializers.IntegerField(required=False, min_value=1, max_value=actions.MAX_ORDER_DAYS)
    due_date = serializers.DateField(required=False)


class OrderRespondSerializer(serializers.Serializer):
    response = serializers.CharField(max_length=actions.MAX_TEXT)


class OrderCloseSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=actions.MAX_TEXT, default="")
    due_in_days = serializers.IntegerField(required=False, min_value=1, max_value=actions.MAX_ORDER_DAYS)
    due_date = serializers.DateField(required=False)


class OrderWithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=actions.MAX_TEXT)


class SupervisionCardSerializer(serializers.ModelSerializer):
    task_number = serializers.CharField(source="task.number", default=None)
    application_number = serializers.CharField(source="application.number")
    talent_name = serializers.CharField(source="application.talent.name")
    department_name = serializers.CharField(source="department.name", default=None)
    colour_display = serializers.CharField(source="get_colour_display")
    stage = serializers.CharField(source="clock.stage", default=None)
    stage_display = serializers.CharField(source="clock.get_stage_display", default=None)
    charged_to = serializers.CharField()

    class Meta:
        model = Card
        fields = [
            "id",
            "colour",
            "colour_display",
            "application",
            "application_number",
            "task",
            "task_number",
            "talent_name",
            "order",
            "stage",
            "stage_display",
            "charged_to",
            "department",
            "department_name",
            "due_date",
            "issued_on",
            "issued_at",
            "notified_at",
        ]


class SchedulingRoundSerializer(serializers.ModelSerializer):
    window_name = serializers.CharField(source="window.name")
    status_display = serializers.CharField(source="get_status_display")

    class Meta:
        model = Round
        fields = [
            "id",
            "window",
            "window_name",
            "title",
            "note",
            "answer_due_date",
            "status",
            "status_display",
            "opened_at",
            "opened_on",
            "closed_at",
        ]


class SchedulingRoundDetailSerializer(SchedulingRoundSerializer):
    report = serializers.SerializerMethodField()

    class Meta(SchedulingRoundSerializer.Meta):
        fields = [*SchedulingRoundSerializer.Meta.fields, "report"]

    def get_report(self, round_) -> dict | None:
        """The kept report of a closed round, or today's figures of an open one; for the window only."""
        if not access.can_read_round_report(self.context["request"].user, round_):
            return None
        return round_.report if not round_.is_open else round_.build_report(timezone.localdate())


class SchedulingRoundCreateSerializer(serializers.Serializer):
    window = serializers.IntegerField(required=False, help_text="调度窗口 id；缺省为本人的窗口")
    title = serializers.CharField(max_length=100)
    answer_due_date = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=actions.MAX_TEXT, default="")


class SchedulingRoundEntrySerializer(serializers.ModelSerializer):
    task_number = serializers.CharField(source="task.number")
    talent_name = serializers.CharField(source="task.application.talent.name")
    department_name = serializers.CharField(source="department.name")
    task_status_display = serializers.CharField(source="task_status_label")

    class Meta:
        model = RoundEntry
        fields = [
            "id",
            "task",
            "task_number",
            "talent_name",
            "department",
            "department_name",
            "task_status",
            "task_status_display",
            "due_date",
            "progress",
            "obstacle",
            "expected_date",
            "answered_at",
        ]


class RoundAnswerSerializer(serializers.Serializer):
    entry = serializers.IntegerField()
    progress = serializers.CharField(max_length=actions.MAX_TEXT)
    obstacle = serializers.CharField(
        required=False, allow_blank=True, max_length=actions.MAX_TEXT, default=""
    )
    expected_date = serializers.DateField(required=False, allow_null=True, default=None)


# --- viewsets ---------------------------------------------------------------------------------------


class SupervisionOrderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """督办: orders the caller may see, those waiting for the department's answer first."""

    serializer_class = SupervisionOrderSerializer

    def get_queryset(self):
        queryset = (
            SupervisionOrder.objects.visible_to(self.request.user)
            .select_related("task__application__talent", "task__department", "window")
            .annotate(
                rank=Case(
                    When(status=OrderStatus.OPEN, then=Value(0)),
                    When(status=OrderStatus.ANSWERED, then=Value(1)),
                    default=Value(2),
                    output_field=IntegerField(),
                )
            )
        )
        status_filter = self.request.query_params.get("status")
        if status_filter in OrderStatus.values:
            queryset = queryset.filter(status=status_filter)
        return queryset.order_by("rank", "due_date", "-raised_at", "-id")

    def _order(self):
        return access.get_order_for_user(self.request.user, self.kwargs["pk"])

    def _detail(self, order, code=status.HTTP_200_OK):
        return Response(SupervisionOrderSerializer(self.get_queryset().get(pk=order.pk)).data, status=code)

    @extend_schema(
        request=SupervisionOrderCreateSerializer,
        responses={201: SupervisionOrderSerializer},
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False)],
    )
    @idempotent
    def create(self, request):
        data = SupervisionOrderCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        task = (
            Task.objects.visible_to(request.user)
            .filter(pk=data.validated_data["task"])
            .select_related("application__talent__home_window")
            .first()
        )
        if task is None:
            raise exceptions.ValidationError({"task": ["未找到该任务，或您无权督办。"]})
        _require(access.can_raise_order(request.user, task))
        order = actions.raise_order(
            task,
            content=data.validated_data["content"],
            due_in_days=data.validated_data.get("due_in_days"),
            due_date=data.validated_data.get("due_date"),
            by=request.user,
            at=timezone.now(),
        )
        return self._detail(order, status.HTTP_201_CREATED)

    @extend_schema(request=OrderRespondSerializer, responses=SupervisionOrderSerializer)
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        order = self._order()
        _require(access.ORDER_STEPS["respond"].may(request.user, order))
        data = OrderRespondSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actions.respond_to_order(
            order, response=data.validated_data["response"], by=request.user, at=timezone.now()
        )
        return self._detail(order)

    @extend_schema(request=OrderCloseSerializer, responses=SupervisionOrderSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        order = self._order()
        _require(access.ORDER_STEPS["close"].may(request.user, order))
        data = OrderCloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actions.close_order(order, **data.validated_data, by=request.user, at=timezone.now())
        return self._detail(order)

    @extend_schema(request=OrderWithdrawSerializer, responses=SupervisionOrderSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        order = self._order()
        _require(access.ORDER_STEPS["withdraw"].may(request.user, order))
        data = OrderWithdrawSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actions.withdraw_order(
            order, reason=data.validated_data["reason"], by=request.user, at=timezone.now()
        )
        return self._detail(order)


class RoundViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """调度: rounds the caller may see, newest first."""

    def get_queryset(self):
        queryset = Round.objects.visible_to(self.request.user).select_related("window")
        status_filter = self.request.query_params.get("status")
        if status_filter in RoundStatus.values:
            queryset = queryset.filter(status=status_filter)
        return queryset.order_by("-opened_at", "-id")

    def get_serializer_class(self):
        return SchedulingRoundDetailSerializer if self.action == "retrieve" else SchedulingRoundSerializer

    def _round(self):
        return access.get_round_for_user(self.request.user, self.kwargs["pk"])

    def _detail(self, round_, code=status.HTTP_200_OK):
        round_ = self.get_queryset().get(pk=round_.pk)
        return Response(
            SchedulingRoundDetailSerializer(round_, context={"request": self.request}).data, status=code
        )

    @extend_schema(
        request=SchedulingRoundCreateSerializer,
        responses={201: SchedulingRoundDetailSerializer},
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False)],
    )
    @idempotent
    def create(self, request):
        _require(access.holds_a_window_post(request.user))
        data = SchedulingRoundCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        windows = access.windows_for_rounds(request.user)
        window_id = values.pop("window", None)
        window = (
            windows.filter(pk=window_id).first()
            if window_id is not None
            else windows.order_by("path").first()
        )
        if window is None:
            raise exceptions.ValidationError({"window": ["未找到该窗口，或您无权为其发起调度。"]})
        round_ = actions.open_round(window=window, **values, by=request.user, at=timezone.now())
        return self._detail(round_, status.HTTP_201_CREATED)

    @extend_schema(
        responses=SchedulingRoundEntrySerializer(many=True),
        parameters=[OpenApiParameter("unanswered", bool, required=False)],
    )
    @action(detail=True, methods=["get"])
    def entries(self, request, pk=None):
        round_ = self._round()
        entries = (
            RoundEntry.objects.visible_to(request.user)
            .filter(round=round_)
            .select_related("task__application__talent", "department")
            .order_by("department_id", "id")
        )
        if request.query_params.get("unanswered") in ("1", "true"):
            entries = entries.filter(answered_at__isnull=True)
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(SchedulingRoundEntrySerializer(page, many=True).data)

    @extend_schema(request=RoundAnswerSerializer, responses=SchedulingRoundEntrySerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        round_ = self._round()
        data = RoundAnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        entry = (
            RoundEntry.objects.visible_to(request.user).filter(round=round_, pk=values.pop("entry")).first()
        )
        if entry is None:
            raise exceptions.ValidationError({"entry": ["本轮调度中没有此任务，或您无权答复。"]})
        _require(access.can_answer_entry(request.user, entry))
        actions.answer_entry(entry, **values, by=request.user, at=timezone.now())
        entry = RoundEntry.objects.select_related("task__application__talent", "department").get(pk=entry.pk)
        return Response(SchedulingRoundEntrySerializer(entry).data)

    @extend_schema(request=None, responses=SchedulingRoundDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        round_ = self._round()
        _require(access.can_manage_round(request.user, round_))
        actions.close_round(round_, by=request.user, at=timezone.now())
        return self._detail(round_)


class CardViewSet(viewsets.ReadOnlyModelViewSet):
    """红黄牌: the cards the caller may see, newest first (``?colour=yellow|red``)."""

    serializer_class = SupervisionCardSerializer

    def get_queryset(self):
        queryset = Card.objects.visible_to(self.request.user).select_related(
            "application__talent",
            "task",
            "department",
            "clock__window",
            "clock__department",
            "clock__employer",
        )
        colour = self.request.query_params.get("colour")
        if colour in CardColour.values:
            queryset = queryset.filter(colour=colour)
        return queryset.order_by("-issued_at", "-id")


def register(router):
    """Register this app's API viewsets on the /api/v1/ router."""
    router.register("supervision-orders", SupervisionOrderViewSet, basename="supervision-order")
    router.register("rounds", RoundViewSet, basename="supervision-round")
    router.register("cards", CardViewSet, basename="supervision-card")
