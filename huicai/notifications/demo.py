"""Demo data: a welcome message in each demo login's inbox, so the unread badge and the inbox have
something to show. Idempotent: a user who already has the welcome message gets no second one."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _

from huicai.notifications.actions import notify
from huicai.notifications.models import Notification

WELCOME_KIND = "welcome"
DEMO_USERNAMES = ["talent", "unit", "window", "window2", "dept", "undertaking", "city", "admin"]


def load_demo(*, at) -> None:
    welcomed = Notification.objects.filter(kind=WELCOME_KIND).values("recipient_id")
    users = (
        get_user_model().objects.filter(username__in=DEMO_USERNAMES).exclude(pk__in=welcomed).order_by("pk")
    )
    notify(
        users,
        kind=WELCOME_KIND,
        title=_("欢迎使用临沂市高层次人才服务平台"),
        body=_(
            "办件进度、到期提醒和办理结果都会发送到这里；已登记邮箱的同时发送邮件，到期提醒和办理结果还会发送短信。"
        ),
        link=reverse("home"),
        at=at,
    )
