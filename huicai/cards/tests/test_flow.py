"""S11-4: the unit commissioner applies for a 惠才卡, the window returns or approves, and an approval issues the
card with its number, tier and validity; renewal, loss with reissue, and revocation go through the same
actions."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from huicai.cards import actions
from huicai.cards.choices import ApplicationStatus, EventKind, Purpose
from huicai.cards.models import CardApplication, CardRule
from huicai.cards.tests.conftest import pdf
from huicai.core.transitions import Conflict, NotAllowed, StaleVersion
from huicai.notifications.models import Notification
from huicai.talents.choices import CardKind, CardStatus
from huicai.talents.models import TalentCard
from huicai.workdays import calendar


def apply_shandong(world, *, at=None, purpose=Purpose.NEW, kind=CardKind.SHANDONG):
    return actions.submit_card_application(
        talent=world.li_ming,
        kind=kind,
        purpose=purpose,
        note="申领山东惠才卡",
        files=[("身份证明", pdf())],
        by=world.wang_fang,
        at=at or world.at,
    )


def test_the_unit_applies_the_window_returns_the_unit_corrects_and_the_window_issues_the_card(rules):
    world = rules
    application = apply_shandong(world)
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.window == world.li_ming.home_window
    assert application.due_date == calendar.add_working_days(world.today, 5)

    actions.return_card_application(application, reason="身份证明不清晰", by=world.chen_jing, at=world.at)
    application.refresh_from_db()
    assert (application.status, application.return_reason) == (ApplicationStatus.RETURNED, "身份证明不清晰")

    actions.resubmit_card_application(
        application, note="已重新上传", files=[("身份证明（清晰）", pdf())], by=world.wang_fang, at=world.at
    )
    application.refresh_from_db()
    assert (application.status, application.round) == (ApplicationStatus.SUBMITTED, 2)
    assert sorted(application.materials.values_list("round", flat=True)) == [1, 2]

    actions.approve_card_application(application, by=world.chen_jing, at=world.at)
    application.refresh_from_db()
    card = application.card
    assert application.status == ApplicationStatus.APPROVED
    assert card.number == f"SD{world.today.year}000001"
    assert (card.kind, card.level, card.status) == (CardKind.SHANDONG, "C卡", CardStatus.VALID)
    assert card.issued_date == world.today
    assert card.valid_until_date == datetime.date(
        world.today.year + 3, world.today.month, world.today.day
    ) - datetime.timedelta(days=1)
    assert list(application.events.values_list("kind", flat=True)) == [
        EventKind.SUBMITTED,
        EventKind.RETURNED,
        EventKind.RESUBMITTED,
        EventKind.APPROVED,
    ]


def test_card_numbers_follow_the_highest_of_their_prefix_and_year(rules):
    assert actions.next_card_number(CardKind.YIMENG, 2026) == "YM2026000002"  # the world holds YM2026000001
    assert actions.next_card_number(CardKind.SHANDONG, 2027) == "SD2027000001"


def test_a_return_needs_a_reason_and_changes_nothing_without_one(rules):
    application = apply_shandong(rules)
    with pytest.raises(ValidationError, match="请填写退回原因"):
        actions.return_card_application(application, reason="  ", by=rules.chen_jing, at=rules.at)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.events.count() == 1


def test_only_the_talents_unit_commissioner_applies_and_only_their_window_chain_decides(rules):
    world = rules
    with pytest.raises(NotAllowed):
        actions.submit_card_application(
            talent=world.li_ming, kind=CardKind.SHANDONG, files=[("x", pdf())], by=world.qian_hui, at=world.at
        )
    application = apply_shandong(world)
    for outsider in (world.sun_lei, world.zhao_qiang, world.wang_fang):
        with pytest.raises(NotAllowed):
            actions.approve_card_application(application, by=outsider, at=world.at)
    # The city window sits above 兰山区: it may decide too.
    actions.approve_card_application(application, by=world.zhou_min, at=world.at)
    assert CardApplication.objects.get().status == ApplicationStatus.APPROVED


def test_a_category_without_a_rule_holding_a_valid_card_or_an_open_application_is_refused(rules):
    world = rules
    with pytest.raises(ValidationError, match="请办理续期"):
        apply_shandong(world, kind=CardKind.YIMENG)  # li_ming holds a valid 沂蒙惠才卡
    CardRule.objects.filter(kind=CardKind.SHANDONG).delete()
    with pytest.raises(ValidationError, match="不在山东惠才卡的发放范围内"):
        apply_shandong(world)
    CardRule.objects.create(category=world.li_ming.category, kind=CardKind.SHANDONG, tier="C卡")
    apply_shandong(world)
    with pytest.raises(Conflict, match="在办"):
        apply_shandong(world)
    assert CardApplication.objects.count() == 1


def test_an_application_without_materials_is_refused(rules):
    with pytest.raises(ValidationError, match="请上传申请材料"):
        actions.submit_card_application(
            talent=rules.li_ming, kind=CardKind.SHANDONG, files=[], by=rules.wang_fang, at=rules.at
        )
    assert not CardApplication.objects.exists()


def test_a_decision_on_a_stale_copy_is_refused_and_a_decided_one_cannot_be_decided_again(rules):
    world = rules
    application = apply_shandong(world)
    read = application.version
    actions.return_card_application(
        application, reason="请补充", by=world.chen_jing, at=world.at, expected_version=read
    )
    with pytest.raises(StaleVersion):
        actions.approve_card_application(application, by=world.chen_jing, at=world.at, expected_version=read)
    with pytest.raises(Conflict, match="已退回补正"):
        actions.approve_card_application(application, by=world.chen_jing, at=world.at)
    assert not TalentCard.objects.filter(kind=CardKind.SHANDONG).exists()


def test_a_renewal_opens_within_ninety_days_and_runs_on_from_the_old_cards_last_day(rules):
    world = rules
    old = world.li_ming_card  # valid until 2028-01-09
    with pytest.raises(ValidationError, match="届满前 90 天内"):
        apply_shandong(world, kind=CardKind.YIMENG, purpose=Purpose.RENEWAL)
    at = datetime.datetime(2027, 11, 1, 9, 0, tzinfo=datetime.UTC)
    application = apply_shandong(world, kind=CardKind.YIMENG, purpose=Purpose.RENEWAL, at=at)
    assert application.previous_card == old
    actions.approve_card_application(application, by=world.chen_jing, at=at)
    old.refresh_from_db()
    new = CardApplication.objects.get().card
    assert old.status == CardStatus.EXPIRED
    assert (new.issued_date, new.valid_until_date) == (datetime.date(2027, 11, 1), datetime.date(2031, 1, 9))


def test_a_lost_card_is_reissued_with_its_validity(rules):
    world = rules
    card = world.li_ming_card
    actions.report_card_lost(card, by=world.li_ming_user, at=world.at)
    card.refresh_from_db()
    assert card.status == CardStatus.LOST
    application = apply_shandong(world, kind=CardKind.YIMENG, purpose=Purpose.REISSUE)
    actions.approve_card_application(application, by=world.chen_jing, at=world.at)
    new = CardApplication.objects.get().card
    assert new.valid_until_date == card.valid_until_date
    assert new.number != card.number and new.status == CardStatus.VALID


def test_only_the_window_revokes_with_a_reason_and_the_talent_is_told(
    rules, django_capture_on_commit_callbacks
):
    world = rules
    card = world.li_ming_card
    with pytest.raises(NotAllowed):
        actions.revoke_card(card, reason="骗取", by=world.wang_fang, at=world.at)
    with pytest.raises(ValidationError, match="请填写撤销原因"):
        actions.revoke_card(card, reason="", by=world.chen_jing, at=world.at)
    card.refresh_from_db()
    assert card.status == CardStatus.VALID
    with pytest.raises(NotAllowed):
        actions.report_card_lost(card, by=world.sun_lei, at=world.at)

    with django_capture_on_commit_callbacks(execute=True):
        actions.revoke_card(card, reason="以不正当手段取得", by=world.chen_jing, at=world.at)
    card.refresh_from_db()
    assert card.status == CardStatus.REVOKED
    assert card.events.last().note == "以不正当手段取得"
    assert Notification.objects.filter(recipient=world.li_ming_user, title="您的惠才卡已被撤销").exists()


def test_the_window_hears_of_a_new_application_and_the_talent_of_the_card(
    rules, django_capture_on_commit_callbacks
):
    world = rules
    with django_capture_on_commit_callbacks(execute=True):
        application = apply_shandong(world)
    assert Notification.objects.filter(recipient=world.chen_jing, title__contains="待审核").exists()
    with django_capture_on_commit_callbacks(execute=True):
        actions.approve_card_application(application, by=world.chen_jing, at=world.at)
    assert Notification.objects.filter(recipient=world.li_ming_user, title="惠才卡已发放").exists()
