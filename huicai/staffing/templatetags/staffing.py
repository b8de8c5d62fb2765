from django import template

from huicai.accounts.roles import get_scope

register = template.Library()


@register.filter
def uses_staffing(user) -> bool:
    """For the menu: commissioner management is for commissioners (their own scorecards) and window staff."""
    if not (user and user.is_authenticated):
        return False
    scope = get_scope(user)
    return scope.is_superuser or bool(scope.roles & {"unit", "department", "undertaking", "window"})


@register.filter
def score(value) -> str:
    """A score, or 暂无数据 when the component had nothing to count."""
    return "暂无数据" if value is None else f"{value:g}" if isinstance(value, float) else str(value)
