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
