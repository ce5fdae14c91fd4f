"""Template helpers of the performance pages: figures in the page's measure, signs, colours."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.formats import number_format

from rumbo.core.templatetags.rumbo import format_money

register = template.Library()


@register.simple_tag(takes_context=True)
def figure(context: dict[str, Any], value: Any, places: int | None = None) -> str:
    """An amount with the organisation's currency, or a number of units (page's measure)."""
    if value is None or value == "":
        return "—"
    ctx = context.get("ctx")
    if ctx is not None and ctx.measure == "units":
        return number_format(Decimal(value), 0 if places is None else places, force_grouping=True)
    currency = context["user"].organisation.currency
    return format_money(value, currency, 2 if places is None else places)


@register.filter
def signed(value: Any) -> str:
    """A percentage change with its sign: +4,2 % or −3,0 %."""
    if value is None or value == "":
        return "—"
    number = Decimal(value)
    text = number_format(abs(number), 1, use_l10n=True, force_grouping=True)
    return f"{'+' if number > 0 else '−' if number < 0 else '±'}{text} %"


@register.filter
def tone(value: Any) -> str:
    """good / bad for a change, for the colour of its badge."""
    if value is None or value == "":
        return ""
    number = Decimal(value)
    return "good" if number > 0 else "bad" if number < 0 else ""


@register.filter
def heat(value: Any) -> str:
    """A class for an attainment cell of the heat map table, in bands of 10 %."""
    if value is None or value == "":
        return "heat-none"
    band = max(60, min(120, int(Decimal(value) // 10 * 10)))
    return f"heat-{band}"
