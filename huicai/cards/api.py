"""惠才卡 applications over REST (S11-4): the same actions and checks as the pages.

Errors come as JSON with a stable code and a Chinese message (huicai.api.errors): bad input is 400; a step
the application's state no longer allows is 409; seen but not yours to decide is 403; outside the caller's
reach is 404. A step takes the version the client read (``If-Match`` or ``version``).
"""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from huicai.accounts.roles import get_scope
from huicai.api.idempotency import expected_version
from huicai.cards import access, actions
from huicai.cards.choices import ApplicationStatus, Purpose
from huicai.cards.models import CardApplication, CardApplicationEvent
from huicai.commissioners.access import unit_talent_ids
from huicai.talents.choices import CardKind
from huicai.talents.models import Talent

IF_MATCH = OpenApiParameter(
    "If-Match", str, OpenApiParameter.HEADER, required=False, description="所读版本号"
)


class CardApplicationEventSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.get_full_name", default=None, allow_null=True)

    class Meta:
        model = CardApplicationEvent
        fields = ["at", "kind", "from_status", "to_status", "by", "note"]


class CardApplicationSerializer(serializers.ModelSerializer):
    talent_name = serializers.CharField(source="talent.name")
    window_name = serializers.CharField(source="window.name")
    card_number = serializers.CharField(source="card.number", default=None, allow_null=True)
    allowed_steps = serializers.SerializerMethodField()

    class Meta:
        model = CardApplication
        fields = [
            "id",
            "talent",
            "talent_name",
            "kind",
            "purpose",
            "status",
            "round",
            "window",
            "window_name",
            "submitted_at",
            "due_date",
            "return_reason",
            "card_number",
            "version",
            "allowed_steps",
        ]

    def get_allowed_steps(self, application) -> list[str]:
        return access.allowed_steps(self.context["request"].user, application)


class CardApplicationDetailSerializer(CardApplicationSerializer):
    events = CardApplicationEventSerializer(many=True)

    class Meta(CardApplicationSerializer.Meta):
        fields = [*CardApplicationSerializer.Meta.fields, "events"]


class CardApplicationCreateSerializer(serializers.Serializer):
    talent = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=CardKind.choices)
    purpose = serializers.ChoiceField(choices=Purpose.choices, default=Purpose.NEW)
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    materials = serializers.ListField(
        child=serializers.FileField(), min_length=1, max_length=actions.MAX_MATERIALS
    )


class CardVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, help_text="所读版本号（或用 If-Match）")


class CardReturnSerializer(CardVersionSerializer):
    reason = serializers.CharField(max_length=1000)


class CardResubmitSerializer(CardVersionSerializer):
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    materials = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, max_length=actions.MAX_MATERIALS
    )


class CardApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """惠才卡 applications the caller may see; ``?status=`` filters."""

    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        queryset = CardApplication.objects.visible_to(self.request.user).select_related(
            "talent", "window", "card"
        )
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("events__by")
        if self.request.query_params.get("status") in ApplicationStatus.values:
            queryset = queryset.filter(status=self.request.query_params["status"])
        return queryset.order_by("-submitted_at", "-id")

    def get_serializer_class(self):
        return CardApplicationDetailSerializer if self.action == "retrieve" else CardApplicationSerializer

    def _detail(self, application, code=status.HTTP_200_OK):
        self.action = "retrieve"
        application = self.get_queryset().get(pk=application.pk)
        return Response(
            CardApplicationDetailSerializer(application, context={"request": self.request}).data, status=code
        )

    def _application(self):
        return access.get_application_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(
        request={"multipart/form-data": CardApplicationCreateSerializer},
        responses={201: CardApplicationDetailSerializer},
    )
    def create(self, request):
        data = CardApplicationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        talent = (
            Talent.objects.filter(pk__in=unit_talent_ids(get_scope(request.user)))
            .filter(pk=data.validated_data["talent"])
            .first()
        )
        if talent is None:
            raise exceptions.ValidationError({"talent": ["未找到该人才，或您不是其单位专员。"]})
        application = actions.submit_card_application(
            talent=talent,
            kind=data.validated_data["kind"],
            purpose=data.validated_data["purpose"],
            note=data.validated_data["note"],
            files=[(f.name, f) for f in data.validated_data["materials"]],
            by=request.user,
            at=timezone.now(),
        )
        return self._detail(application, status.HTTP_201_CREATED)

    @extend_schema(
        request=CardVersionSerializer, responses=CardApplicationDetailSerializer, parameters=[IF_MATCH]
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        application = self._application()
        CardVersionSerializer(data=request.data).is_valid(raise_exception=True)
        actions.approve_card_application(
            application, by=request.user, at=timezone.now(), expected_version=expected_version(request)
        )
        return self._detail(application)

    @extend_schema(
        request=CardReturnSerializer, responses=CardApplicationDetailSerializer, parameters=[IF_MATCH]
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        application = self._application()
        data = CardReturnSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actions.return_card_application(
            application,
            reason=data.validated_data["reason"],
            by=request.user,
            at=timezone.now(),
            expected_version=expected_version(request),
        )
        return self._detail(application)

    @extend_schema(
        request={"multipart/form-data": CardResubmitSerializer, "application/json": CardResubmitSerializer},
        responses=CardApplicationDetailSerializer,
        parameters=[IF_MATCH],
    )
    @action(detail=True, methods=["post"])
    def resubmit(self, request, pk=None):
        application = self._application()
        data = CardResubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actions.resubmit_card_application(
            application,
            note=data.validated_data["note"],
            files=[(f.name, f) for f in data.validated_data["materials"]],
            by=request.user,
            at=timezone.now(),
            expected_version=expected_version(request),
        )
        return self._detail(application)

    @extend_schema(
        request=CardVersionSerializer, responses=CardApplicationDetailSerializer, parameters=[IF_MATCH]
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        application = self._application()
        CardVersionSerializer(data=request.data).is_valid(raise_exception=True)
        actions.withdraw_card_application(
            application, by=request.user, at=timezone.now(), expected_version=expected_version(request)
        )
        return self._detail(application)


def register(router):
    """Register this app's API viewsets on the /api/v1/ router."""
    router.register("card-applications", CardApplicationViewSet, basename="card-application")
