from django import template

from huicai.directservices.access import get_talent_direct_services

register = template.Library()

# The talent page shows the latest services; the full list is one click away.
TALENT_PAGE_LIMIT = 20


@register.inclusion_tag("directservices/partials/talent_services.html", takes_context=True)
def talent_direct_services(context, talent):
    """The direct services of ``talent`` that the signed-in user may see (W12: they enter the record).

    Usage on the talent's page: ``{% load directservices %}{% talent_direct_services talent %}``.
    """
    user = context["request"].user
    services = list(get_talent_direct_services(user, talent, limit=TALENT_PAGE_LIMIT + 1))
    return {
        "talent": talent,
        "direct_services": services[:TALENT_PAGE_LIMIT],
        "more": len(services) > TALENT_PAGE_LIMIT,
    }
