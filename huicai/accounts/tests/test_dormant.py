"""Dormant accounts: no sign-in for 90 days disables the account (the nightly job, on the real schedule);
a window manager re-enables it, audited (issue 14.1; SECURITY.md)."""

import datetime

from django.contrib.auth import get_user_model

from huicai.accounts.jobs import disable_dormant_accounts
from huicai.accounts.models import ApiToken
from huicai.core.models import AuditEvent
from huicai.schedule import all_jobs

START = datetime.datetime(2026, 3, 3, 2, 0, tzinfo=datetime.UTC)


def last_seen(user, days_ago, *, at=START):
    get_user_model().objects.filter(pk=user.pk).update(
        last_login=at - datetime.timedelta(days=days_ago), date_joined=at - datetime.timedelta(days=400)
    )


def test_the_dormant_job_is_on_the_schedule():
    assert "disable_dormant_accounts" in {job.name for job in all_jobs()}


def test_an_account_unused_for_ninety_days_is_disabled_and_audited(world):
    last_seen(world.chen_jing, 91)
    last_seen(world.sun_lei, 89)

    outcome = disable_dormant_accounts(at=START)

    world.chen_jing.refresh_from_db()
    world.sun_lei.refresh_from_db()
    assert outcome["disabled"] >= 1
    assert not world.chen_jing.is_active and world.chen_jing.dormant_disabled_at == START
    assert world.sun_lei.is_active
    assert AuditEvent.objects.filter(
        kind=AuditEvent.Kind.ACCOUNT_DISABLED, object_id=str(world.chen_jing.pk)
    ).exists()


def test_system_accounts_with_an_api_token_are_left_alone(world):
    last_seen(world.chen_jing, 200)
    ApiToken.objects.create(
        user=world.chen_jing,
        name="集成",
        prefix="hc_test",
        key_hash="0" * 64,
        created_at=START,
        expires_at=START + datetime.timedelta(days=30),
    )

    disable_dormant_accounts(at=START)

    world.chen_jing.refresh_from_db()
    assert world.chen_jing.is_active


def test_a_window_manager_re_enables_a_dormant_account_and_its_clock_restarts(world, login):
    last_seen(world.chen_jing, 91)
    disable_dormant_accounts(at=START)

    answer = login(world.zhou_min).post("/accounts/reactivate/", {"username": "chen_jing"})
    disable_dormant_accounts(at=START + datetime.timedelta(days=1))

    assert answer.status_code == 302
    world.chen_jing.refresh_from_db()
    assert world.chen_jing.is_active and world.chen_jing.dormant_disabled_at is None
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.ACCOUNT_REACTIVATED)
    assert event.actor == world.zhou_min


def test_an_account_disabled_for_another_reason_is_not_re_enabled_here(world, login):
    get_user_model().objects.filter(pk=world.chen_jing.pk).update(is_active=False)

    answer = login(world.zhou_min).post("/accounts/reactivate/", {"username": "chen_jing"})

    assert "不是因长期未登录而停用的" in answer.content.decode()
    world.chen_jing.refresh_from_db()
    assert not world.chen_jing.is_active


def test_a_window_commissioner_who_is_not_a_manager_cannot_re_enable(world, login):
    answer = login(world.chen_jing).get("/accounts/reactivate/")

    assert answer.status_code == 403
