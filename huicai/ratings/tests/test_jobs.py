"""W9/W10: a rectification the department leaves unanswered past its due date is flagged once, and the
department and the window are told once, however often (or by however many schedulers) the job runs."""

import datetime

import pytest

from huicai.notifications.models import Notification
from huicai.ratings import actions
from huicai.ratings.choices import RectificationAction, ResponseKind
from huicai.ratings.jobs import flag_overdue_rectifications
from huicai.ratings.models import Rectification
from huicai.ratings.tests.conftest import later, local, rate_badly


@pytest.fixture
def opened(case, task):
    """Opened Tuesday 2026-03-03, due Tuesday 2026-03-10."""
    world = case.world
    return rate_badly(task, by=world.li_ming_user, at=later(world, days=1)).rectification


def overdue_notices():
    return Notification.objects.filter(kind="rectification_overdue")


def test_an_unanswered_rectification_is_flagged_the_day_after_its_due_date_and_only_once(case, opened):
    on_due_date = flag_overdue_rectifications(at=local(2026, 3, 10, 18))
    first = flag_overdue_rectifications(at=local(2026, 3, 11, 8))
    second = flag_overdue_rectifications(at=local(2026, 3, 11, 9))

    assert on_due_date == {"due": 0, "flagged": 0}
    assert first == {"due": 1, "flagged": 1}
    assert second == {"due": 0, "flagged": 0}
    opened.refresh_from_db()
    assert opened.overdue_flagged_at == local(2026, 3, 11, 8)
    assert opened.events.filter(action=RectificationAction.OVERDUE).count() == 1
    assert set(overdue_notices().values_list("recipient__username", flat=True)) == {"zhao_qiang", "chen_jing"}
    assert overdue_notices().count() == 2


def test_a_rectification_claimed_by_another_scheduler_in_between_is_not_flagged_twice(
    case, opened, monkeypatch
):
    """The compare-and-swap: between listing and claiming, another process flags it."""
    original = Rectification.objects.filter

    def claimed_meanwhile(*args, **kwargs):
        if "overdue_flagged_at__isnull" in kwargs and "pk" in kwargs:
            Rectification.objects.all().update(overdue_flagged_at=local(2026, 3, 11, 7))
        return original(*args, **kwargs)

    monkeypatch.setattr(Rectification.objects, "filter", claimed_meanwhile)

    result = flag_overdue_rectifications(at=local(2026, 3, 11, 8))

    assert result == {"due": 1, "flagged": 0}
    assert not overdue_notices().exists()


def test_an_answered_rectification_is_not_overdue(case, opened):
    world = case.world
    actions.respond_rectification(
        opened, kind=ResponseKind.IMMEDIATE, note="已整改。", by=world.zhao_qiang, at=later(world, days=2)
    )

    assert flag_overdue_rectifications(at=local(2026, 3, 20)) == {"due": 0, "flagged": 0}


def test_another_round_after_a_dissatisfied_call_back_can_be_flagged_again(case, opened):
    world = case.world
    flag_overdue_rectifications(at=local(2026, 3, 11, 8))
    actions.respond_rectification(
        opened, kind=ResponseKind.EXPLAIN, note="情况说明。", by=world.zhao_qiang, at=local(2026, 3, 11, 9)
    )
    again = actions.record_callback(
        opened, satisfied=False, note="仍不满意。", by=world.chen_jing, at=local(2026, 3, 11, 10)
    )
    assert again.due_date == datetime.date(2026, 3, 18)

    result = flag_overdue_rectifications(at=local(2026, 3, 19, 8))

    assert result == {"due": 1, "flagged": 1}
    assert opened.events.filter(action=RectificationAction.OVERDUE).count() == 2
