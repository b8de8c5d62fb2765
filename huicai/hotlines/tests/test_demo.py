"""The demo: a 12345 order of 李明 in a department's queue, and one waiting at the 兰山区 window."""

import datetime

import pytest

from huicai.casework import demo as casework_demo
from huicai.casework.choices import ApplicationStatus, Route
from huicai.hotlines.demo import load_demo
from huicai.hotlines.models import InboundOrder
from huicai.testing import force_login

AT = datetime.datetime(2026, 3, 3, 2, 0, tzinfo=datetime.UTC)  # 10:00 in Linyi


@pytest.fixture
def people_and_catalogue(db, settings):
    from huicai.catalogue import demo as catalogue_demo
    from huicai.demo import load_people
    from huicai.workdays import demo as workdays_demo

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    workdays_demo.load_demo(at=AT)
    load_people(at=AT)
    catalogue_demo.load_demo(at=AT)
    casework_demo.load_demo(at=AT)  # before ours: it loads only for a talent with no case yet


def test_the_demo_has_a_matched_order_and_one_at_the_window_and_loads_once(people_and_catalogue, client):
    load_demo(at=AT)
    load_demo(at=AT)

    matched, unmatched = InboundOrder.objects.order_by("order_id").select_related("application__window")
    assert InboundOrder.objects.count() == 2
    assert matched.application.talent.user.username == "talent"
    assert matched.application.route == Route.DEPARTMENT
    assert matched.application.tasks.get().department.short_name == "市住房和城乡建设局"
    assert (unmatched.application.status, unmatched.application.window.name) == (
        ApplicationStatus.SUBMITTED,
        "兰山区高层次人才服务窗口",
    )
    force_login(client, unmatched.application.window.posts.filter(kind="window").first().user)
    assert "12345-DEMO-0002" in client.get("/hotlines/").content.decode()
