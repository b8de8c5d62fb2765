"""W5-5: a talent's achievement is published on the public site only with the talent's consent recorded;
the talent may withdraw it, and the achievement leaves the public site at once."""

import pytest

from huicai.core.models import AuditEvent
from huicai.core.transitions import InvalidTransition, NotAllowed, StaleVersion
from huicai.engagement import actions
from huicai.engagement.choices import ACHIEVEMENT_CONSENT, AchievementAction, AchievementStatus
from huicai.engagement.tests.conftest import later
from huicai.notifications.models import Notification


@pytest.fixture
def achievement(world):
    return actions.record_achievement(
        world.li_ming,
        title="新型抗肿瘤药物获批临床",
        summary="李明团队研发的一类新药获批开展临床试验。",
        achieved_date=world.today,
        by=world.chen_jing,
        at=world.at,
    )


def test_recording_an_achievement_asks_the_talent_and_publishes_nothing(world, achievement, client):
    assert achievement.status == AchievementStatus.AWAITING_CONSENT
    assert Notification.objects.get(kind=ACHIEVEMENT_CONSENT).recipient == world.li_ming_user
    assert client.get("/engagement/public/achievements/").content.decode().count("新型抗肿瘤药物") == 0


def test_the_unit_commissioner_may_record_one_an_outsider_may_not(world):
    by_unit = actions.record_achievement(
        world.li_ming,
        title="专利授权",
        summary="一项发明专利。",
        achieved_date=world.today,
        by=world.wang_fang,
        at=world.at,
    )

    with pytest.raises(NotAllowed):
        actions.record_achievement(
            world.li_ming,
            title="专利",
            summary="……",
            achieved_date=world.today,
            by=world.sun_lei,
            at=world.at,
        )

    assert by_unit.recorded_by == world.wang_fang


def test_nothing_is_published_before_the_talent_consents(world, achievement):
    with pytest.raises(InvalidTransition) as error:
        actions.publish_achievement(achievement, by=world.chen_jing, at=world.at)

    assert error.value.messages == ["须经人才本人同意后才能公开（当前状态：待人才同意）。"]


def test_only_the_talent_consents(world, achievement):
    with pytest.raises(NotAllowed):
        actions.consent_to_publication(achievement, by=world.chen_jing, at=world.at)
    with pytest.raises(NotAllowed):
        actions.consent_to_publication(achievement, by=world.wang_fang, at=world.at)


def test_with_consent_recorded_the_window_publishes_it_on_the_public_site(world, achievement, client):
    consent = actions.consent_to_publication(achievement, by=world.li_ming_user, at=later(world, hours=1))

    achievement = actions.publish_achievement(achievement, by=world.chen_jing, at=later(world, hours=2))

    assert (consent.given_by, consent.given_at) == (world.li_ming_user, later(world, hours=1))
    assert "新型抗肿瘤药物获批临床" in consent.statement and "随时撤回" in consent.statement
    assert (achievement.status, achievement.published_at) == (
        AchievementStatus.PUBLISHED,
        later(world, hours=2),
    )
    assert "新型抗肿瘤药物获批临床" in client.get("/engagement/public/achievements/").content.decode()
    assert client.get(f"/engagement/public/achievements/{achievement.pk}/").status_code == 200


def test_withdrawing_consent_unpublishes_it_at_once_and_is_audited(world, achievement, client):
    actions.consent_to_publication(achievement, by=world.li_ming_user, at=world.at)
    actions.publish_achievement(achievement, by=world.chen_jing, at=world.at)

    achievement = actions.withdraw_consent(achievement, by=world.li_ming_user, at=later(world, days=3))

    assert (achievement.status, achievement.published_at) == (AchievementStatus.WITHDRAWN, None)
    assert achievement.consents.get().withdrawn_at == later(world, days=3)
    assert client.get(f"/engagement/public/achievements/{achievement.pk}/").status_code == 404
    assert "新型抗肿瘤药物" not in client.get("/engagement/public/achievements/").content.decode()
    assert AuditEvent.objects.filter(
        kind=AuditEvent.Kind.CONSENT_WITHDRAWN, actor=world.li_ming_user
    ).exists()
    assert achievement.events.last().action == AchievementAction.WITHDRAW


def test_after_a_withdrawal_only_a_new_consent_allows_publishing_again(world, achievement):
    actions.consent_to_publication(achievement, by=world.li_ming_user, at=world.at)
    actions.withdraw_consent(achievement, by=world.li_ming_user, at=world.at)

    with pytest.raises(InvalidTransition):
        actions.publish_achievement(achievement, by=world.chen_jing, at=world.at)
    actions.consent_to_publication(achievement, by=world.li_ming_user, at=later(world, days=1))
    achievement = actions.publish_achievement(achievement, by=world.chen_jing, at=later(world, days=1))

    assert achievement.status == AchievementStatus.PUBLISHED
    assert achievement.consents.count() == 2
    assert achievement.consents.filter(withdrawn_at__isnull=True).count() == 1


def test_withdrawing_twice_is_refused(world, achievement):
    actions.consent_to_publication(achievement, by=world.li_ming_user, at=world.at)
    actions.withdraw_consent(achievement, by=world.li_ming_user, at=world.at)

    with pytest.raises(InvalidTransition) as error:
        actions.withdraw_consent(achievement, by=world.li_ming_user, at=world.at)

    assert error.value.messages == ["该成果没有有效的同意可撤回。"]


def test_a_window_of_another_county_cannot_publish_it(world, achievement):
    actions.consent_to_publication(achievement, by=world.li_ming_user, at=world.at)

    with pytest.raises(NotAllowed):
        actions.publish_achievement(achievement, by=world.sun_lei, at=world.at)


def test_a_stale_publish_is_refused(world, achievement):
    seen = achievement.version
    actions.consent_to_publication(achievement, by=world.li_ming_user, at=world.at)

    with pytest.raises(StaleVersion):
        actions.publish_achievement(achievement, by=world.chen_jing, at=world.at, expected_version=seen)
    assert achievement.__class__.objects.get(pk=achievement.pk).status == AchievementStatus.CONSENTED
