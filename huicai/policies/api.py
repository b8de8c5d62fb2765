"""REST access to the policy library: the same search, filters and scope as the pages (W16).

Published policies are public information, so listing and reading them needs no sign-in (throttled per
client); drafts appear only to the window commissioners over them, through ``visible_to``.
"""

from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied

from huicai.accounts.roles import get_scope
from huicai.catalogue.models import ServiceItem
from huicai.core.throttles import AnonRateThrottle, UserRateThrottle
from huicai.org.models import Division
from huicai.policies.access import get_policies_for_talent
from huicai.policies.choices import PolicyStatus
from huicai.policies.forms import filter_policies
from huicai.policies.models import Policy
from huicai.policies.search import search_policies
from huicai.talents.models import Talent, TalentCategory


class PolicySerializer(serializers.ModelSerializer):
    status = serializers.SerializerMethodField()
    status_display = serializers.SerializerMethodField()
    window_name = serializers.CharField(source="window.name", read_only=True)
    categories = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    regions = serializers.SlugRelatedField(source="divisions", slug_field="name", many=True, read_only=True)

    class Meta:
        model = Policy
        fields = [
            "id",
            "title",
            "issuer",
            "document_number",
            "issue_date",
            "effective_date",
            "expiry_date",
            "status",
            "status_display",
            "categories",
            "regions",
            "window_name",
            "published_at",
        ]

    def _state(self, policy):
        return policy.state_on(self.context.get("today") or timezone.localdate())

    def get_status(self, policy) -> str:
        return self._state(policy).value

    def get_status_display(self, policy) -> str:
        return str(self._state(policy).label)


class ServiceItemSummarySerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class PolicyDetailSerializer(PolicySerializer):
    # W7: the published green-channel items the policy brings in.
    service_items = ServiceItemSummarySerializer(source="published_service_items", many=True, read_only=True)

    class Meta(PolicySerializer.Meta):
        fields = [*PolicySerializer.Meta.fields, "body", "service_items"]


class PolicyHitSerializer(serializers.Serializer):
    """One search result: the policy, its score, and HTML (escaped, matches in <mark>) for display."""

    policy = PolicySerializer(read_only=True)
    score = serializers.FloatField(read_only=True)
    title_html = serializers.CharField(read_only=True)
    snippet_html = serializers.CharField(read_only=True)


class PolicyFilterSerializer(serializers.Serializer):
    # No max_length: a longer query is cut to the search's cap, and the response's "notice" says so.
    q = serializers.CharField(required=False, allow_blank=True)
    category = serializers.SlugRelatedField(
        slug_field="code", queryset=TalentCategory.objects.all(), required=False
    )
    region = serializers.SlugRelatedField(slug_field="code", queryset=Division.objects.all(), required=False)
    status = serializers.ChoiceField(choices=PolicyStatus.choices, required=False)


FILTER_PARAMETERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="关键词（中文分词检索，最多按前100个字检索）"),
    OpenApiParameter("category", OpenApiTypes.STR, description="人才类别代码（含不限类别的政策）"),
    OpenApiParameter("region", OpenApiTypes.STR, description="区划代码（含全市性政策）"),
    OpenApiParameter("status", OpenApiTypes.STR, description="in_force / expired；draft 仅窗口专员可用"),
]


@extend_schema_view(
    list=extend_schema(
        summary="人才政策检索", parameters=FILTER_PARAMETERS, responses=PolicyHitSerializer(many=True)
    ),
    retrieve=extend_schema(summary="人才政策详情"),
    mine=extend_schema(
        summary="适用于我的政策", parameters=FILTER_PARAMETERS, responses=PolicyHitSerializer(many=True)
    ),
)
class PolicyViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PolicyDetailSerializer
    permission_classes = [permissions.AllowAny]
    throttle_classes = [AnonRateThrottle, UserRateThrottle]

    def get_queryset(self):
        published_items = Prefetch(
            "service_items", queryset=ServiceItem.objects.published(), to_attr="published_service_items"
        )
        return (
            Policy.objects.visible_to(self.request.user)
            .select_related("window")
            .prefetch_related("categories", "divisions", published_items)
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def _search(self, queryset):
        filters = PolicyFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        if not data.get("status"):
            # Without an explicit status the list is the public library; drafts only when asked for.
            queryset = queryset.public()
        queryset = filter_policies(queryset, data, today=timezone.localdate())
        search = search_policies(queryset, data.get("q", ""))
        page = self.paginate_queryset(search.rows)
        hits = search.hits(page)
        serializer = PolicyHitSerializer(hits, many=True, context=self.get_serializer_context())
        response = self.get_paginated_response(serializer.data)
        response.data["notice"] = search.notice
        response.data["terms"] = search.terms
        return response

    def list(self, request, *args, **kwargs):
        return self._search(Policy.objects.visible_to(request.user))

    @action(detail=False, permission_classes=[permissions.IsAuthenticated])
    def mine(self, request):
        """The in-force policies that apply to the signed-in talent (W16)."""
        scope = get_scope(request.user)
        if not scope.talent_id:
            raise PermissionDenied
        talent = (
            Talent.objects.visible_to(request.user)
            .filter(pk=scope.talent_id)
            .select_related("home_window__division__parent")
            .first()
        )
        if talent is None:
            raise NotFound
        return self._search(get_policies_for_talent(talent, today=timezone.localdate()))


def register(router):
    """Register this app's API viewsets on the /api/v1/ router."""
    router.register("policies", PolicyViewSet, basename="policy")
