"""三员分立: the system, security and audit administrators, each unable to do the others' work, none able to
read talents' personal data; the superuser is for installation only and every request it makes is audited."""

import csv
import io

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse
from openpyxl import load_workbook

from huicai.accounts import actions
from huicai.accounts.admins import ADMIN_AREAS, AdminRole, admin_may
from huicai.accounts.roles import Role, get_scope
from huicai.core.models import AuditEvent
from huicai.testing import make_user

pytestmark = pytest.mark.django_db

# Models that hold talents' personal data (or cases about them): no administrator area reaches them.
TALENT_DATA = {
    "talents.talent",
    "talents.talentcard",
    "casework.application",
    "casework.task",
    "ratings.rating",
    "ratings.rectification",
    "outreach.difficulty",
    "outreach.checkinentry",
    "outreach.talentstatuschange",
    "hotlines.inboundorder",
    "hotlines.inboundrating",
    "notifications.notification",
    "notifications.delivery",
    "privacy.datarequest",
    "privacy.consentwithdrawal",
    "commissioners.unitassignment",
}


@pytest.fixture
def admins(world):
    """The installation superuser appoints the first three administrators."""
    people = {}
    for role, username, name in [
        (AdminRole.SYSTEM, "sys_admin", "系统管"),
        (AdminRole.SECURITY, "sec_admin", "安全管"),
        (AdminRole.AUDIT, "aud_admin", "审计管"),
    ]:
        people[role] = actions.assign_admin_role(
            make_user(username, name), role=role, by=world.admin, at=world.at
        )
    return people


def test_the_superuser_appoints_an_administrator_and_it_is_audited(world, admins):
    system_admin = admins[AdminRole.SYSTEM]

    assert system_admin.admin_role == AdminRole.SYSTEM
    assert system_admin.is_staff
    assert Role.SYSTEM_ADMIN in get_scope(system_admin).roles
    assert AuditEvent.objects.filter(
        kind=AuditEvent.Kind.ROLE_CHANGE, object_id=str(system_admin.pk), detail="admin_role - -> system"
    ).exists()


def test_the_security_administrator_gives_a_role_to_an_account_the_system_administrator_made(world, admins):
    newcomer = make_user("newcomer", "新人")

    actions.assign_admin_role(newcomer, role=AdminRole.AUDIT, by=admins[AdminRole.SECURITY], at=world.at)

    newcomer.refresh_from_db()
    assert newcomer.admin_role == AdminRole.AUDIT


def test_the_system_administrator_gives_no_roles(world, admins):
    newcomer = make_user("newcomer", "新人")

    with pytest.raises(actions.NotAllowedToAssignRole, match="只有安全管理员可以分配管理员角色"):
        actions.assign_admin_role(newcomer, role=AdminRole.SECURITY, by=admins[AdminRole.SYSTEM], at=world.at)


def test_the_security_administrator_gives_no_role_to_themselves(world, admins):
    security_admin = admins[AdminRole.SECURITY]

    with pytest.raises(actions.NotAllowedToAssignRole, match="不能分配给自己"):
        actions.assign_admin_role(security_admin, role=AdminRole.AUDIT, by=security_admin, at=world.at)


def test_a_serving_commissioner_cannot_be_made_an_administrator(world, admins):
    with pytest.raises(ValidationError, match="在岗专员不能兼任管理员"):
        actions.assign_admin_role(
            world.chen_jing, role=AdminRole.AUDIT, by=admins[AdminRole.SECURITY], at=world.at
        )


def test_the_superuser_holds_no_administrator_role(world, admins):
    with pytest.raises(ValidationError, match="超级用户不能兼任"):
        actions.assign_admin_role(
            world.admin, role=AdminRole.AUDIT, by=admins[AdminRole.SECURITY], at=world.at
        )


def test_a_role_is_taken_away_by_the_security_administrator(world, admins):
    audit_admin = admins[AdminRole.AUDIT]

    actions.assign_admin_role(audit_admin, role="", by=admins[AdminRole.SECURITY], at=world.at)

    audit_admin.refresh_from_db()
    assert audit_admin.admin_role == ""
    assert not audit_admin.has_perm("core.view_auditevent")


def test_a_group_cannot_widen_an_administrators_area(world, admins):
    audit_admin = admins[AdminRole.AUDIT]
    readers = Group.objects.create(name="人才读者")
    readers.permissions.add(Permission.objects.get(codename="view_talent"))
    audit_admin.groups.add(readers)

    assert not audit_admin.has_perm("talents.view_talent")


@pytest.mark.parametrize("role", list(AdminRole))
def test_every_admin_page_follows_the_split_and_none_shows_talents_data(world, admins, role):
    """The real admin registry, every model, every administrator: they may view exactly their area."""
    request = RequestFactory().get("/admin/")
    request.user = admins[role]
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label_lower
        expected = admin_may(role, f"{model._meta.app_label}.view_{model._meta.model_name}")
        assert model_admin.has_view_permission(request) == expected, (role, label)
        if label in TALENT_DATA:
            assert not model_admin.has_view_permission(request), (role, label)


def test_no_area_names_a_model_with_talents_data():
    for area in ADMIN_AREAS.values():
        assert not (set(area) & TALENT_DATA)
        assert not any(
            key.split(".")[0] in {"talents", "casework", "ratings", "privacy"}
            for key in area
            if key.endswith("*")
        )


def test_the_audit_administrator_reads_the_log_and_nothing_else(world, admins, login):
    client = login(admins[AdminRole.AUDIT])

    log = client.get(reverse("admin:core_auditevent_changelist"))
    users = client.get(reverse("admin:accounts_user_changelist"))
    talents = client.get(reverse("admin:talents_talent_changelist"))

    assert log.status_code == 200
    assert users.status_code == 403
    assert talents.status_code == 403


def test_the_system_administrator_manages_users_but_not_the_log_or_talents(world, admins, login):
    client = login(admins[AdminRole.SYSTEM])

    users = client.get(reverse("admin:accounts_user_changelist"))
    log = client.get(reverse("admin:core_auditevent_changelist"))
    talents = client.get(reverse("admin:talents_talent_changelist"))
    windows = client.get(reverse("admin:org_window_changelist"))

    assert users.status_code == 200
    assert windows.status_code == 200
    assert log.status_code == 403
    assert talents.status_code == 403


def test_the_system_administrator_cannot_give_an_account_rights_on_its_form(world, admins, login):
    client = login(admins[AdminRole.SYSTEM])
    target = make_user("newcomer", "新人")

    page = client.get(reverse("admin:accounts_user_change", args=[target.pk]))

    form = page.context["adminform"].form
    for field in ["is_superuser", "is_staff", "groups", "user_permissions", "admin_role"]:
        assert field not in form.fields
    assert "assign_audit_admin" not in page.content.decode()


def test_the_security_administrator_assigns_a_role_from_the_user_list(world, admins, login):
    client = login(admins[AdminRole.SECURITY])
    target = make_user("newcomer", "新人")

    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "assign_audit_admin", "_selected_action": [target.pk], "index": 0},
    )
    change = client.post(reverse("admin:accounts_user_change", args=[target.pk]), {"full_name": "改名"})

    assert response.status_code == 302
    target.refresh_from_db()
    assert target.admin_role == AdminRole.AUDIT
    assert change.status_code == 403  # reads accounts, does not edit them
    assert target.full_name == "新人"


def test_the_security_administrator_sees_every_post_but_not_the_log(world, admins, login):
    client = login(admins[AdminRole.SECURITY])

    posts = client.get(reverse("admin:commissioners_post_changelist"))
    log = client.get(reverse("admin:core_auditevent_changelist"))

    assert posts.status_code == 200
    assert "陈静" in posts.content.decode()
    assert log.status_code == 403


def test_the_audit_administrator_exports_the_log_as_csv_and_the_export_is_audited(world, admins, login):
    client = login(admins[AdminRole.AUDIT])
    day = world.today.isoformat()

    response = client.get(reverse("accounts:audit_export"), {"since": day, "until": day, "format": "csv"})

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert response["Content-Disposition"].startswith("attachment")
    assert rows[0][0] == "时间"
    assert any("角色或范围变更" in row for row in rows[1:])
    assert AuditEvent.objects.filter(
        kind=AuditEvent.Kind.EXPORT, actor=admins[AdminRole.AUDIT], detail__startswith="audit csv"
    ).exists()


def test_the_audit_administrator_exports_the_log_as_excel(world, admins, login):
    client = login(admins[AdminRole.AUDIT])
    day = world.today.isoformat()

    response = client.get(reverse("accounts:audit_export"), {"since": day, "until": day, "format": "xlsx"})

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(1, 2).value == "事件"
    assert sheet.max_row > 1


@pytest.mark.parametrize("role", [AdminRole.SYSTEM, AdminRole.SECURITY])
def test_the_other_administrators_cannot_export_the_log(world, admins, login, role):
    response = login(admins[role]).get(reverse("accounts:audit_export"))

    assert response.status_code == 403


def test_the_superuser_cannot_export_the_log_either(world, login):
    assert login(world.admin).get(reverse("accounts:audit_export")).status_code == 403


def test_every_request_by_the_superuser_is_audited(world, login):
    client = login(world.admin)

    client.get(reverse("admin:index"))

    assert AuditEvent.objects.filter(
        kind=AuditEvent.Kind.SUPERUSER_REQUEST, actor=world.admin, detail="GET /admin/"
    ).exists()


def test_production_may_forbid_the_superusers_web_login(world, login, settings):
    settings.HUICAI_SUPERUSER_WEB_LOGIN = False
    client = login(world.admin)

    refused = client.get(reverse("admin:index"))
    again = client.get(reverse("admin:index"))

    assert refused.status_code == 403
    assert again.status_code == 302  # the session was ended: back to the login page
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.DENIED, actor=world.admin).exists()


def test_the_audit_log_page_links_the_audit_administrator_to_the_export(world, admins, login):
    page = login(admins[AdminRole.AUDIT]).get(reverse("admin:core_auditevent_changelist"))

    assert reverse("accounts:audit_export") in page.content.decode()


def test_a_password_set_by_the_system_administrator_is_audited(world, admins, login):
    target = make_user("newcomer", "新人")
    client = login(admins[AdminRole.SYSTEM])

    response = client.post(
        reverse("admin:auth_user_password_change", args=[target.pk]),
        {"password1": "Another-Secret-2026!", "password2": "Another-Secret-2026!", "usable_password": "true"},
    )

    assert response.status_code == 302
    assert AuditEvent.objects.filter(
        kind=AuditEvent.Kind.CONFIG_CHANGE, actor=admins[AdminRole.SYSTEM], object_id=str(target.pk)
    ).exists()
