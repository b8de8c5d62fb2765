"""Two people, or two schedulers, acting at once: each match is offered once, a talent is granted once, a
card scanned twice at two doors checks in once, and an answer and a check-in on one invitation both stand.
Real concurrent transactions, so PostgreSQL only (SQLite serialises writers)."""

import threading

import pytest
from django.db import connection

from huicai.core.transitions import Conflict
from huicai.engagement import actions, jobs
from huicai.engagement.choices import OFFER_NOTICE, Rsvp
from huicai.engagement.models import Grant, Invitation, Offer
from huicai.engagement.tests.conftest import later, make_gathering, make_rule
from huicai.notifications.models import Notification

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real concurrent transactions"),
    pytest.mark.django_db(transaction=True),
]


def race(*calls):
    """Run each call in its own thread and connection, released together; return results and refusals."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)
    errors = []

    def run(index, call):
        barrier.wait()
        try:
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - collected, then asserted on by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def test_three_concurrent_matching_runs_offer_each_match_once(eng):
    world = eng.world
    make_rule(eng)

    results, errors = race(*[lambda: jobs.offer_new_matches(at=world.at)] * 3)

    assert errors == []
    assert sum(result["offers"] for result in results) == 2
    assert Offer.objects.count() == 2
    assert Notification.objects.filter(kind=OFFER_NOTICE).count() == 2


def test_two_windows_granting_at_once_grant_once(eng):
    world = eng.world
    rule = make_rule(eng, grant_without_application=True)

    results, errors = race(
        lambda: actions.grant_benefit(rule, talent=world.li_ming, by=world.chen_jing, at=world.at),
        lambda: actions.grant_benefit(rule, talent=world.li_ming, by=world.zhou_min, at=world.at),
    )

    assert Grant.objects.count() == 1
    assert [type(e) for e in errors] == [Conflict]
    assert errors[0].messages == ["该人才已享受此项。"]


def test_a_card_scanned_at_two_doors_checks_in_once(world):
    gathering = make_gathering(world)
    actions.invite_talents(gathering, talents=[world.li_ming], by=world.chen_jing, at=world.at)
    door = later(world, days=7)

    results, errors = race(
        *[lambda: actions.check_in_with_card(gathering, text="YM2026000001", by=world.chen_jing, at=door)] * 2
    )

    assert [type(e) for e in errors] == [Conflict]
    assert Invitation.objects.filter(attended_at__isnull=False).count() == 1


def test_an_answer_and_a_check_in_at_once_both_stand(world):
    gathering = make_gathering(world)
    [invitation] = actions.invite_talents(gathering, talents=[world.li_ming], by=world.chen_jing, at=world.at)

    results, errors = race(
        lambda: actions.answer_invitation(
            invitation, accept=True, by=world.li_ming_user, at=later(world, hours=1)
        ),
        lambda: actions.check_in_from_list(
            gathering, talent=world.li_ming, by=world.chen_jing, at=later(world, hours=1)
        ),
    )

    assert errors == []
    invitation = Invitation.objects.get()
    assert invitation.rsvp == Rsvp.ACCEPTED and invitation.attended_at is not None
