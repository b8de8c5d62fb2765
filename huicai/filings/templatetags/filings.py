from django import template

from huicai.filings.access import files_anything

register = template.Library()


@register.filter
def uses_filings(user) -> bool:
    """For the menu: filings are for unit commissioners and window staff (W14, S18)."""
    return bool(user and user.is_authenticated and files_anything(user))
