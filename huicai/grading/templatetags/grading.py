from django import template

from huicai.grading import access

register = template.Library()


@register.filter
def sees_grading(user) -> bool:
    """The 评估评价 menu entry: city staff and window managers only."""
    return bool(user and user.is_authenticated and access.sees_grading(user))
