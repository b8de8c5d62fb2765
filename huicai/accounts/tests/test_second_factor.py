"""The second factor (TOTP through django-otp): enrolment, codes, recovery codes, remembered devices and
the window manager's reset (issue 14.1; SECURITY.md: required for every staff role)."""

import datetime

import pytest
import time_machine
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from huicai.accounts import actions, twofactor
from huicai.commissioners.actions import appoint_commissioner
from huicai.commissioners.choices import PostKind
from huicai.core.models import AuditEvent
from huicai.notifications.models import Notification
from huicai.testing import PASSWORD, current_code, force_login, give_second_factor, make_user

# 10:00 in Linyi (UTC+8) on a Tuesday, the day after the world was set up.
START = datetime.datetime(2026, 3, 3, 2, 0, tzinfo=datetime.UTC)


def password(client, user):
    return client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})


def code_of(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_a_window_commissioner_without_a_device_must_enrol_before_any_page(client, world):
    with time_machine.travel(START, tick=False):
        password(client, world.chen_jing)
        home = client.get("/")
        api = client.get("/api/v1/talents/")

    assert home.status_code == 302
    assert home["Location"] == "/accounts/second-factor/enrol/?next=%2F"
    assert api.status_code == 403
    assert api.json()["code"] == "second_factor_required"


def test_enrolment_shows_a_qr_code_then_confirms_with_a_code_and_shows_recovery_codes_once(client, world):
    with time_machine.travel(START, tick=False):
        password(client, world.chen_jing)
        page = client.get("/accounts/second-factor/enrol/")
        device = TOTPDevice.objects.get(user=world.chen_jing)
        answer = client.post("/accounts/second-factor/enrol/", {"code": code_of(device), "next": "/"})
        home = client.get("/")

    assert "<svg" in page.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    codes = answer.context["codes"]
    assert len(codes) == 10 and all(code in answer.content.decode() for code in codes)
    assert home.status_code == 200
    assert AuditEvent.objects.filter(
        kind=AuditEvent.Kind.SECOND_FACTOR_ENROLLED, actor=world.chen_jing
    ).exists()


def test_a_wrong_enrolment_code_leaves_the_device_unconfirmed(client, world):
    password(client, world.chen_jing)
    client.get("/accounts/second-factor/enrol/")

    answer = client.post("/accounts/second-factor/enrol/", {"code": "000000"})

    assert "动态码错误" in answer.content.decode()
    assert not TOTPDevice.objects.get(user=world.chen_jing).confirmed


def test_a_person_with_a_device_types_its_current_code_after_the_password(client, world):
    give_second_factor(world.chen_jing)
    with time_machine.travel(START, tick=False):
        password(client, world.chen_jing)
        before = client.get("/")
        verified = client.post("/accounts/second-factor/?next=/", {"code": current_code(world.chen_jing)})
        after = client.get("/")

    assert before["Location"].startswith("/accounts/second-factor/?next=")
    assert verified.status_code == 302 and verified["Location"] == "/"
    assert after.status_code == 200
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.SECOND_FACTOR_OK, result="totp").count() == 1


def test_a_wrong_code_is_refused_and_audited(client, world):
    give_second_factor(world.chen_jing)
    password(client, world.chen_jing)

    answer = client.post("/accounts/second-factor/", {"code": "123456"})

    assert answer.status_code == 200
    assert "动态码错误或已过期" in answer.content.decode()
    assert client.get("/").status_code == 302
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.SECOND_FACTOR_FAILED).count() == 1


def test_a_recovery_code_works_once(client, world):
    give_second_factor(world.chen_jing)
    codes = twofactor.issue_recovery_codes(world.chen_jing)
    password(client, world.chen_jing)

    first = client.post("/accounts/second-factor/", {"code": codes[0]})
    client.post("/accounts/logout/")
    password(client, world.chen_jing)
    again = client.post("/accounts/second-factor/", {"code": codes[0]})

    assert first.status_code == 302
    assert again.status_code == 200 and "动态码错误或已过期" in again.content.decode()
    assert StaticToken.objects.filter(device__user=world.chen_jing).count() == 9


def test_a_remembered_device_skips_the_code_until_the_evening_only(client, world):
    give_second_factor(world.chen_jing)
    with time_machine.travel(START, tick=False) as traveller:
        password(client, world.chen_jing)
        client.post("/accounts/second-factor/", {"code": current_code(world.chen_jing), "remember": "on"})
        client.post("/accounts/logout/")

        traveller.shift(datetime.timedelta(hours=6))  # 16:00 local: same working day
        password(client, world.chen_jing)
        same_day = client.get("/")
        client.post("/accounts/logout/")

        traveller.shift(datetime.timedelta(hours=5))  # 21:00 local: past the evening limit
        password(client, world.chen_jing)
        evening = client.get("/")

    assert same_day.status_code == 200
    assert evening.status_code == 302 and evening["Location"].startswith("/accounts/second-factor/")


def test_a_remembered_device_is_forgotten_when_the_device_is_reset(client, world):
    give_second_factor(world.chen_jing)
    with time_machine.travel(START, tick=False):
        password(client, world.chen_jing)
        client.post("/accounts/second-factor/", {"code": current_code(world.chen_jing), "remember": "on"})
        client.post("/accounts/logout/")
        force_login(Client(), world.zhou_min).post(
            "/accounts/second-factor/reset/", {"username": "chen_jing"}
        )

        password(client, world.chen_jing)
        after_reset = client.get("/")

    assert after_reset["Location"].startswith("/accounts/second-factor/enrol/")


def test_a_window_manager_resets_a_lost_device_audited_and_notified(world, login):
    give_second_factor(world.chen_jing)
    twofactor.issue_recovery_codes(world.chen_jing)

    answer = login(world.zhou_min).post("/accounts/second-factor/reset/", {"username": "chen_jing"})

    assert answer.status_code == 302
    assert not TOTPDevice.objects.filter(user=world.chen_jing).exists()
    assert not StaticToken.objects.filter(device__user=world.chen_jing).exists()
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.SECOND_FACTOR_RESET)
    assert event.actor == world.zhou_min and event.object_id == str(world.chen_jing.pk)
    assert Notification.objects.filter(recipient=world.chen_jing, kind="account_security").exists()


def test_a_manager_of_another_county_cannot_reset_and_learns_nothing(world, login):
    luozhuang_manager = make_user("luo_manager", "罗经理")
    appoint_commissioner(
        user=luozhuang_manager,
        kind=PostKind.WINDOW,
        organisation=world.windows["罗庄区"],
        is_manager=True,
        by=world.admin,
        at=world.at,
    )
    give_second_factor(world.chen_jing)

    answer = login(luozhuang_manager).post("/accounts/second-factor/reset/", {"username": "chen_jing"})

    assert "未找到您辖区内的该账号" in answer.content.decode()
    assert TOTPDevice.objects.filter(user=world.chen_jing).exists()
    with pytest.raises(actions.NotAllowedToHelp, match="您无权重置该账号的动态码"):
        actions.reset_second_factor(world.chen_jing, by=luozhuang_manager, at=world.at)
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.SECOND_FACTOR_RESET).exists()


def test_a_window_commissioner_who_is_not_a_manager_cannot_open_the_reset_page(world, login):
    assert login(world.sun_lei).get("/accounts/second-factor/reset/").status_code == 403


def test_a_talent_needs_no_second_factor_but_may_turn_it_on(client, world):
    password(client, world.li_ming_user)
    home = client.get("/")
    page = client.get("/accounts/me/")

    assert home.status_code in (200, 302) and "second-factor" not in home.get("Location", "")
    assert "开启动态码" in page.content.decode()


def test_the_city_can_require_the_second_factor_of_unit_commissioners(client, world, settings):
    settings.HUICAI_OTP_REQUIRED_ROLES = [*settings.HUICAI_OTP_REQUIRED_ROLES, "unit"]

    password(client, world.wang_fang)

    assert client.get("/")["Location"].startswith("/accounts/second-factor/enrol/")


def test_the_test_login_is_a_verified_session(world, client):
    force_login(client, world.chen_jing)

    assert client.get("/").status_code == 200


def test_the_admin_site_offers_no_door_to_the_devices():
    from django.contrib import admin

    assert not admin.site.is_registered(TOTPDevice)
    assert not admin.site.is_registered(StaticToken.device.field.related_model)
