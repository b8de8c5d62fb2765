"""Read-only REST access to the published catalogue (W16), for any signed-in user: the same published
versions and the same filters as the public page."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
    extend_schema_view,
)
from rest_framework import serializers, viewsets

from huicai.catalogue.choices import Category, ServiceMode
from huicai.catalogue.models import ServiceItemVersion
from huicai.org.models import Department


class ReformSerializer(serializers.Serializer):
    days_cut = serializers.IntegerField()
    steps_cut = serializers.IntegerField()
    materials_cut = serializers.IntegerField()
    visits_cut = serializers.IntegerField()


class ServiceItemSerializer(serializers.ModelSerializer):
    category_display = serializers.CharField(source="get_category_display", read_only=True)
    mode_display = serializers.CharField(source="get_mode_display", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    division_name = serializers.SerializerMethodField()
    version = serializers.IntegerField(source="number", read_only=True)
    card_kinds = serializers.SerializerMethodField()
    reform = serializers.SerializerMethodField()

    class Meta:
        model = ServiceItemVersion
        fields = [
            "code",
            "name",
            "category",
            "category_display",
            "mode",
            "mode_display",
            "department",
            "department_name",
            "level",
            "level_display",
            "division_name",
            "legal_days",
            "committed_days",
            "step_count",
            "material_count",
            "visit_count",
            "card_kinds",
            "version",
            "published_at",
            "reform",
        ]
        read_only_fields = fields

    def get_division_name(self, version) -> str | None:
        division = version.data.get("division")
        return division["name"] if division else None

    def get_card_kinds(self, version) -> list[str]:
        return list(version.data.get("card_kinds", []))

    @extend_schema_field(ReformSerializer(allow_null=True))
    def get_reform(self, version):
        reform = version.reform
        return ReformSerializer(reform).data if reform else None


@extend_schema_serializer(component_name="CatalogueMaterial")  # casework's "Material" is an upload
class MaterialSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    required = serializers.BooleanField()
    copies = serializers.IntegerField()
    notes = serializers.CharField(allow_blank=True)


class GuideSerializer(serializers.Serializer):
    """The service guide of a published version (办事指南)."""

    location_and_hours = serializers.CharField()
    conditions = serializers.CharField()
    materials = MaterialSerializer(many=True)
    steps = serializers.ListField(child=serializers.CharField())
    fees = serializers.CharField()
    legal_basis = serializers.CharField()
    consult_phone = serializers.CharField()
    complaint_phone = serializers.CharField()
    visit_count = serializers.IntegerField(allow_null=True)


class PublishedVersionSerializer(serializers.Serializer):
    """One published version of an item, for its history."""

    version = serializers.IntegerField()
    published_at = serializers.DateTimeField()
    committed_days = serializers.IntegerField()
    step_count = serializers.IntegerField()
    material_count = serializers.IntegerField()
    visit_count = serializers.IntegerField(allow_null=True)
    reform = ReformSerializer(allow_null=True)


class ServiceItemDetailSerializer(ServiceItemSerializer):
    content = serializers.SerializerMethodField()
    undertaking_orgs = serializers.SerializerMethodField()
    talent_categories = serializers.SerializerMethodField()
    guide = serializers.SerializerMethodField()
    history = serializers.SerializerMethodField()

    class Meta(ServiceItemSerializer.Meta):
        fields = [
            *ServiceItemSerializer.Meta.fields,
            "content",
            "undertaking_orgs",
            "talent_categories",
            "guide",
            "history",
        ]
        read_only_fields = fields

    def get_content(self, version) -> str:
        return version.data.get("content", "")

    def get_undertaking_orgs(self, version) -> list[str]:
        return [org["name"] for org in version.data.get("undertaking_orgs", [])]

    def get_talent_categories(self, version) -> list[str]:
        """Codes of the talent categories the item is open to; empty means every category."""
        return [c["code"] for c in version.data.get("talent_categories", [])]

    @extend_schema_field(GuideSerializer)
    def get_guide(self, version) -> dict:
        data = version.data
        return {
            "location_and_hours": data.get("location_and_hours", ""),
            "conditions": data.get("conditions", ""),
            "materials": MaterialSerializer(data.get("materials", []), many=True).data,
            "steps": list(data.get("steps", [])),
            "fees": data.get("fees", ""),
            "legal_basis": data.get("legal_basis", ""),
            "consult_phone": data.get("consult_phone", ""),
            "complaint_phone": data.get("complaint_phone", ""),
            "visit_count": data.get("visit_count"),
        }

    @extend_schema_field(PublishedVersionSerializer(many=True))
    def get_history(self, version) -> list[dict]:
        published = version.item.versions.filter(published_at__isnull=False).order_by("number")
        return [
            {
                "version": v.number,
                "published_at": serializers.DateTimeField().to_representation(v.published_at),
                "committed_days": v.committed_days,
                "step_count": v.step_count,
                "material_count": v.material_count,
                "visit_count": v.visit_count,
                "reform": ReformSerializer(v.reform).data if v.reform else None,
            }
            for v in published
        ]


class ServiceItemFilterSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        error_messages={"max_length": "搜索词不能超过100个字。"},
    )
    category = serializers.ChoiceField(choices=Category.choices, required=False)
    mode = serializers.ChoiceField(choices=ServiceMode.choices, required=False)
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all(), required=False)


@extend_schema_view(
    list=extend_schema(
        summary="绿色通道服务事项目录",
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, description="关键词（名称、办事指南中的文字）"),
            OpenApiParameter("category", OpenApiTypes.STR, enum=Category.values, description="事项类别"),
            OpenApiParameter("mode", OpenApiTypes.STR, enum=ServiceMode.values, description="服务方式"),
            OpenApiParameter("department", OpenApiTypes.INT, description="主管部门"),
        ],
    ),
    retrieve=extend_schema(summary="服务事项详情（办事指南与改革成果）"),
)
class ServiceItemViewSet(viewsets.ReadOnlyModelViewSet):
    """Published items only; a draft, filed or returned item is not here whoever asks."""

    lookup_field = "code"
    lookup_value_regex = r"[A-Z0-9]+(?:-[A-Z0-9]+)*"

    def get_queryset(self):
        queryset = ServiceItemVersion.objects.published().select_related("department")
        if self.action == "list":
            filters = ServiceItemFilterSerializer(data=self.request.query_params)
            filters.is_valid(raise_exception=True)
            queryset = queryset.matching(filters.validated_data)
        else:
            queryset = queryset.select_related("item")
        return queryset.in_catalogue_order()

    def get_serializer_class(self):
        return ServiceItemDetailSerializer if self.action == "retrieve" else ServiceItemSerializer


def register(router):
    """Register this app's API viewsets on the /api/v1/ router."""
    router.register("service-items", ServiceItemViewSet, basename="service-item")
