from django import template

from huicai.commissioners.access import manages_registry

register = template.Library()


@register.filter
def keeps_registry(user) -> bool:
    """For the menu: the commissioner registry is window staff's page."""
    return bool(user and user.is_authenticated and manages_registry(user))
