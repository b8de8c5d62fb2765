"""State changes of accounts, each one guarded function with an explicit actor and time."""

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from huicai.accounts import lockout
from huicai.accounts.admins import AdminRole
from huicai.accounts.models import LoginLock
from huicai.accounts.roles import Role, get_scope
from huicai.core import audit
from huicai.core.models import AuditEvent


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
