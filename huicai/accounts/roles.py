"""Roles and jurisdiction of a signed-in person, derived from their posts and talent record.

Nothing here is stored: a person's roles follow from the commissioner posts they hold now and whether they
are a talent, so a change of post is the only thing to update. The scope is computed once per request
(cached on the user object) and every ``visible_to`` reads it.

The scope sits with the user it describes. It reads the rows that hang off the user (``user.posts``,
declared by commissioners, and ``user.talent``, declared by talents) through those relations, so accounts
imports neither app: both build their ``visible_to`` on the scope, and org, below them, does too.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    TALENT = "talent", _("人才")
    UNIT = "unit", _("单位专员")
    DEPARTMENT = "department", _("部门专员")
    UNDERTAKING = "undertaking", _("承办专员")
    WINDOW = "window", _("窗口专员")
    WINDOW_MANAGER = "window_manager", _("窗口负责人")
    CITY_ADMIN = "city_admin", _("市级管理员")
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")
    SUPERUSER = "superuser", _("超级用户")


@dataclass(frozen=True)
class Scope:
    roles: frozenset = frozenset()
    is_superuser: bool = False
    talent_id: int | None = None
    unit_post_ids: tuple = ()
    employer_ids: tuple = ()
    department_ids: tuple = ()
    undertaking_org_ids: tuple = ()
    window_ids: tuple = ()
    window_paths: tuple = ()
    window_names: tuple = field(default=())
    division_ids: tuple = ()

    @property
    def is_city_wide(self) -> bool:
        return self.is_superuser or Role.CITY_ADMIN in self.roles


EMPTY_SCOPE = Scope()


def get_scope(user, *, at=None) -> Scope:
    """The user's roles and jurisdiction at ``at`` (now by default), cached on the user object."""
    if user is None or not user.is_authenticated:
        return EMPTY_SCOPE
    cached = getattr(user, "_huicai_scope", None)
    if cached is not None and at is None:
        return cached
    when = at or timezone.now()
    roles = set()
    if user.is_superuser:
        roles.add(Role.SUPERUSER)
    # The three separated administrators (admins.py); the value names the role.
    admin_role = getattr(user, "admin_role", "")
    if admin_role:
        roles.add(Role(f"{admin_role}_admin"))
    # The talent record, through the user's one-to-one ``talent`` relation (one query, nothing cached).
    users = get_user_model().objects.filter(pk=user.pk, talent__isnull=False)
    talent_id = users.values_list("talent", flat=True).first()
    if talent_id:
        roles.add(Role.TALENT)
    # The posts held at ``when``; a post's kind is the name of the role it gives.
    posts = list(user.posts.active_at(when).select_related("window"))
    unit_posts = [p for p in posts if p.kind == Role.UNIT]
    window_posts = [p for p in posts if p.kind == Role.WINDOW]
    for post in posts:
        roles.add(Role(post.kind))
        if post.is_manager:
            roles.add(Role.WINDOW_MANAGER)
            if post.window.parent_id is None:
                roles.add(Role.CITY_ADMIN)
    scope = Scope(
        roles=frozenset(roles),
        is_superuser=user.is_superuser,
        talent_id=talent_id,
        unit_post_ids=tuple(p.pk for p in unit_posts),
        employer_ids=tuple({p.employer_id for p in unit_posts}),
        department_ids=tuple({p.department_id for p in posts if p.kind == Role.DEPARTMENT}),
        undertaking_org_ids=tuple({p.undertaking_org_id for p in posts if p.kind == Role.UNDERTAKING}),
        window_ids=tuple(p.window_id for p in window_posts),
        window_paths=tuple(p.window.path for p in window_posts),
        window_names=tuple(p.window.name for p in window_posts),
        division_ids=tuple({p.window.division_id for p in window_posts}),
    )
    if at is None:
        user._huicai_scope = scope
    return scope


def window_condition(scope: Scope, path_field: str) -> models.Q | None:
    """Q for rows whose window (reached through ``path_field``, a ``…__path`` lookup) lies in the user's
    windows' subtrees: the one place the jurisdiction tree is turned into a filter."""
    if not scope.window_paths:
        return None
    condition = models.Q()
    for path in scope.window_paths:
        condition |= models.Q(**{f"{path_field}__startswith": path})
    return condition


def is_staff_member(user) -> bool:
    """A commissioner of any kind (unit, department, undertaking, window) or the system administrator:
    who works on talents' cases, as opposed to a talent, who follows their own. Pages about many talents
    (the register, the task queue) are for them."""
    scope = get_scope(user)
    return scope.is_superuser or bool(
        scope.unit_post_ids or scope.window_ids or scope.department_ids or scope.undertaking_org_ids
    )


def takes_part_in_cases(user) -> bool:
    """A talent or a commissioner of any kind: who has applications, services, bookings or difficulties
    to see (an administrator with no post has none)."""
    return bool(get_scope(user).talent_id) or is_staff_member(user)


def describe_scope(user) -> tuple[str, str]:
    """Roles and jurisdiction as short text, for the audit log."""
    scope = get_scope(user)
    roles = ",".join(sorted(scope.roles))
    return roles, ",".join(scope.window_names)


def any_of(conditions) -> models.Q | None:
    """OR together the conditions a ``visible_to`` collected (None when there are none: see nothing)."""
    combined = None
    for condition in conditions:
        combined = condition if combined is None else combined | condition
    return combined
