"""Password lifecycle: change on one's own page, reset by a link sent by SMS/email (60 minutes, single
use, the same answer for unknown accounts), no reuse of the last 5, staff passwords expire after 90 days
(issue 14.1; SECURITY.md; MLPS 8.1.4.1 a)."""

import datetime
import re

import time_machine

from huicai.accounts.models import PreviousPassword
from huicai.core.models import AuditEvent
from huicai.notifications.models import Notification
from huicai.testing import PASSWORD, current_code, force_login, give_second_factor

START = datetime.datetime(2026, 3, 3, 2, 0, tzinfo=datetime.UTC)
NEW = "Xin-Mima-2026-Linyi!"


def change(client, old, new):
    return client.post(
        "/accounts/password/", {"old_password": old, "new_password1": new, "new_password2": new}
    )


def reset_link(user):
    notice = Notification.objects.filter(recipient=user, kind="password_reset").latest("created_at")
    return notice.link


def test_a_user_changes_their_password_audited_and_notified(client, world):
    force_login(client, world.chen_jing)

    answer = change(client, PASSWORD, NEW)

    assert answer.status_code == 302
    world.chen_jing.refresh_from_db()
    assert world.chen_jing.check_password(NEW)
    assert world.chen_jing.password_changed_at is not None
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.PASSWORD_CHANGED, actor=world.chen_jing).exists()
    assert Notification.objects.filter(recipient=world.chen_jing, kind="account_security").exists()


def test_none_of_the_last_five_passwords_may_be_used_again(client, world):
    force_login(client, world.chen_jing)
    passwords = [f"Lianxu-Mima-{n}-2026!" for n in range(5)]
    current = PASSWORD
    for new in passwords:
        assert change(client, current, new).status_code == 302
        current = new

    reused_oldest = change(client, current, PASSWORD)
    reused_recent = change(client, current, passwords[1])

    assert "不能与最近5次使用过的密码相同" in reused_oldest.content.decode()
    assert "不能与最近5次使用过的密码相同" in reused_recent.content.decode()
    assert PreviousPassword.objects.filter(user=world.chen_jing).count() == 5


def test_a_reset_link_is_sent_and_sets_a_new_password_once(client, world):
    with time_machine.travel(START, tick=False):
        asked = client.post("/accounts/password/reset/", {"username": "chen_jing"})
        link = reset_link(world.chen_jing)
        form = client.get(link)
        used = client.post(link, {"new_password1": NEW, "new_password2": NEW})
        again = client.get(link)

    assert asked["Location"] == "/accounts/password/reset/sent/"
    assert form.status_code == 200
    assert used.status_code == 302
    world.chen_jing.refresh_from_db()
    assert world.chen_jing.check_password(NEW)
    assert again.status_code == 404 and "已过期或已使用过" in again.content.decode()
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.PASSWORD_RESET, actor=world.chen_jing).exists()


def test_a_reset_link_expires_after_sixty_minutes(client, world):
    with time_machine.travel(START, tick=False) as traveller:
        client.post("/accounts/password/reset/", {"username": "chen_jing"})
        link = reset_link(world.chen_jing)
        traveller.shift(datetime.timedelta(minutes=59))
        in_time = client.get(link)
        traveller.shift(datetime.timedelta(minutes=2))
        late = client.get(link)

    assert in_time.status_code == 200
    assert late.status_code == 404


def test_an_unknown_account_gets_the_same_answer_and_nothing_is_sent(client, world):
    known = client.post("/accounts/password/reset/", {"username": "chen_jing"})
    unknown = client.post("/accounts/password/reset/", {"username": "nobody_here"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert Notification.objects.filter(kind="password_reset").count() == 1
    assert AuditEvent.objects.filter(
        kind=AuditEvent.Kind.PASSWORD_RESET_REQUESTED, result="no_account"
    ).exists()


def test_the_reset_link_goes_by_sms_when_the_account_has_a_mobile(client, world):
    world.chen_jing.mobile = "13800138000"
    world.chen_jing.save(update_fields=["mobile"])

    client.post("/accounts/password/reset/", {"username": "chen_jing"})

    notice = Notification.objects.get(recipient=world.chen_jing, kind="password_reset")
    assert notice.deliveries.filter(channel="sms").exists()
    assert re.match(r"^/accounts/password/reset/[^/]+/[^/]+/$", notice.link)


def test_a_staff_password_older_than_ninety_days_must_be_changed_first(client, world):
    world.chen_jing.password_changed_at = START - datetime.timedelta(days=91)
    world.chen_jing.save(update_fields=["password_changed_at"])
    give_second_factor(world.chen_jing)
    with time_machine.travel(START, tick=False):
        client.post("/accounts/login/", {"username": "chen_jing", "password": PASSWORD})
        client.post("/accounts/second-factor/", {"code": current_code(world.chen_jing)})
        before = client.get("/")
        change(client, PASSWORD, NEW)
        after = client.get("/")

    assert before["Location"] == "/accounts/password/?next=%2F"
    assert after.status_code == 200


def test_a_talent_password_does_not_expire(client, world):
    world.li_ming_user.password_changed_at = START - datetime.timedelta(days=400)
    world.li_ming_user.save(update_fields=["password_changed_at"])
    with time_machine.travel(START, tick=False):
        client.post("/accounts/login/", {"username": world.li_ming_user.username, "password": PASSWORD})
        page = client.get("/accounts/me/")

    assert page.status_code == 200
