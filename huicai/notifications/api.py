"""The inbox over REST: the signed-in user's own notifications, read marks and the unread count.

The same door as the inbox page (``Notification.objects.visible_to``: one's own rows, anyone else's is a
404) and the same actions (``mark_read``, ``mark_all_read``). Built on DRF alone: notifications sits below
the API toolkit in the layers (pagination and errors come from the REST_FRAMEWORK settings).
"""

from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from huicai.notifications.actions import mark_all_read, mark_read
from huicai.notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "link", "created_at", "read_at", "read"]

    def get_read(self, notification) -> bool:
        return notification.read_at is not None


class UnreadCountSerializer(serializers.Serializer):
    unread = serializers.IntegerField(help_text="未读消息数")


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="本次标为已读的消息数")


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The caller's inbox, newest first (``?unread=1``: only the unread)."""

    serializer_class = NotificationSerializer

    def get_queryset(self):
        queryset = Notification.objects.visible_to(self.request.user)
        if self.action == "list" and self.request.query_params.get("unread") == "1":
            queryset = queryset.unread()
        return queryset.order_by("-created_at", "-id")

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "unread", OpenApiTypes.STR, enum=["1"], required=False, description="1：只列未读"
            )
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="标为已读", request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = self.get_queryset().filter(pk=pk).first()
        if notification is None:
            raise Http404
        mark_read(notification, by=request.user, at=timezone.now())
        notification.refresh_from_db()
        return Response(NotificationSerializer(notification).data)

    @extend_schema(summary="全部标为已读", request=None, responses=MarkedSerializer)
    @action(detail=False, methods=["post"], url_path="read-all", url_name="read-all")
    def read_all(self, request):
        return Response({"marked": mark_all_read(by=request.user, at=timezone.now())})

    @extend_schema(summary="未读消息数", responses=UnreadCountSerializer)
    @action(detail=False, methods=["get"], url_path="unread-count", url_name="unread-count")
    def unread_count(self, request):
        return Response({"unread": Notification.objects.visible_to(request.user).unread().count()})


def register(router):
    router.register("notifications", NotificationViewSet, basename="notification")
