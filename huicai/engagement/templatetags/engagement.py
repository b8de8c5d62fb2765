"""Menu guards of the engagement pages: window staff organise events and push; a talent has their page."""

from django import template

from huicai.accounts.roles import get_scope
from huicai.engagement.access import is_window_staff

register = template.Library()


@register.filter
def engages_talents(user) -> bool:
    return bool(user and user.is_authenticated and is_window_staff(user))


@register.filter
def is_talent_user(user) -> bool:
    return bool(user and user.is_authenticated and get_scope(user).talent_id)
