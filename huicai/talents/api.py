"""Read-only REST access to talents, scoped exactly like the pages (visible_to)."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from huicai.commissioners.choices import PostKind
from huicai.commissioners.models import Post
from huicai.org.models import Employer, Window
from huicai.talents import actions
from huicai.talents.access import can_invite_talent, get_talent_for_user
from huicai.talents.models import Talent, TalentCard, TalentCategory


class TalentCardSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = TalentCard
        fields = [
            "id",
            "kind",
            "kind_display",
            "number",
            "level",
            "issued_date",
            "valid_until_date",
            "status",
            "status_display",
        ]


class TalentSerializer(serializers.ModelSerializer):
    id_number_masked = serializers.CharField(read_only=True)
    mobile_masked = serializers.CharField(read_only=True)
    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    employer_name = serializers.CharField(source="employer.name", read_only=True)
    home_window_name = serializers.CharField(source="home_window.name", read_only=True)
    unit_commissioner = serializers.SerializerMethodField()

    class Meta:
        model = Talent
        fields = [
            "id",
            "name",
            "id_type",
            "id_number_masked",
            "mobile_masked",
            "category",
            "category_name",
            "employer",
            "employer_name",
            "home_window",
            "home_window_name",
            "employment_status",
            "employment_confirmed_date",
            "lives_in_linyi",
            "residence_confirmed_date",
            "unit_commissioner",
        ]

    def get_unit_commissioner(self, talent) -> str | None:
        assignments = getattr(talent, "open_assignments", None)
        if assignments is None:
            assignments = list(talent.unit_assignments.open().select_related("post__user"))
        return assignments[0].post.user.get_full_name() if assignments else None


class TalentDetailSerializer(TalentSerializer):
    cards = TalentCardSerializer(many=True, read_only=True)

    class Meta(TalentSerializer.Meta):
        fields = [*TalentSerializer.Meta.fields, "cards"]


class ChangeEmployerSerializer(serializers.Serializer):
    employer = serializers.PrimaryKeyRelatedField(queryset=Employer.objects.all())
    unit_post = serializers.PrimaryKeyRelatedField(
        queryset=Post.objects.filter(kind=PostKind.UNIT), required=False, allow_null=True
    )


class TalentFilterSerializer(serializers.Serializer):
    window = serializers.PrimaryKeyRelatedField(queryset=Window.objects.all(), required=False)
    employer = serializers.PrimaryKeyRelatedField(queryset=Employer.objects.all(), required=False)
    category = serializers.SlugRelatedField(
        slug_field="code", queryset=TalentCategory.objects.all(), required=False
    )


@extend_schema_view(
    list=extend_schema(
        summary="人才列表",
        parameters=[
            OpenApiParameter("window", OpenApiTypes.INT, description="属地窗口（含下级窗口）"),
            OpenApiParameter("employer", OpenApiTypes.INT, description="用人单位"),
            OpenApiParameter("category", OpenApiTypes.STR, description="人才类别代码"),
        ],
    ),
    retrieve=extend_schema(summary="人才详情"),
)
class TalentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = TalentSerializer

    def get_queryset(self):
        queryset = Talent.objects.visible_to(self.request.user).select_related(
            "category", "employer", "home_window"
        )
        if self.action == "list":
            filters = TalentFilterSerializer(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            queryset = queryset.matching(filters.validated_data).with_open_assignments()
        else:
            queryset = queryset.prefetch_related("cards").with_open_assignments()
        return queryset.order_by("name", "id")

    def get_serializer_class(self):
        return TalentDetailSerializer if self.action == "retrieve" else TalentSerializer

    @extend_schema(summary="邀请人才开通账号", request=None, responses=None)
    @action(detail=True, methods=["post"])
    def invite(self, request, pk=None):
        """Send (or re-send) the talent a one-time activation link by SMS, valid 72 hours (issue 11 §2)."""
        talent = get_talent_for_user(request.user, pk)
        if not can_invite_talent(request.user, talent):
            raise PermissionDenied
        invitation = actions.invite_talent(talent, by=request.user, at=timezone.now())
        return Response(
            {"status": "invited", "sent_at": invitation.sent_at, "expires_at": invitation.expires_at}
        )

    @extend_schema(summary="变更人才的用人单位", request=ChangeEmployerSerializer, responses=TalentSerializer)
    @action(detail=True, methods=["post"])
    def employer(self, request, pk=None):
        """S6: the old employer's unit commissioner stops; the new employer's only (or the given) one takes
        the talent, else the talent goes into the coverage gap. Window staff over the talent only."""
        talent = get_talent_for_user(request.user, pk, write=True)
        data = ChangeEmployerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actions.change_employer(
            talent,
            employer=data.validated_data["employer"],
            unit_post=data.validated_data.get("unit_post"),
            by=request.user,
            at=timezone.now(),
        )
        talent = self.get_queryset().get(pk=talent.pk)
        return Response(TalentSerializer(talent).data)
