"""The demo shows commissioner management with data: a year of changes (some late, one overdue), trainings
with attendance, monthly and yearly scorecards, a decided commendation list and a notice with its 约谈."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from huicai.staffing import demo, selectors
from huicai.staffing.choices import ChangeKind, ListStatus, NoticeStatus, Period
from huicai.staffing.models import (
    AccountabilityNotice,
    ChangeRecord,
    CommendationList,
    Scorecard,
    TrainingSession,
)
from huicai.testing import force_login, kept_for_the_module


@pytest.fixture(scope="module")
def loaded_for_the_module(django_db_setup, django_db_blocker, tmp_path_factory):
    with kept_for_the_module(django_db_blocker, MEDIA_ROOT=tmp_path_factory.mktemp("uploads")):
        call_command("load_demo", "--allow-demo-accounts", verbosity=0)
        yield timezone.now()


@pytest.fixture
def loaded(loaded_for_the_module, db):
    return loaded_for_the_module


def test_the_demo_has_a_year_of_change_records_some_late_and_one_overdue(loaded):
    records = list(ChangeRecord.objects.select_related("deadline"))
    history = [r for r in records if r.post.user.username.startswith("lanshan_hist_")]

    assert {r.kind for r in history} == {
        ChangeKind.APPOINTMENT,
        ChangeKind.DEPARTURE,
        ChangeKind.TRANSFER,
        ChangeKind.CONTACT,
    }
    assert sum(1 for r in history if r.filed_on_time is False) == 2
    # One change of contact filed by the unit itself, one corrected in the registry (S19, issue #15).
    contact = [r for r in history if r.kind == ChangeKind.CONTACT]
    assert sorted(r.post_event is not None for r in contact) == [False, True]
    assert sum(1 for r in history if r.overdue_flagged_at is not None) == 1


def test_the_demo_has_trainings_scorecards_a_commendation_list_and_a_notice(loaded):
    year = timezone.localdate(loaded).year
    window = CommendationList.objects.get().window

    assert TrainingSession.objects.count() == 4
    assert selectors.training_summary(window=window, year=year)["below_minimum"] >= 1
    assert Scorecard.objects.filter(period=Period.MONTH).exists()
    assert Scorecard.objects.filter(period=Period.YEAR).exists()
    assert CommendationList.objects.get().status == ListStatus.DECIDED
    notice = AccountabilityNotice.objects.get()
    assert notice.status == NoticeStatus.RESPONDED
    assert notice.interviews.count() == 1


def test_the_window_officer_sees_them_on_the_pages(loaded, client):
    from huicai.accounts.models import User

    force_login(client, User.objects.get(username="window"))

    for path in ["/staffing/", "/staffing/changes/?show=all", "/staffing/training/", "/staffing/scorecards/"]:
        assert client.get(path).status_code == 200
    assert "严明" in client.get("/staffing/notices/").content.decode()


def test_loading_twice_adds_nothing(loaded):
    before = (ChangeRecord.objects.count(), Scorecard.objects.count(), TrainingSession.objects.count())

    demo.load_demo(at=loaded)

    assert (
        ChangeRecord.objects.count(),
        Scorecard.objects.count(),
        TrainingSession.objects.count(),
    ) == before
