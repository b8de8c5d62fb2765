from django import template

from huicai.archives import access

register = template.Library()


@register.inclusion_tag("archives/partials/archive_link.html", takes_context=True)
def archive_link(context, talent):
    """A link to ``talent``'s service archive for those who may open it, nothing for anyone else.

    Usage on the talent's page: ``{% load archives %}{% archive_link talent %}`` (talents sits below this
    app and cannot import it; a template library is looked up by name when the page renders).
    """
    basis = access.archive_basis(context["request"].user, talent)
    return {"talent": talent, "basis": basis, "needs_reason": basis in access.NEEDS_REASON}


@register.filter
def has_own_archive(user) -> bool:
    """For the menu: a talent's own archive (the scope is cached on the user, so this costs no query)."""
    from huicai.accounts.roles import get_scope

    return bool(user and user.is_authenticated and get_scope(user).talent_id)
