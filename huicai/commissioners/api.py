"""The commissioner registry over the API (S19): read scoped like the pages, end and transfer through the
same actions."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from huicai.commissioners import actions
from huicai.commissioners.access import get_post_for_user
from huicai.commissioners.choices import PostKind
from huicai.commissioners.models import Post
from huicai.org.models import Employer, Window


class PostSerializer(serializers.ModelSerializer):
    user_name = serializers.CharField(source="user.get_full_name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    organisation = serializers.CharField(read_only=True)

    class Meta:
        model = Post
        fields = [
            "id",
            "user_name",
            "kind",
            "kind_display",
            "organisation",
            "employer",
            "window",
            "department",
            "undertaking_org",
            "position",
            "active_from",
            "active_to",
        ]


class EndSerializer(serializers.Serializer):
    successor = serializers.PrimaryKeyRelatedField(
        queryset=Post.objects.filter(kind=PostKind.UNIT), required=False, allow_null=True
    )
    to_gap = serializers.BooleanField(required=False, default=False)
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class TransferSerializer(EndSerializer):
    employer = serializers.PrimaryKeyRelatedField(queryset=Employer.objects.all(), required=False)
    window = serializers.PrimaryKeyRelatedField(queryset=Window.objects.all(), required=False)

    def validate(self, data):
        organisation = data.get("employer") or data.get("window")
        if organisation is None:
            raise serializers.ValidationError({"employer": ["请指定调往的用人单位或服务窗口。"]})
        data["organisation"] = organisation
        return data


class PostViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PostSerializer

    def get_queryset(self):
        return (
            Post.objects.visible_to(self.request.user)
            .select_related("user", "employer", "window", "department", "undertaking_org")
            .order_by("kind", "id")
        )

    @extend_schema(summary="结束任职并移交", request=EndSerializer, responses=PostSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        post = get_post_for_user(request.user, pk, write=True)
        data = EndSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        post = actions.end_post(
            post,
            successor=data.validated_data.get("successor"),
            to_gap=data.validated_data["to_gap"],
            reason=data.validated_data["reason"],
            by=request.user,
            at=timezone.now(),
        )
        return Response(PostSerializer(post).data)

    @extend_schema(summary="调任", request=TransferSerializer, responses=PostSerializer)
    @action(detail=True, methods=["post"])
    def transfer(self, request, pk=None):
        post = get_post_for_user(request.user, pk, write=True)
        data = TransferSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        new_post = actions.transfer_post(
            post,
            organisation=data.validated_data["organisation"],
            successor=data.validated_data.get("successor"),
            to_gap=data.validated_data["to_gap"],
            reason=data.validated_data["reason"],
            by=request.user,
            at=timezone.now(),
        )
        return Response(PostSerializer(new_post).data, status=201)


def register(router):
    router.register("posts", PostViewSet, basename="post")
