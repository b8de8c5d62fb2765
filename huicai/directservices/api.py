"""Direct services and appointments over REST: the same actions as the pages (W12, S16).

Errors come as JSON with a stable code and a Chinese message (huicai.api.errors): a refused rule is 400
``invalid``; a step the appointment's state no longer allows, or a stale ``If-Match``/``version``, is 409;
an action the caller may not take is 403 with the reason; a record outside the caller's jurisdiction, or a
card number that matches nothing, is 404. Creates accept an ``Idempotency-Key`` header.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from huicai.api.idempotency import expected_version, idempotent
from huicai.catalogue.models import ServiceItem
from huicai.commissioners.models import Post
from huicai.core import audit
from huicai.core.models import AuditEvent
from huicai.core.validators import looks_like_resident_id, normalize_resident_id, validate_resident_id
from huicai.directservices import access, actions, cards
from huicai.directservices.choices import AppointmentStatus, Outcome
from huicai.directservices.models import Appointment, AppointmentEvent, DirectService
from huicai.org.models import Window
from huicai.talents.models import Talent

# --- serializers ------------------------------------------------------------------------------------


class DirectServiceSerializer(serializers.ModelSerializer):
    talent_name = serializers.CharField(source="talent.name")
    card_kind = serializers.CharField(source="card.kind")
    card_number = serializers.CharField(source="card.number")
    item = serializers.CharField(source="item_version.code")
    item_name = serializers.CharField(source="item_version.name")
    item_version_number = serializers.IntegerField(source="item_version.number")
    department_name = serializers.CharField(source="department.name")
    served_by_name = serializers.CharField(source="served_by.get_full_name")
    post_kind = serializers.CharField(source="post.kind")
    window_name = serializers.CharField(source="window.name", default=None)
    outcome_display = serializers.CharField(source="get_outcome_display")
    appointment = serializers.IntegerField(source="appointment.pk", default=None)

    class Meta:
        model = DirectService
        fields = [
            "id",
            "talent",
            "talent_name",
            "card_kind",
            "card_number",
            "item",
            "item_name",
            "item_version_number",
            "department",
            "department_name",
            "post",
            "post_kind",
            "served_by_name",
            "window",
            "window_name",
            "served_at",
            "place",
            "outcome",
            "outcome_display",
            "outcome_reason",
            "note",
            "appointment",
        ]


class DirectServiceCreateSerializer(serializers.Serializer):
    card = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="卡号或二维码内容"
    )
    talent = serializers.IntegerField(required=False, help_text="人才 id（不持卡号时，须为可见的人才）")
    item = serializers.CharField(max_length=30, help_text="事项编码")
    place = serializers.CharField(max_length=200)
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    outcome_reason = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")

    def validate(self, data):
        if bool(data.get("card")) == (data.get("talent") is not None):
            raise serializers.ValidationError("请提供人才卡号（或二维码）或人才 id，二者选一。")
        return data


class LookupRequestSerializer(serializers.Serializer):
    card = serializers.CharField(required=False, allow_blank=True, max_length=200)
    id_number = serializers.CharField(required=False, allow_blank=True, max_length=40)

    def validate_id_number(self, value):
        """A resident ID number with a wrong part is a 400 naming it, as on the counter page (LookupForm);
        ``today`` comes from the view's context."""
        if value and looks_like_resident_id(value):
            try:
                validate_resident_id(value, today=self.context["today"])
            except ValidationError as error:
                raise serializers.ValidationError(error.messages) from error
            return normalize_resident_id(value)
        return value

    def validate(self, data):
        if bool(data.get("card")) == bool(data.get("id_number")):
            raise serializers.ValidationError("请提供人才卡号（或二维码）或证件号码，二者选一。")
        return data


def lookup_data(result) -> dict:
    """The look-up result with personal data masked (SECURITY.md): no full ID number, no phone."""
    talent = result.talent
    return {
        "talent": {
            "name": talent.name,
            "id_type": talent.id_type,
            "id_number_masked": talent.id_number_masked,
            "category": str(talent.category),
            "employer": talent.employer.name,
            "home_window": talent.home_window.name,
        },
        "card": result.card.number if result.card is not None else None,
        "cards": [
            {
                "number": card.number,
                "kind": card.kind,
                "kind_display": card.get_kind_display(),
                "valid_until_date": card.valid_until_date,
                "is_valid_today": refusal is None,
                "refusal": refusal,
            }
            for card, refusal in result.cards
        ],
        "can_be_served": result.refusal is None,
        "refusal": result.refusal,
        "items": [
            {
                "code": row.item.code,
                "name": row.version.name,
                "department": row.version.data["department"]["name"],
                "can_record": row.can_record,
            }
            for row in result.items
        ],
    }


class AppointmentSerializer(serializers.ModelSerializer):
    talent_name = serializers.CharField(source="talent.name")
    item = serializers.CharField(source="item_version.code")
    item_name = serializers.CharField(source="item_version.name")
    commissioner_name = serializers.CharField(source="post.user.get_full_name", default=None)
    window_name = serializers.CharField(source="window.name", default=None)
    status_display = serializers.CharField(source="get_status_display")

    class Meta:
        model = Appointment
        fields = [
            "id",
            "talent",
            "talent_name",
            "item",
            "item_name",
            "post",
            "commissioner_name",
            "window",
            "window_name",
            "starts_at",
            "ends_at",
            "status",
            "status_display",
            "note",
            "booked_at",
            "confirmed_at",
            "decline_reason",
            "cancel_reason",
            "cancelled_side",
            "reminded_at",
            "direct_service",
            "version",
        ]


class AppointmentEventSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.get_full_name", default=None)

    class Meta:
        model = AppointmentEvent
        fields = ["id", "at", "action", "from_status", "to_status", "by", "note"]


class AppointmentDetailSerializer(AppointmentSerializer):
    events = AppointmentEventSerializer(many=True)

    class Meta(AppointmentSerializer.Meta):
        fields = [*AppointmentSerializer.Meta.fields, "events"]


class AppointmentCreateSerializer(serializers.Serializer):
    talent = serializers.IntegerField()
    item = serializers.CharField(max_length=30, help_text="事项编码")
    post = serializers.IntegerField(
        required=False, allow_null=True, help_text="专员岗位 id（与 window 二选一）"
    )
    window = serializers.IntegerField(
        required=False, allow_null=True, help_text="服务窗口 id（与 post 二选一）"
    )
    date = serializers.DateField()
    start_time = serializers.TimeField()
    end_time = serializers.TimeField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class AppointmentNoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class AppointmentReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class AppointmentCompleteSerializer(serializers.Serializer):
    card = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    place = serializers.CharField(max_length=200)
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    outcome_reason = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


def _published_item(code, field="item"):
    item = ServiceItem.objects.filter(code=code).select_related("published_version").first()
    if item is None:
        raise exceptions.ValidationError({field: [f"未找到事项：{code}"]})
    return item


# --- viewsets ---------------------------------------------------------------------------------------


class DirectServiceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Direct services the caller may see, newest first; commissioners record them (W12)."""

    serializer_class = DirectServiceSerializer

    def get_queryset(self):
        queryset = DirectService.objects.visible_to(self.request.user).select_related(
            *access.SERVICE_RELATED, "appointment"
        )
        outcome = self.request.query_params.get("outcome")
        if outcome in Outcome.values:
            queryset = queryset.filter(outcome=outcome)
        talent = self.request.query_params.get("talent", "")
        if talent.isdigit():
            queryset = queryset.filter(talent_id=int(talent))
        return queryset.order_by("-served_at", "-id")

    def _card_from_text(self, request, text, *, at):
        """The card for a number or QR payload; an unknown or forged one counts as a failed look-up."""
        if cards.too_many_failed_lookups(request.user, at=at):
            raise exceptions.Throttled(detail="查询失败次数过多，请15分钟后再试。")
        try:
            _talent, card = cards.find_talent(card_text=text)
        except cards.InvalidCardCode:
            card = None
        if card is None:
            audit.record(
                AuditEvent.Kind.DENIED,
                request=request,
                at=at,
                result="not_found",
                detail=cards.LOOKUP_AUDIT_DETAIL,
            )
            raise exceptions.ValidationError({"card": ["未找到该人才卡，请核对卡号或二维码。"]})
        return card

    @extend_schema(
        request=DirectServiceCreateSerializer,
        responses={201: DirectServiceSerializer},
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False)],
    )
    def create(self, request):
        data = DirectServiceCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        now = timezone.now()
        if not access.is_serving_commissioner(request.user, at=now):
            raise exceptions.PermissionDenied()
        item = _published_item(values["item"])
        # Resolved before the idempotent part, whose transaction would roll back the audit of a failed
        # look-up: a fresh Idempotency-Key per try must not get around the limit on failed look-ups.
        if values.get("card"):
            card = self._card_from_text(request, values["card"], at=now)
        else:
            talent = Talent.objects.visible_to(request.user).filter(pk=values["talent"]).first()
            if talent is None:
                raise exceptions.ValidationError({"talent": ["未找到该人才，或您无权查看。"]})
            card = actions.pick_card(talent, actions.direct_version(item), timezone.localdate(now))
        return self._record(request, card=card, item=item, values=values, at=now)

    @idempotent
    def _record(self, request, *, card, item, values, at):
        service = actions.record_direct_service(
            card=card,
            item=item,
            place=values["place"],
            outcome=values["outcome"],
            outcome_reason=values["outcome_reason"],
            note=values["note"],
            by=request.user,
            at=at,
        )
        service = self.get_queryset().get(pk=service.pk)
        return Response(DirectServiceSerializer(service).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=LookupRequestSerializer, responses=dict)
    @action(detail=False, methods=["post"])
    def lookup(self, request):
        """Look a talent up by card number, QR payload or exact ID number: masked data, the cards' validity
        today and the direct items open to them. Audited; unknown is 404. POST only, so no identifier
        ever stands in a URL or a proxy's access log (SECURITY.md)."""
        now = timezone.now()
        if not access.is_serving_commissioner(request.user, at=now):
            raise exceptions.PermissionDenied()
        data = LookupRequestSerializer(data=request.data, context={"today": timezone.localdate(now)})
        data.is_valid(raise_exception=True)
        try:
            result = cards.look_up(
                request,
                card_text=data.validated_data.get("card", ""),
                id_number=data.validated_data.get("id_number", ""),
                at=now,
            )
        except cards.TooManyLookups as error:
            raise exceptions.Throttled(detail=str(error)) from error
        if result is None:
            raise exceptions.NotFound()
        return Response(lookup_data(result))


class AppointmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Appointments the caller may see, soonest first; booked by the talent or their unit commissioner,
    answered by the commissioner (S16)."""

    def get_queryset(self):
        queryset = Appointment.objects.visible_to(self.request.user).select_related(
            "talent", "item_version", "post__user", "window"
        )
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("events__by")
        status_filter = self.request.query_params.get("status")
        if status_filter in AppointmentStatus.values:
            queryset = queryset.filter(status=status_filter)
        return queryset.order_by("starts_at", "id")

    def get_serializer_class(self):
        return AppointmentDetailSerializer if self.action == "retrieve" else AppointmentSerializer

    def _appointment(self):
        return access.get_appointment_for_user(self.request.user, self.kwargs["pk"])

    def _detail(self, appointment, code=status.HTTP_200_OK):
        appointment = (
            Appointment.objects.select_related("talent", "item_version", "post__user", "window")
            .prefetch_related("events__by")
            .get(pk=appointment.pk)
        )
        return Response(AppointmentDetailSerializer(appointment).data, status=code)

    @extend_schema(
        request=AppointmentCreateSerializer,
        responses={201: AppointmentDetailSerializer},
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False)],
    )
    @idempotent
    def create(self, request):
        data = AppointmentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        talent = Talent.objects.visible_to(request.user).filter(pk=values["talent"]).first()
        if talent is None:
            raise exceptions.ValidationError({"talent": ["未找到该人才，或您无权为其预约。"]})
        item = _published_item(values["item"])
        post = window = None
        if values.get("post") is not None:
            post = Post.objects.filter(pk=values["post"], kind__in=access.SERVING_KINDS).first()
            if post is None:
                raise exceptions.ValidationError({"post": ["未找到该专员岗位。"]})
        if values.get("window") is not None:
            window = Window.objects.filter(pk=values["window"]).first()
            if window is None:
                raise exceptions.ValidationError({"window": ["未找到该服务窗口。"]})
        starts_at, ends_at = actions.slot(values["date"], values["start_time"], values["end_time"])
        appointment = actions.book_appointment(
            talent=talent,
            item=item,
            post=post,
            window=window,
            starts_at=starts_at,
            ends_at=ends_at,
            note=values["note"],
            by=request.user,
            at=timezone.now(),
        )
        return self._detail(appointment, status.HTTP_201_CREATED)

    @extend_schema(request=AppointmentNoteSerializer, responses=AppointmentDetailSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        appointment = self._appointment()
        data = AppointmentNoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actions.confirm_appointment(
            appointment,
            note=data.validated_data["note"],
            by=request.user,
            at=timezone.now(),
            expected_version=expected_version(request),
        )
        return self._detail(appointment)

    @extend_schema(request=AppointmentReasonSerializer, responses=AppointmentDetailSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        appointment = self._appointment()
        data = AppointmentReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actions.decline_appointment(
            appointment,
            reason=data.validated_data["reason"],
            by=request.user,
            at=timezone.now(),
            expected_version=expected_version(request),
        )
        return self._detail(appointment)

    @extend_schema(request=AppointmentReasonSerializer, responses=AppointmentDetailSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        appointment = self._appointment()
        data = AppointmentReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actions.cancel_appointment(
            appointment,
            reason=data.validated_data["reason"],
            by=request.user,
            at=timezone.now(),
            expected_version=expected_version(request),
        )
        return self._detail(appointment)

    @extend_schema(request=AppointmentCompleteSerializer, responses=AppointmentDetailSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        appointment = self._appointment()
        data = AppointmentCompleteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        card = None
        if values["card"]:
            try:
                _talent, card = cards.find_talent(card_text=values["card"])
            except cards.InvalidCardCode:
                card = None
            if card is None or card.talent_id != appointment.talent_id:
                raise exceptions.ValidationError({"card": ["该人才卡不属于预约的人才。"]})
        actions.complete_appointment(
            appointment,
            card=card,
            place=values["place"],
            outcome=values["outcome"],
            outcome_reason=values["outcome_reason"],
            note=values["note"],
            by=request.user,
            at=timezone.now(),
            expected_version=expected_version(request),
        )
        return self._detail(appointment)


def register(router):
    """Register this app's viewsets on the shared /api/v1/ router."""
    router.register("direct-services", DirectServiceViewSet, basename="direct-service")
    router.register("appointments", AppointmentViewSet, basename="appointment")
