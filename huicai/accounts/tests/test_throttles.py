"""Throttles that protect and don't punish (issue 13.3): per-IP limits apply to the real client behind the
trusted proxy, refused attempts don't extend a lock, and a window manager can unlock, recorded."""

import datetime

import pytest
import time_machine
from django.test import Client

from huicai.accounts import actions
from huicai.accounts.models import LoginFailure, LoginLock
from huicai.commissioners.actions import appoint_commissioner
from huicai.commissioners.choices import PostKind
from huicai.core.models import AuditEvent
from huicai.testing import PASSWORD, make_user

START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
PROXY = "10.0.0.5"


def attempt(client, username, password, *, forwarded_for=None):
    headers = {"REMOTE_ADDR": PROXY}
    if forwarded_for:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.post("/accounts/login/", {"username": username, "password": password}, **headers)


def is_signed_in(response):
    return response.status_code == 302


@pytest.fixture
def behind_proxy(settings):
    settings.HUICAI_TRUSTED_PROXIES = ["10.0.0.0/24"]
    settings.HUICAI_LOGIN_MAX_FAILURES_PER_IP = 30


def test_guesses_from_one_client_behind_the_proxy_do_not_throttle_another_client(client, world, behind_proxy):
    with time_machine.travel(START, tick=False):
        for number in range(40):
            attempt(Client(), f"nobody{number}", "guess", forwarded_for="203.0.113.9")

        response = attempt(client, "chen_jing", PASSWORD, forwarded_for="198.51.100.7")

    assert is_signed_in(response)
    assert LoginFailure.objects.filter(ip="203.0.113.9").count() == 30
    assert not LoginFailure.objects.filter(ip=PROXY).exists()


def test_the_guessing_client_behind_the_proxy_is_throttled_by_its_own_address(client, world, behind_proxy):
    with time_machine.travel(START, tick=False):
        for number in range(30):
            attempt(Client(), f"nobody{number}", "guess", forwarded_for="203.0.113.9")

        response = attempt(client, "chen_jing", PASSWORD, forwarded_for="203.0.113.9")

    assert not is_signed_in(response)


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored(client, world, settings):
    settings.HUICAI_TRUSTED_PROXIES = []

    attempt(client, "chen_jing", "wrong", forwarded_for="203.0.113.9")

    assert LoginFailure.objects.get().ip == PROXY


def test_attempts_refused_while_locked_do_not_extend_the_lock(client, world):
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(5):
            attempt(client, "chen_jing", "wrong")
        # Someone keeps guessing through the whole lock, once a minute.
        for _ in range(29):
            traveller.shift(datetime.timedelta(minutes=1))
            attempt(client, "chen_jing", "wrong")
        traveller.shift(datetime.timedelta(minutes=2))

        response = attempt(client, "chen_jing", PASSWORD)

    assert is_signed_in(response)
    assert LoginFailure.objects.count() == 0  # the successful login forgot the five that locked


def test_attempts_refused_while_an_ip_is_throttled_do_not_extend_the_throttle(client, world, settings):
    settings.HUICAI_LOGIN_MAX_FAILURES_PER_IP = 3
    with time_machine.travel(START, tick=False) as traveller:
        for number in range(3):
            attempt(client, f"nobody{number}", "guess")
        for number in range(14):
            traveller.shift(datetime.timedelta(minutes=1))
            attempt(client, f"other{number}", "guess")
        traveller.shift(datetime.timedelta(minutes=2))

        response = attempt(client, "chen_jing", PASSWORD)

    assert is_signed_in(response)


def test_refused_attempts_are_audited_without_flooding_the_log(client, world):
    with time_machine.travel(START, tick=False):
        for _ in range(5):
            attempt(client, "chen_jing", "wrong")
        for _ in range(200):
            attempt(client, "chen_jing", "wrong")

    refused = AuditEvent.objects.filter(kind=AuditEvent.Kind.LOGIN_FAILED, result="refused")
    assert sorted(event.detail for event in refused) == [
        "(#1 in 10 min)",
        "(#10 in 10 min)",
        "(#100 in 10 min)",
    ]


def lock(client, username):
    for _ in range(5):
        attempt(client, username, "wrong")
    assert LoginLock.objects.exists()


def test_a_window_manager_unlocks_an_account_and_the_unlock_is_audited(client, world, login):
    with time_machine.travel(START, tick=False):
        lock(Client(), "chen_jing")
        manager = login(world.zhou_min)

        response = manager.post("/accounts/unlock/", {"username": "chen_jing"}, follow=True)
        signed_in = attempt(Client(), "chen_jing", PASSWORD)

    assert "已解除账号 chen_jing 的锁定" in response.content.decode()
    assert is_signed_in(signed_in)
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.UNLOCKED)
    assert event.actor == world.zhou_min
    assert event.object_id == str(world.chen_jing.pk)
    assert event.result == "unlocked"


def test_an_unlocked_account_is_not_locked_again_by_the_failures_before_the_unlock(client, world):
    with time_machine.travel(START, tick=False):
        lock(Client(), "chen_jing")
        actions.unlock_account(world.chen_jing, by=world.zhou_min, at=START)

        attempt(Client(), "chen_jing", "one-typo")
        response = attempt(Client(), "chen_jing", PASSWORD)

    assert is_signed_in(response)


def test_a_window_commissioner_who_is_not_a_manager_cannot_open_the_unlock_page(world, login):
    response = login(world.chen_jing).get("/accounts/unlock/")

    assert response.status_code == 403


def test_a_county_manager_cannot_unlock_an_account_outside_the_county(client, world, login):
    luozhuang_manager = make_user("luo_manager", "罗经理")
    appoint_commissioner(
        user=luozhuang_manager,
        kind=PostKind.WINDOW,
        organisation=world.windows["罗庄区"],
        is_manager=True,
        by=world.admin,
        at=world.at,
    )
    with time_machine.travel(START, tick=False):
        lock(Client(), "chen_jing")

        response = login(luozhuang_manager).post("/accounts/unlock/", {"username": "chen_jing"})

    assert "未找到您辖区内的该账号" in response.content.decode()
    assert LoginLock.objects.filter(locked_until__gt=START).exists()
    with pytest.raises(actions.NotAllowedToUnlock, match="您无权解除该账号的锁定"):
        actions.unlock_account(world.chen_jing, by=luozhuang_manager, at=START)
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.UNLOCKED).exists()
