"""Template helpers of the activity screens, and the account page's activity panels (which the
customers app's template loads, so the account page shows tickets, plans, campaigns, contacts
and the timeline without the customers app importing this one)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template

from rumbo.customers.models import Account
from rumbo.interactions.selectors import account_activity
from rumbo.interactions.views import timeline_context

register = template.Library()


@register.filter
def isodate(value: Any) -> dt.date | None:
    """'2025-03-04' → a date (for stored figures); anything else → None."""
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


@register.inclusion_tag("interactions/_account_activity.html", takes_context=True)
def account_activity_panel(context: dict[str, Any], account: Account) -> dict[str, Any]:
    request = context["request"]
    return {
        "account": account,
        "activity": account_activity(request.user, account),
        "user": request.user,
        "request": request,
    }


@register.inclusion_tag("interactions/_timeline.html", takes_context=True)
def account_timeline(context: dict[str, Any], account: Account) -> dict[str, Any]:
    request = context["request"]
    return {**timeline_context(request, account), "request": request, "user": request.user}
