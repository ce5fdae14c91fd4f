"""Field shapes used across apps, so money and prices are stored alike everywhere."""

from __future__ import annotations

from typing import Any

from django.db import models


def money_field(verbose_name: Any, **kwargs: Any) -> models.DecimalField:
    """An amount in cents (up to 999 billion)."""
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **kwargs)


def price_field(verbose_name: Any, **kwargs: Any) -> models.DecimalField:
    """A unit price with four decimals (prices per unit are often fractions of a cent)."""
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=4, **kwargs)
