"""State changes of accounts, each one guarded function with an explicit actor and time."""

from django.apps import apps
from django.db import transaction
from django.utils.translation import gettext as _

from huicai.accounts import lockout
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
