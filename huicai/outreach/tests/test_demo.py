"""The outreach demo: difficulties in several states (one at the city window), an open round at the
兰山区 window with some answers; a second load adds nothing."""

import datetime

import pytest

from huicai.outreach import demo
from huicai.outreach.choices import DifficultyKind, EntryStatus
from huicai.outreach.models import CheckinRound, Difficulty, TalentStatusChange
from huicai.testing import kept_for_the_module

AT = datetime.datetime(2026, 3, 16, 2, 0, tzinfo=datetime.UTC)


@pytest.fixture(scope="module")
def people_for_the_module(django_db_setup, django_db_blocker):
    # Loaded once for the module; each test runs in a savepoint rolled back within it.
    from huicai.casework import demo as casework_demo
    from huicai.catalogue import demo as catalogue_demo
    from huicai.demo import load_people
    from huicai.workdays import demo as workdays_demo

    with kept_for_the_module(django_db_blocker):
        workdays_demo.load_demo(at=AT)
        load_people(at=AT)
        catalogue_demo.load_demo(at=AT)
        casework_demo.load_demo(at=AT)
        yield


@pytest.fixture
def people(people_for_the_module, db):
    pass


def test_the_demo_shows_every_state_and_a_round_in_progress(people):
    demo.load_demo(at=AT)

    statuses = set(Difficulty.objects.values_list("status", flat=True))
    at_city = Difficulty.objects.filter(holder_window__parent__isnull=True, holder_window__isnull=False)
    checkin_round = CheckinRound.objects.get(window__name="兰山区高层次人才服务窗口", status="open")
    answered = checkin_round.entries.filter(status=EntryStatus.ANSWERED)

    assert {"open", "in_progress", "escalated", "closed"} <= statuses
    assert at_city.count() == 1
    assert Difficulty.objects.filter(source="department").exists()
    assert answered.filter(answered_by__username="talent").count() == 1
    assert 3 <= answered.count() < checkin_round.entries.count()
    assert (
        Difficulty.objects.filter(
            kind=DifficultyKind.STATUS_CHANGE, holder_window=checkin_round.window
        ).count()
        == 1
    )


def test_a_second_load_neither_fails_nor_duplicates(people):
    demo.load_demo(at=AT)
    before = (Difficulty.objects.count(), CheckinRound.objects.count(), TalentStatusChange.objects.count())

    demo.load_demo(at=AT)

    assert (
        Difficulty.objects.count(),
        CheckinRound.objects.count(),
        TalentStatusChange.objects.count(),
    ) == before
