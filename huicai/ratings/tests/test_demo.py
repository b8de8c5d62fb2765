"""The demo: after casework's, a good and a bad rating of 李明's fresh 市公安局 tasks with an open
rectification in the `dept` commissioner's queue, and a hotline rating; loading twice adds nothing."""

import pytest
from django.utils import timezone

from huicai.accounts.demo import demo_totp_code
from huicai.ratings import demo
from huicai.ratings.choices import Channel, RectificationStatus
from huicai.ratings.models import Rating, Rectification
from huicai.testing import demo_for_the_module


@pytest.fixture(scope="module")
def loaded_for_the_module(django_db_setup, django_db_blocker):
    # Laid down once for the module; each test runs in a savepoint rolled back within it.
    with demo_for_the_module(django_db_blocker):
        at = timezone.now()
        demo.load_demo(at=at)
        yield at


@pytest.fixture
def loaded(loaded_for_the_module, db):
    return loaded_for_the_module


def test_the_demo_has_a_good_and_a_bad_rating_and_an_open_rectification_for_the_police(loaded, client):
    from django.conf import settings

    ratings = Rating.objects.filter(talent__user__username="talent")
    assert {(r.channel, r.get_overall_display()) for r in ratings} == {
        (Channel.UNIT, "非常满意"),
        (Channel.PLATFORM, "不满意"),
        (Channel.HOTLINE, "满意"),
    }
    rectification = Rectification.objects.get()
    assert rectification.status == RectificationStatus.OPEN
    assert rectification.department.short_name == "市公安局"

    client.post("/accounts/login/", {"username": "dept", "password": settings.DEMO_PASSWORD})
    client.post("/accounts/second-factor/", {"code": demo_totp_code()})
    page = client.get("/ratings/rectifications/")
    assert page.status_code == 200
    assert rectification.service_name in page.content.decode()


def test_loading_twice_adds_nothing(loaded):
    before = (Rating.objects.count(), Rectification.objects.count())

    demo.load_demo(at=loaded)

    assert (Rating.objects.count(), Rectification.objects.count()) == before
