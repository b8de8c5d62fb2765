"""Three separated administrators (三员分立, MLPS 2.0 level 3, GB/T 22239-2019 8.1.4.2 and 8.1.10.x).

- The **system administrator** configures the system and manages user accounts: creates them, corrects names,
  deactivates them. They do not decide what anyone may do.
- The **security administrator** decides what people may do: assigns the administrator roles, opens and ends
  commissioner posts, keeps the permission groups. They create no accounts, so no grant is one person's
  work: the system administrator creates an account, the security administrator gives it a role.
- The **audit administrator** reads and exports the audit log, and nothing else.

The superuser made at installation (``createsuperuser``) appoints the first three; every request it makes is
audited (middleware.py) and production may forbid its web login altogether.

An administrator's Django permissions are exactly their area below, whatever groups or permissions the
account also carries (``User.has_perm``): a role cannot be widened by a group, and no administrator area
holds talents' personal data (talents, cases, ratings, check-ins, hotline orders, notices).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AdminRole(models.TextChoices):
    SYSTEM = "system", _("系统管理员")
    SECURITY = "security", _("安全管理员")
    AUDIT = "audit", _("审计管理员")


VIEW = frozenset({"view"})
EDIT = frozenset({"view", "add", "change"})
ALL = frozenset({"view", "add", "change", "delete"})

# role → {"app_label.model": the admin actions allowed}; "app_label.*" is every model of the app.
ADMIN_AREAS = {
    AdminRole.SYSTEM: {
        # Users: accounts, names, whether they are active. Roles are read-only here (see UserAdmin).
        "accounts.user": EDIT,
        # Configuration: the organisation tree, the official calendar, the talent categories.
        "org.division": EDIT,
        "org.window": EDIT,
        "org.department": EDIT,
        "org.undertakingorg": EDIT,
        "workdays.*": EDIT,
        "talents.talentcategory": EDIT,
    },
    AdminRole.SECURITY: {
        # To pick the person a role or a post is given to (read-only: the system administrator edits users).
        "accounts.user": VIEW,
        # Posts decide what a commissioner sees and does (S4–S9): opened and ended through their actions.
        "commissioners.post": EDIT,
        # Permission groups and the permissions they hold.
        "auth.group": ALL,
        "auth.permission": VIEW,
        # API tokens: read, and revoked through revoke_token (issued over the API, to system accounts).
        "accounts.apitoken": VIEW,
    },
    AdminRole.AUDIT: {
        "core.auditevent": VIEW,
    },
}


def admin_may(role: str, perm: str) -> bool:
    """Whether an administrator of ``role`` holds Django permission ``perm`` ("app_label.action_model")."""
    area = ADMIN_AREAS.get(role)
    if not area or "." not in perm:
        return False
    app_label, codename = perm.split(".", 1)
    action, _sep, model = codename.partition("_")
    allowed = area.get(f"{app_label}.{model}") or area.get(f"{app_label}.*") or frozenset()
    return action in allowed


def admin_has_module(role: str, app_label: str) -> bool:
    area = ADMIN_AREAS.get(role) or {}
    return any(key.split(".", 1)[0] == app_label for key in area)


def admin_sees_all(role: str, model) -> bool:
    """An administrator's own area is not scoped by jurisdiction (they hold no post): they see every row
    of the models in it, and none of any other."""
    return admin_may(role, f"{model._meta.app_label}.view_{model._meta.model_name}")
