"""W16-1 政策找人: the system offers a policy or item to the eligible talents who have not used it, once each,
unless they opted out; where it allows it (免申即享) the talent's window grants it without an application,
and the grant is a record the talent's archive shows."""

import datetime

import pytest
from django.http import Http404

from huicai.core.transitions import ActionRefused, Conflict, InvalidTransition, NotAllowed
from huicai.engagement import actions, jobs
from huicai.engagement.choices import OFFER_NOTICE, RuleAction
from huicai.engagement.models import Grant, Offer
from huicai.engagement.selectors import grants_for_talent, possible_benefits
from huicai.engagement.tests.conftest import later, make_rule
from huicai.notifications.models import Notification


def test_the_daily_run_offers_each_match_once(eng):
    world = eng.world
    actions.save_rule(service_item=eng.item, by=world.zhou_min, at=world.at)

    first = jobs.offer_new_matches(at=world.at)
    second = jobs.offer_new_matches(at=later(world, days=1))

    assert (first["offers"], second["offers"]) == (2, 0)
    assert set(Offer.objects.values_list("talent", flat=True)) == {world.li_ming.pk, world.liu_yang.pk}
    notice = Notification.objects.get(kind=OFFER_NOTICE, recipient=world.li_ming_user)
    assert notice.title == "您可能可以享受：人才公寓申请"
    assert notice.body == "符合的条件：面向全部人才。"
    assert Notification.objects.filter(kind=OFFER_NOTICE, talent=world.liu_yang).exists()  # by SMS


def test_a_talent_who_becomes_eligible_is_offered_on_the_next_run(eng):
    world = eng.world
    make_rule(eng, min_age=44)

    before = jobs.offer_new_matches(at=world.at)
    on_the_birthday = jobs.offer_new_matches(at=datetime.datetime(2026, 5, 17, 1, tzinfo=datetime.UTC))

    assert (before["offers"], on_the_birthday["offers"]) == (0, 1)


def test_a_talent_who_opted_out_is_not_offered(eng):
    world = eng.world
    make_rule(eng)
    actions.set_offer_opt_out(world.li_ming, opted_out=True, by=world.li_ming_user, at=world.at)

    result = jobs.offer_new_matches(at=world.at)

    assert result["offers"] == 1
    assert list(Offer.objects.values_list("talent", flat=True)) == [world.liu_yang.pk]
    assert not Notification.objects.filter(kind=OFFER_NOTICE, recipient=world.li_ming_user).exists()


def test_an_expired_policy_is_not_offered(eng):
    from huicai.policies.actions import expire_policy

    world = eng.world
    make_rule(eng)
    expire_policy(eng.policy, by=world.chen_jing, at=world.at)

    assert jobs.offer_new_matches(at=world.at) == {"day": "2026-03-02", "rules": 0, "offers": 0}


def test_a_window_offering_by_hand_reaches_only_its_own_talents(eng):
    world = eng.world
    rule = actions.save_rule(service_item=eng.item, by=world.zhou_min, at=world.at)

    with pytest.raises(NotAllowed):
        actions.offer_rule(rule, by=world.chen_jing, at=world.at)  # the item is the city's
    count = actions.offer_rule(rule, by=world.zhou_min, at=world.at)

    assert count == 2
    assert rule.events.filter(action=RuleAction.OFFER).count() == 1


def test_the_job_is_declared_in_the_schedule():
    from huicai.schedule import all_jobs

    assert "engagement_offer_new_matches" in {job.name for job in all_jobs()}


# --- 免申即享 -----------------------------------------------------------------------------------------


@pytest.fixture
def grantable(eng):
    return make_rule(eng, max_age=45, grant_without_application=True)


def test_the_talents_window_grants_it_without_an_application(eng, grantable):
    world = eng.world

    grant = actions.grant_benefit(
        grantable, talent=world.li_ming, note="已直接拨付", by=world.chen_jing, at=world.at
    )

    assert (grant.talent, grant.policy, grant.granted_by, grant.window) == (
        world.li_ming,
        eng.policy,
        world.chen_jing,
        world.windows["兰山区"],
    )
    assert grant.reason == "年龄43周岁"
    assert possible_benefits(world.li_ming, world.today) == []  # used now
    assert Notification.objects.get(kind=OFFER_NOTICE).title == "已为您免申办理：兰山区高层次人才安家补贴"


def test_who_may_grant(eng, grantable):
    world = eng.world

    with pytest.raises(Http404):
        actions.grant_benefit(
            grantable, talent=world.li_ming, by=world.sun_lei, at=world.at
        )  # cannot see him
    with pytest.raises(NotAllowed):
        actions.grant_benefit(grantable, talent=world.li_ming, by=world.wang_fang, at=world.at)  # his unit
    with pytest.raises(NotAllowed):
        actions.grant_benefit(grantable, talent=world.li_ming, by=world.li_ming_user, at=world.at)  # himself

    assert not Grant.objects.exists()


def test_a_grant_is_refused_when_not_grantable_not_eligible_or_already_made(eng, grantable):
    world = eng.world
    plain = actions.save_rule(service_item=eng.item, by=world.zhou_min, at=world.at)
    too_young = actions.save_rule(
        service_item=eng.case.school,
        min_age=60,
        grant_without_application=True,
        by=world.zhou_min,
        at=world.at,
    )
    actions.grant_benefit(grantable, talent=world.li_ming, by=world.chen_jing, at=world.at)

    with pytest.raises(InvalidTransition) as not_grantable:
        actions.grant_benefit(plain, talent=world.li_ming, by=world.zhou_min, at=world.at)
    with pytest.raises(ActionRefused) as not_eligible:
        actions.grant_benefit(too_young, talent=world.li_ming, by=world.zhou_min, at=world.at)
    with pytest.raises(Conflict) as again:
        actions.grant_benefit(grantable, talent=world.li_ming, by=world.zhou_min, at=world.at)

    assert not_grantable.value.messages == ["该项不属于免申即享，须由人才申办。"]
    assert not_eligible.value.messages == ["该人才不符合适用条件。"]
    assert again.value.messages == ["该人才已享受此项。"]
    assert Grant.objects.count() == 1


def test_the_archive_reads_a_talents_grants_by_period(eng, grantable):
    world = eng.world
    grant = actions.grant_benefit(grantable, talent=world.li_ming, by=world.chen_jing, at=world.at)

    assert list(grants_for_talent(world.li_ming)) == [grant]
    assert list(
        grants_for_talent(world.li_ming, start=world.today, end=world.today + datetime.timedelta(days=1))
    ) == [grant]
    assert list(grants_for_talent(world.li_ming, end=world.today)) == []
    assert list(grants_for_talent(world.li_ming, start=later(world, seconds=1))) == []
    assert list(grants_for_talent(world.liu_yang)) == []
