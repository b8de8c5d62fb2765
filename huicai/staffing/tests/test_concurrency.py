"""Several schedulers, or two people, acting on the same change records at once: each registry change is
recorded once, each reminder sent once, and a filing racing an acknowledgement loses nothing. Real
concurrent transactions, so PostgreSQL only (SQLite serialises writers by its IMMEDIATE transactions)."""

import datetime

import pytest
from django.db import connection

from huicai.core.transitions import InvalidTransition
from huicai.notifications.models import Notification
from huicai.staffing import actions
from huicai.staffing.choices import CHANGE_OVERDUE, ChangeStatus
from huicai.staffing.jobs import remind_change_filings
from huicai.staffing.models import ChangeRecord
from huicai.staffing.tests.conftest import WEDNESDAY
from huicai.supervision.tests.test_concurrency import race

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real concurrent transactions"),
    pytest.mark.django_db(transaction=True),
]


def test_four_concurrent_sweeps_record_each_change_once(world, ma_li_post):
    results = race(*[lambda: actions.record_post_changes(at=WEDNESDAY)] * 4)

    # The world's seven appointments and ma_li's.
    assert sum(result["recorded"] for result in results) == 8
    assert ChangeRecord.objects.count() == 8
    assert ChangeRecord.objects.filter(post=ma_li_post).count() == 1


def test_two_concurrent_morning_runs_flag_and_tell_once(world, ma_li_post):
    actions.record_post_changes(at=WEDNESDAY)
    monday = datetime.datetime(2026, 3, 16, 0, 50, tzinfo=datetime.UTC)

    results = race(*[lambda: remind_change_filings(at=monday)] * 2)

    assert sum(result["flagged"] for result in results) == ChangeRecord.objects.count()
    assert (
        Notification.objects.filter(recipient=world.wang_fang, kind=CHANGE_OVERDUE).count() == 2
    )  # two posts


def test_a_filing_racing_an_acknowledgement_loses_neither(world, ma_li_post):
    actions.record_post_changes(at=WEDNESDAY)
    record = ChangeRecord.objects.get(post=ma_li_post)
    later = WEDNESDAY + datetime.timedelta(days=1)

    def attempt(action, by):
        def call():
            try:
                return action(record, note="并发", by=by, at=later)
            except InvalidTransition as refused:
                return refused

        return call

    filed, acknowledged = race(
        attempt(actions.file_change, world.wang_fang), attempt(actions.acknowledge_change, world.chen_jing)
    )

    record.refresh_from_db()
    assert not isinstance(acknowledged, InvalidTransition)
    assert record.status == ChangeStatus.ACKNOWLEDGED
    if isinstance(filed, InvalidTransition):
        # The window was first: its acknowledgement filed the change; the unit was told it already was.
        assert record.filed_by == world.chen_jing
        assert filed.messages == ["该变更已报备，不能重复报备。"]
    else:
        assert record.filed_by == world.wang_fang
    assert record.events.count() == (2 if isinstance(filed, InvalidTransition) else 3)
