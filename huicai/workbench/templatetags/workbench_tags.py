"""Template helpers of the workbenches: a card's QR code as inline SVG, deadline badges, pagers."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from huicai.core.masking import mask_phone
from huicai.directservices.cards import card_qr_payload

register = template.Library()


def card_payload(card) -> str:
    """What a card's QR code carries: the signed payload of huicai.directservices (W12: the counter
    refuses a forged or altered code)."""
    return card_qr_payload(card)


@register.simple_tag
def card_qr(card, scale=5):
    """The card's QR code as an inline SVG, drawn on the server (segno): no script, no request for an
    image, crisp at any size. Dark on white with the quiet zone the standard asks for, so phones in dark
    mode still show a scannable code."""
    import segno

    code = segno.make(card_payload(card), error="m", micro=False)
    svg = code.svg_inline(scale=scale, border=4, dark="#000", light="#fff", omitsize=True, svgclass="qr-svg")
    # segno writes only path data derived from the payload's bits: nothing from the payload's text.
    return format_html(
        '<figure class="qr" role="img" aria-label="{}">{}</figure>',
        f"{card.get_kind_display()} {card.number} 二维码",
        mark_safe(svg),  # noqa: S308 - generated markup, see above
    )


@register.inclusion_tag("workbench/partials/deadline.html")
def deadline(task):
    """The due date with a text badge (not colour alone): 已逾期 or 临近截止, from ``task.flag``."""
    return {"task": task, "flag": getattr(task, "flag", "")}


@register.inclusion_tag("workbench/partials/pager.html", takes_context=True)
def pager(context, page, url, target="", query=""):
    """Previous/next links that swap only ``target`` with htmx, and work as plain links without it."""
    return {"page": page, "url": url, "target": target, "query": query}


@register.filter
def masked_phone(value):
    """138****1234 (GB/T 35273 display restriction): a commissioner's mobile is never shown whole here."""
    return mask_phone(value)


@register.filter
def get_item(mapping, key):
    """``mapping[key]`` or an empty list: the errors of one row of a section."""
    if not mapping:
        return []
    return mapping.get(key, [])


@register.filter
def pair_get(mapping, first):
    """From a dict keyed by (first, second) pairs, the sub-dict {second: value} for ``first`` (keys are
    compared as text, as they come from a form)."""
    if not mapping:
        return {}
    return {second: value for (one, second), value in mapping.items() if str(one) == str(first)}
