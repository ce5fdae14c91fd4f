"""The account page's coverage panel: segment, strategy and the account's own plan. The
customers app sits below this one, so its template loads the panel through this tag."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from rumbo.coverage.selectors import coverage_of

register = template.Library()


@register.simple_tag(takes_context=True)
def account_coverage(context: dict[str, Any], account: Any) -> SafeString:
    """The coverage of an account the page has already fetched through visible_to."""
    request = context["request"]
    coverage = coverage_of(account)
    return render_to_string(
        "coverage/_account_section.html", {"c": coverage, "user": request.user}, request=request
    )
