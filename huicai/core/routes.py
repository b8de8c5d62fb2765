"""Every route's access policy (SECURITY.md: "every route has a declared policy").

``PUBLIC`` routes answer anonymous visitors; every other route must be declared ``LOGIN`` and must send
an anonymous visitor to the login page (pages) or answer 401/403 (API). A test walks the URL
configuration and fails for a route that is not declared, or that behaves otherwise than declared.
Object-level scoping (404 outside one's jurisdiction) is tested per app.

Routes are declared here, or beside the routes themselves: an app's ``urls.py`` may define
``ROUTE_POLICIES = {"app:name": LOGIN, …}`` (its API route names included), which ``all_policies()``
merges in.
"""

PUBLIC = "public"
LOGIN = "login"

ROUTE_POLICIES = {
    # Accounts and health.
    "accounts:login": PUBLIC,
    "accounts:logout": LOGIN,
    "accounts:unlock": LOGIN,
    "healthz": PUBLIC,
    "home": LOGIN,
    # Talents.
    "talents:list": LOGIN,
    "talents:create": LOGIN,
    "talents:detail": LOGIN,
    "talents:reveal": LOGIN,
    # Inbox.
    "notifications:inbox": LOGIN,
    "notifications:read_all": LOGIN,
    "notifications:unread_count": LOGIN,
    "notifications:read": LOGIN,
    # The green-channel catalogue: public for talents (W16), staff pages behind login.
    "catalogue:list": PUBLIC,
    "catalogue:detail": PUBLIC,
    "catalogue:staff_list": LOGIN,
    "catalogue:filings": LOGIN,
    "catalogue:create": LOGIN,
    "catalogue:staff_detail": LOGIN,
    "catalogue:edit": LOGIN,
    "catalogue:file": LOGIN,
    "catalogue:acknowledge": LOGIN,
    "catalogue:return": LOGIN,
    "catalogue:publish": LOGIN,
    # Policies: published policies are public information (W16); managing them is not.
    "policies:list": PUBLIC,
    "policies:detail": PUBLIC,
    "policies:mine": LOGIN,
    "policies:manage": LOGIN,
    "policies:create": LOGIN,
    "policies:edit": LOGIN,
    "policies:publish": LOGIN,
    "policies:expire": LOGIN,
    # Casework.
    "casework:applications": LOGIN,
    "casework:application_create": LOGIN,
    "casework:application": LOGIN,
    "casework:application_step": LOGIN,
    "casework:tasks": LOGIN,
    "casework:task": LOGIN,
    "casework:task_step": LOGIN,
    "casework:extension_acknowledge": LOGIN,
    "casework:material": LOGIN,
    # The REST API and its documentation.
    "api-root": LOGIN,
    "schema": LOGIN,
    "api-docs": LOGIN,
    # An unknown path under /api/ answers the JSON 404 to anyone.
    "api-not-found": PUBLIC,
    "talent-list": LOGIN,
    "talent-detail": LOGIN,
    "service-item-list": LOGIN,
    "service-item-detail": LOGIN,
    "policy-list": PUBLIC,
    "policy-detail": PUBLIC,
    "policy-mine": LOGIN,
    "application-list": LOGIN,
    "application-detail": LOGIN,
    "application-consent": LOGIN,
    "application-materials": LOGIN,
    "application-split": LOGIN,
    "application-submit": LOGIN,
    "application-timeline": LOGIN,
    "application-withdraw": LOGIN,
    "task-list": LOGIN,
    "task-detail": LOGIN,
    "task-accept": LOGIN,
    "task-acknowledge-extension": LOGIN,
    "task-complete": LOGIN,
    "task-delegate": LOGIN,
    "task-extend": LOGIN,
    "task-inform": LOGIN,
    "task-report-back": LOGIN,
    "task-request-materials": LOGIN,
    "task-reroute": LOGIN,
    "task-resubmit": LOGIN,
    "task-resume": LOGIN,
    "task-return": LOGIN,
    "task-suspend": LOGIN,
    "task-withdraw": LOGIN,
    "material-request-list": LOGIN,
    "material-request-detail": LOGIN,
}


def all_policies() -> dict:
    """The declarations above plus those in each project app's urls.py."""
    from importlib import import_module

    from django.apps import apps

    merged = dict(ROUTE_POLICIES)
    for config in apps.get_app_configs():
        if not config.name.startswith("huicai."):
            continue
        try:
            module = import_module(f"{config.name}.urls")
        except ModuleNotFoundError:
            continue
        merged.update(getattr(module, "ROUTE_POLICIES", {}))
    return merged
