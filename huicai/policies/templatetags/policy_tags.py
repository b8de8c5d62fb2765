from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def policy_state(policy, day):
    """The policy's status as a reader sees it on ``day``, as a labelled span."""
    state = policy.state_on(day)
    return format_html('<span class="policy-state policy-{}">{}</span>', state.value, state.label)


@register.simple_tag
def policy_tags(policy):
    """Who and where a policy applies to, e.g. "B 国家级领军人才 · 兰山区"; empty tags read as all."""
    categories = "、".join(c.name for c in policy.categories.all()) or "全部人才类别"
    divisions = "、".join(d.name for d in policy.divisions.all()) or "全市"
    return f"{categories} · {divisions}"
