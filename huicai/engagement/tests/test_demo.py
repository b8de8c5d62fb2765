"""The engagement demo: a past gathering with answers and attendance and an upcoming one, a published
achievement with consent, a push read by some talents, rules with offers and one 免申即享 grant; a second
load adds nothing."""

import datetime

import pytest

from huicai.engagement import demo
from huicai.engagement.choices import AchievementStatus, GatheringStatus, Rsvp
from huicai.engagement.models import Achievement, EligibilityRule, Gathering, Grant, Invitation, Offer, Push
from huicai.engagement.selectors import push_counts
from huicai.testing import kept_for_the_module

AT = datetime.datetime(2026, 3, 16, 2, 0, tzinfo=datetime.UTC)


@pytest.fixture(scope="module")
def people_for_the_module(django_db_setup, django_db_blocker):
    from huicai.catalogue import demo as catalogue_demo
    from huicai.demo import load_people
    from huicai.policies import demo as policies_demo
    from huicai.talents import demo as talents_demo
    from huicai.workdays import demo as workdays_demo

    with kept_for_the_module(django_db_blocker):
        workdays_demo.load_demo(at=AT)
        load_people(at=AT)
        talents_demo.load_demo(at=AT)
        catalogue_demo.load_demo(at=AT)
        policies_demo.load_demo(at=AT)
        yield


@pytest.fixture
def people(people_for_the_module, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_demo_shows_events_achievements_pushes_and_matches(people):
    demo.load_demo(at=AT)

    past = Gathering.objects.get(title=demo.PAST_GATHERING)
    assert past.status == GatheringStatus.CLOSED
    assert past.invitations.filter(rsvp=Rsvp.ACCEPTED).count() >= 3
    assert past.invitations.filter(rsvp=Rsvp.DECLINED).count() == 1
    assert past.invitations.filter(attended_at__isnull=False).count() >= 3
    upcoming = Gathering.objects.get(title=demo.UPCOMING_GATHERING)
    assert Invitation.objects.get(gathering=upcoming, talent__user__username="talent").rsvp == Rsvp.PENDING
    published = Achievement.objects.get(title=demo.PUBLISHED_ACHIEVEMENT)
    assert published.status == AchievementStatus.PUBLISHED
    assert published.consents.filter(withdrawn_at__isnull=True).exists()
    counts = push_counts(Push.objects.get(title=demo.PUSH_TITLE))
    assert counts["read"] > 0 and counts["total"] > counts["read"]
    assert EligibilityRule.objects.count() == 3
    assert Offer.objects.exists()
    assert Grant.objects.count() == 1


def test_a_second_load_adds_nothing(people):
    demo.load_demo(at=AT)
    before = [
        m.objects.count() for m in (Gathering, Invitation, Achievement, Push, EligibilityRule, Offer, Grant)
    ]

    demo.load_demo(at=AT + datetime.timedelta(hours=1))

    assert [
        m.objects.count() for m in (Gathering, Invitation, Achievement, Push, EligibilityRule, Offer, Grant)
    ] == before
