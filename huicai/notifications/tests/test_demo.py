from django.utils import timezone

from huicai.notifications.demo import WELCOME_KIND, load_demo
from huicai.notifications.models import Notification
from huicai.testing import make_user


def test_loading_the_demo_twice_welcomes_each_demo_login_once(db):
    talent = make_user("talent", "李明")
    window = make_user("window", "陈静")
    stranger = make_user("someone", "某人")

    load_demo(at=timezone.now())
    load_demo(at=timezone.now())

    welcomed = Notification.objects.filter(kind=WELCOME_KIND).values_list("recipient__username", flat=True)
    assert sorted(welcomed) == [talent.username, window.username]
    assert not stranger.notifications.exists()
