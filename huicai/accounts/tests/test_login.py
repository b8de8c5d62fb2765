"""Login, lockout, session lifetime and password rules (SECURITY.md)."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from huicai.accounts.models import LoginFailure, LoginLock
from huicai.core.models import AuditEvent
from huicai.testing import PASSWORD, give_second_factor, sign_in

BAD_LOGIN = "用户名或密码错误"
START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def attempt(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_the_login_page_is_in_chinese(client, db):
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    assert "登录惠才" in response.content.decode()
    assert 'lang="zh-Hans"' in response.content.decode()


def test_a_correct_login_signs_in_and_is_audited(client, world):
    with time_machine.travel(START, tick=False):
        response = attempt(client, "chen_jing", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/"
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.LOGIN_OK)
    assert event.actor == world.chen_jing
    assert "window" in event.roles
    assert event.jurisdiction == "兰山区高层次人才服务窗口"


def test_a_wrong_password_is_refused_and_audited_without_the_user_name(client, world):
    response = attempt(client, "chen_jing", "wrong-password")

    assert response.status_code == 200
    assert BAD_LOGIN in response.content.decode()
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.LOGIN_FAILED)
    assert event.actor is None
    assert "chen_jing" not in event.subject_ref
    assert len(event.subject_ref) == 64


def test_five_failures_in_fifteen_minutes_lock_the_account_for_thirty_minutes(client, world):
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(5):
            attempt(client, "chen_jing", "wrong-password")
            traveller.shift(datetime.timedelta(minutes=2))

        locked = attempt(client, "chen_jing", PASSWORD)

        assert locked.status_code == 200
        assert "账号已锁定，请 28 分钟后再试。" in locked.content.decode()  # locked at the fifth, 2 min ago
        assert AuditEvent.objects.filter(kind=AuditEvent.Kind.LOCKED_OUT).count() == 1

        traveller.shift(datetime.timedelta(minutes=31))
        unlocked = attempt(client, "chen_jing", PASSWORD)

    assert unlocked.status_code == 302


def test_the_locked_page_says_how_long_the_lock_has_left(client, world):
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(4):
            wrong = attempt(client, "chen_jing", "wrong-password").content.decode()
        fifth = attempt(client, "chen_jing", "wrong-password").content.decode()
        traveller.shift(datetime.timedelta(minutes=16, seconds=30))

        later = attempt(client, "chen_jing", PASSWORD).content.decode()

    assert BAD_LOGIN in wrong and "账号已锁定" not in wrong
    assert "账号已锁定，请 30 分钟后再试。" in fifth and BAD_LOGIN not in fifth
    assert "账号已锁定，请 14 分钟后再试。" in later


def test_an_unknown_name_is_locked_exactly_like_a_real_one(client, world):
    """The lock message tells nothing about whether the account exists: a made-up name locks the same."""
    with time_machine.travel(START, tick=False):
        for name in ("chen_jing", "nobody_here"):
            for _ in range(5):
                attempt(client, name, "wrong-password")
        pages = [
            attempt(client, name, "wrong-password").content.decode() for name in ("chen_jing", "nobody_here")
        ]

    real, unknown = (
        [line for line in page.splitlines() if "csrfmiddlewaretoken" not in line] for page in pages
    )
    assert "账号已锁定，请 30 分钟后再试。" in "\n".join(real)
    assert [line.replace("chen_jing", "NAME") for line in real] == [
        line.replace("nobody_here", "NAME") for line in unknown
    ]


def test_failures_spread_over_more_than_fifteen_minutes_do_not_lock(client, world):
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(5):
            attempt(client, "chen_jing", "wrong-password")
            traveller.shift(datetime.timedelta(minutes=4))

        response = attempt(client, "chen_jing", PASSWORD)

    assert response.status_code == 302
    assert not LoginLock.objects.exists()


def test_a_success_forgets_earlier_failures(client, world):
    with time_machine.travel(START, tick=False):
        for _ in range(4):
            attempt(client, "chen_jing", "wrong-password")
        attempt(client, "chen_jing", PASSWORD)

    assert not LoginFailure.objects.exists()


def test_failures_during_a_lock_do_not_extend_it(client, world):
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(5):
            attempt(client, "chen_jing", "wrong-password")
        traveller.shift(datetime.timedelta(minutes=20))
        attempt(client, "chen_jing", "wrong-password")
        traveller.shift(datetime.timedelta(minutes=11))

        response = attempt(client, "chen_jing", PASSWORD)

    assert response.status_code == 302


def test_one_ip_failing_across_many_names_is_throttled(client, world, settings):
    settings.HUICAI_LOGIN_MAX_FAILURES_PER_IP = 3
    with time_machine.travel(START, tick=False):
        for name in ("a", "b", "c"):
            attempt(client, name, "wrong-password")

        response = attempt(client, "chen_jing", PASSWORD)

    assert response.status_code == 200
    assert BAD_LOGIN in response.content.decode()


def test_login_rotates_the_session_key_and_logout_deletes_the_session(client, world):
    client.get("/accounts/login/")
    client.session.save()
    before = client.session.session_key

    attempt(client, "chen_jing", PASSWORD)
    after = client.session.session_key
    response = client.post("/accounts/logout/")

    assert before != after
    assert response.status_code == 302
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=after).exists()
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.LOGOUT, actor=world.chen_jing).exists()


def test_logout_refuses_get(login, world):
    client = login(world.chen_jing)

    assert client.get("/accounts/logout/").status_code == 405


def test_a_session_ends_twelve_hours_after_login_however_active(client, world):
    give_second_factor(world.chen_jing)
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client, world.chen_jing)
        for _ in range(12):
            traveller.shift(datetime.timedelta(minutes=25))
            assert client.get("/").status_code == 200
        traveller.shift(datetime.timedelta(hours=8))
        client.get("/")  # still within the idle limit of the cookie, but past 12 hours from login

        response = client.get("/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_idle_timeout_is_thirty_minutes_renewed_on_every_request():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_passwords_are_hashed_with_argon2_in_production():
    from huicai import settings as project_settings  # the tests themselves swap in a fast hasher

    assert project_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


@pytest.mark.parametrize(
    "password, message",
    [
        ("Short-1a", "密码长度太短"),
        ("alllowercaseletters", "至少3类"),
        ("Password1234", "太常见"),
    ],
)
def test_weak_staff_passwords_are_refused_with_a_chinese_reason(password, message):
    with pytest.raises(ValidationError) as caught:
        validate_password(password)

    assert any(message in m for m in caught.value.messages), caught.value.messages


def test_a_strong_password_passes():
    validate_password("Linyi-Talent-2026")
