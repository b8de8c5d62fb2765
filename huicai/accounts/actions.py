"""State changes of accounts, each one guarded function with an explicit actor and time."""

import datetime

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from huicai.accounts import lockout, twofactor
from huicai.accounts.admins import AdminRole
from huicai.accounts.models import ApiToken, LoginLock, PreviousPassword, TokenScope
from huicai.accounts.roles import Role, get_scope
from huicai.core import audit
from huicai.core.models import AuditEvent
from huicai.core.transitions import ActionRefused, InvalidTransition, NotAllowed, lock_for_update
from huicai.notifications import choices as notice_kinds
from huicai.notifications.actions import notify


class NotAllowedToUnlock(Exception):
    """The person asking may not unlock this account (or cannot see it: the same answer, see below)."""


def can_unlock(target, *, by) -> bool:
    """A window manager may unlock the accounts in their jurisdiction: talents whose records they see and
    commissioners whose posts they see (the same doors as every page); system administrators any."""
    scope = get_scope(by)
    # A superuser looks after every account.
    if scope.is_superuser:
        return True
    # Only a window's manager (a city window's manager is city-wide) unlocks accounts.
    if Role.WINDOW_MANAGER not in scope.roles:
        return False
    # accounts sits below talents and commissioners and imports neither: their models by name, and through
    # their own visible_to doors.
    Post = apps.get_model("commissioners", "Post")
    Talent = apps.get_model("talents", "Talent")
    # A talent whose record the manager sees, or a commissioner whose post the manager sees.
    return (
        Talent.objects.visible_to(by).filter(user=target).exists()
        or Post.objects.visible_to(by).filter(user=target).exists()
    )


@transaction.atomic
def unlock_account(target, *, by, at, request=None) -> bool:
    """Lift a login lock before it runs out, and forget the failures behind it.

    SECURITY.md locks an account after repeated failures; anybody who knows a user name can cause that, so
    the person locked out by someone else's guesses must have a way back in before the lock ends: a window
    manager (or the identity issue's reset path, once it exists) unlocks, and the unlock is audited.
    Returns whether a lock was in force.
    """
    if not can_unlock(target, by=by):
        raise NotAllowedToUnlock(_("您无权解除该账号的锁定。"))
    ref = lockout.username_ref(target.username)
    was_locked = lockout.is_locked(ref=ref, at=at)
    LoginLock.objects.filter(username_ref=ref).delete()
    lockout.clear_failures(ref=ref)
    audit.record(
        AuditEvent.Kind.UNLOCKED,
        request=request,
        actor=by,
        at=at,
        obj=target,
        subject_ref=ref,
        result="unlocked" if was_locked else "not_locked",
    )
    return was_locked


class NotAllowedToAssignRole(PermissionDenied):
    """The person asking may not give or take this administrator role."""


def can_assign_admin_role(target, *, by) -> bool:
    """Who gives the administrator roles (三员分立, admins.py)."""
    # The installation superuser appoints the first administrators.
    if by.is_superuser:
        return True
    # Otherwise only the security administrator assigns roles…
    if by.admin_role != AdminRole.SECURITY:
        return False
    # …and never to themselves: every grant is the work of two people.
    return target.pk != by.pk


@transaction.atomic
def assign_admin_role(target, *, role, by, at, request=None):
    """Give ``target`` an administrator role, or take it away (``role=""``), audited as a role change.

    One role per person, so no one holds two of the three. A superuser cannot hold one (the superuser is
    for installation), and a serving commissioner cannot either: an administrator holds no post, so the
    role never comes with a window's or a department's view of talents' data. The account gets the admin
    site (``is_staff``) with the role; taking the role away leaves the account as it was otherwise.
    """
    target = type(target).objects.select_for_update().get(pk=target.pk)
    if not can_assign_admin_role(target, by=by):
        raise NotAllowedToAssignRole(_("只有安全管理员可以分配管理员角色，且不能分配给自己。"))
    if role and role not in AdminRole.values:
        raise ValidationError(_("管理员角色无效。"))
    if role and target.is_superuser:
        raise ValidationError(_("超级用户不能兼任系统、安全或审计管理员。"))
    if role and not target.is_active:
        raise ValidationError(_("该账号已停用。"))
    if role and target.posts.active_at(at).exists():
        raise ValidationError(_("在岗专员不能兼任管理员，请先结束其专员岗位。"))
    previous = target.admin_role
    if previous == role:
        return target
    target.admin_role = role
    fields = ["admin_role"]
    if role and not target.is_staff:
        target.is_staff = True
        fields.append("is_staff")
    target.save(update_fields=fields)
    # The user model caches its scope per request object; this one has changed.
    target.__dict__.pop("_huicai_scope", None)
    audit.record(
        AuditEvent.Kind.ROLE_CHANGE,
        request=request,
        actor=by,
        at=at,
        obj=target,
        detail=f"admin_role {previous or '-'} -> {role or '-'}",
    )
    return target


class NotAllowedToHelp(NotAllowedToUnlock):
    """The person asking may not reset this account's second factor or re-enable it."""


class NotDormant(Exception):
    """Only an account the dormant-account job disabled may be re-enabled by a window manager."""


def _tell(user, *, title, at, kind=notice_kinds.ACCOUNT_SECURITY, body="", link=""):
    notify([user], kind=kind, title=title, body=body, link=link, at=at)


@transaction.atomic
def change_password(user, *, password, by, at, request=None, reset=False) -> None:
    """Set a new password (already checked by the validators, the history among them), keep the old hash
    in the history, restart the password's age, and tell the user: if it was not them, they know at once.

    ``reset`` marks a change through a reset link (audited as a reset). MLPS 8.1.4.1 a; ISSUE 14.
    """
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    if user.has_usable_password():
        PreviousPassword.objects.create(user=user, password=user.password, replaced_at=at)
    keep = settings.HUICAI_PASSWORD_HISTORY
    stale = user.previous_passwords.values_list("pk", flat=True)[keep:]
    PreviousPassword.objects.filter(pk__in=list(stale)).delete()
    user.set_password(password)
    user.password_changed_at = at
    user.save(update_fields=["password", "password_changed_at"])
    kind = AuditEvent.Kind.PASSWORD_RESET if reset else AuditEvent.Kind.PASSWORD_CHANGED
    audit.record(kind, request=request, actor=by, at=at, obj=user)
    _tell(
        user,
        title=_("您的惠才账号密码已重置") if reset else _("您的惠才账号密码已修改"),
        body=_("如非本人操作，请立即联系所在服务窗口。"),
        at=at,
    )


@transaction.atomic
def send_password_reset(user, *, link, at, request=None) -> None:
    """Send a reset link (valid PASSWORD_RESET_TIMEOUT, single use: Django's token dies with the password
    it was made for) by SMS and email through notifications, and audit the request. The view gives the
    same answer whether or not an account was found; this is called only when one was."""
    audit.record(
        AuditEvent.Kind.PASSWORD_RESET_REQUESTED, request=request, actor=user, at=at, obj=user, result="sent"
    )
    minutes = settings.PASSWORD_RESET_TIMEOUT // 60
    _tell(
        user,
        kind=notice_kinds.PASSWORD_RESET,
        title=_("惠才密码重置链接，%(n)d分钟内有效，仅可使用一次：") % {"n": minutes},
        body=_("如非本人操作，请忽略本消息。"),
        link=link,
        at=at,
    )


@transaction.atomic
def enrol_second_factor(device, *, by, at, request=None) -> list[str]:
    """Confirm the TOTP device the user has just proved with a code, and issue single-use recovery codes
    (returned to be shown once). ISSUE 14; MLPS 8.1.4.1 d."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = twofactor.issue_recovery_codes(device.user)
    audit.record(AuditEvent.Kind.SECOND_FACTOR_ENROLLED, request=request, actor=by, at=at, obj=device.user)
    _tell(
        device.user,
        title=_("您的惠才账号已绑定动态码"),
        body=_("如非本人操作，请立即联系所在服务窗口。"),
        at=at,
    )
    return codes


@transaction.atomic
def reset_second_factor(target, *, by, at, request=None) -> None:
    """A lost phone: a window manager (for a person in their jurisdiction, the same door as the unlock)
    removes the person's TOTP device and recovery codes, so the next sign-in enrols a new one. Audited
    and notified, since whoever resets a second factor can take over the account."""
    if not can_unlock(target, by=by):
        raise NotAllowedToHelp(_("您无权重置该账号的动态码。"))
    TOTPDevice.objects.filter(user=target).delete()
    StaticDevice.objects.filter(user=target).delete()
    audit.record(AuditEvent.Kind.SECOND_FACTOR_RESET, request=request, actor=by, at=at, obj=target)
    _tell(target, title=_("您的惠才账号动态码已被重置，下次登录时请重新绑定"), at=at)


@transaction.atomic
def reactivate_account(target, *, by, at, request=None) -> None:
    """Re-enable an account the dormant-account job disabled; its 90 days start again from now."""
    if not can_unlock(target, by=by):
        raise NotAllowedToHelp(_("您无权启用该账号。"))
    target = get_user_model().objects.select_for_update().get(pk=target.pk)
    if target.is_active or target.dormant_disabled_at is None:
        raise NotDormant(_("该账号不是因长期未登录而停用的，不能在此启用。"))
    target.is_active = True
    target.dormant_disabled_at = None
    target.reactivated_at = at
    target.save(update_fields=["is_active", "dormant_disabled_at", "reactivated_at"])
    audit.record(AuditEvent.Kind.ACCOUNT_REACTIVATED, request=request, actor=by, at=at, obj=target)
    _tell(target, title=_("您的惠才账号已重新启用"), at=at)


# --- API tokens (issue 12; huicai.accounts.tokens) ------------------------------------------------------


def is_system_account(user) -> bool:
    """An account for a program, not a person: made without a usable password, so it can sign in nowhere
    and reaches the API only through a token an administrator issued to it."""
    return not user.has_usable_password()


def manages_tokens(user) -> bool:
    """The security administrator decides what accounts may do (admins.py), so they issue system accounts'
    tokens and may revoke anyone's; the installation superuser too."""
    return user.is_superuser or user.admin_role == AdminRole.SECURITY


@transaction.atomic
def issue_token(user, *, name, scope, expires_at, by, at, request=None) -> tuple[ApiToken, str]:
    """A new API token for ``user``; returns the row and the token itself, which is shown once and never
    stored (only its hash is).

    Two ways, and no third: a person who has just signed in (password and, if they have one, second factor)
    gets a full-scope token for themselves (``by`` is ``user``); the security administrator issues a token,
    of any scope, to a system account. Nobody is issued a token for another person's account, which would
    let them act as that person."""
    from huicai.accounts import tokens

    if scope not in TokenScope.values:
        raise ActionRefused(_("令牌范围无效。"))
    if by.pk == user.pk:
        if scope != TokenScope.FULL:
            raise ActionRefused(_("登录获取的令牌与账号权限相同，不能另设范围。"))
    elif not manages_tokens(by):
        raise NotAllowed(_("只有安全管理员可以为系统账号签发令牌。"))
    elif not is_system_account(user):
        raise ActionRefused(_("只能为系统账号（无登录密码的程序账号）签发令牌；个人请自行登录获取。"))
    if not user.is_active:
        raise ActionRefused(_("该账号已停用。"))
    if expires_at <= at:
        raise ActionRefused(_("到期时间须晚于现在。"))
    if by.pk == user.pk and expires_at > at + datetime.timedelta(hours=settings.HUICAI_API_TOKEN_HOURS):
        raise ActionRefused(
            _("登录获取的令牌最长有效 %(hours)s 小时。") % {"hours": settings.HUICAI_API_TOKEN_HOURS}
        )
    if expires_at > at + datetime.timedelta(days=settings.HUICAI_API_TOKEN_MAX_DAYS):
        raise ActionRefused(_("令牌有效期最长 %(days)s 天。") % {"days": settings.HUICAI_API_TOKEN_MAX_DAYS})
    key = tokens.new_key()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=key[:10],
        key_hash=tokens.hash_key(key),
        scope=scope,
        created_at=at,
        created_by=None if by.pk == user.pk else by,
        expires_at=expires_at,
    )
    audit.record(
        AuditEvent.Kind.LOGIN_OK if by.pk == user.pk else AuditEvent.Kind.ROLE_CHANGE,
        request=request,
        actor=by,
        at=at,
        obj=user,
        detail=f"api token {token.prefix} issued, scope {scope}, expires {expires_at:%Y-%m-%d %H:%M}",
    )
    return token, key


@transaction.atomic
def revoke_token(token, *, by, at, request=None) -> ApiToken:
    """End a token before it expires: its holder may (signing out, or a lost token), and so may the security
    administrator (a leaked or no longer wanted integration). Kept, not deleted: who could use the API and
    until when stays on record."""
    token = lock_for_update(ApiToken.objects.select_related("user"), token.pk)
    if token.user_id != by.pk and not manages_tokens(by):
        raise NotAllowed(_("只有令牌的持有人或安全管理员可以撤销令牌。"))
    if token.revoked_at is not None:
        raise InvalidTransition(_("该令牌已撤销。"), code="invalid_transition")
    token.revoked_at = at
    token.revoked_by = by
    token.save(update_fields=["revoked_at", "revoked_by"])
    audit.record(
        AuditEvent.Kind.LOGOUT if token.user_id == by.pk else AuditEvent.Kind.ROLE_CHANGE,
        request=request,
        actor=by,
        at=at,
        obj=token.user,
        detail=f"api token {token.prefix} revoked",
    )
    return token
