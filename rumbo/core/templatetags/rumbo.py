"""Template filters used everywhere: money, percentages, query strings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.http import QueryDict
from django.utils.formats import number_format

from rumbo.core.names import proper

register = template.Library()

CURRENCY_SYMBOLS = {"PEN": "S/", "USD": "US$", "EUR": "€"}


def format_money(
    value: Decimal | float | int | None, currency: str = "PEN", places: int = 2
) -> str:
    """'S/ 1.234,50' in Spanish, 'S/ 1,234.50' in English."""
    if value is None or value == "":
        return "—"
    symbol = CURRENCY_SYMBOLS.get(currency, currency)
    return f"{symbol} {number_format(Decimal(value), places, use_l10n=True, force_grouping=True)}"


@register.filter
def place(value: Any) -> str:
    """A census place name ("SAN JUAN DE LURIGANCHO") as people write it."""
    return proper(str(value)) if value else ""


@register.filter
def money(value: Any, currency: str = "PEN") -> str:
    return format_money(value, currency or "PEN")


@register.filter
def pct(value: Any, places: int = 1) -> str:
    if value is None or value == "":
        return "—"
    return f"{number_format(Decimal(value), places, use_l10n=True, force_grouping=True)} %"


@register.simple_tag(takes_context=True)
def query(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with some parameters replaced (None removes one)."""
    params: QueryDict = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"
