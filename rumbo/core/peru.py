"""Peruvian identifiers: RUC (SUNAT taxpayer number), DNI and ubigeo codes."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

RUC_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
# 10: natural person with business, 15/17: special cases, 20: company.
RUC_PREFIXES = ("10", "15", "16", "17", "20")


def ruc_check_digit(first_ten: str) -> int:
    """SUNAT's modulo-11 check digit of the first ten digits of a RUC."""
    total = sum(int(d) * w for d, w in zip(first_ten, RUC_WEIGHTS, strict=True))
    digit = 11 - total % 11
    return {10: 0, 11: 1}.get(digit, digit)


def is_valid_ruc(value: str) -> bool:
    return (
        len(value) == 11
        and value.isdigit()
        and value[:2] in RUC_PREFIXES
        and ruc_check_digit(value[:10]) == int(value[10])
    )


def validate_ruc(value: str) -> None:
    if not is_valid_ruc(value):
        raise ValidationError(
            _("'%(value)s' is not a valid RUC (11 digits with a correct check digit)."),
            code="invalid_ruc",
            params={"value": value},
        )


def validate_dni(value: str) -> None:
    if not re.fullmatch(r"\d{8}", value):
        raise ValidationError(
            _("'%(value)s' is not a valid DNI (8 digits)."),
            code="invalid_dni",
            params={"value": value},
        )


def validate_ubigeo(value: str) -> None:
    if not re.fullmatch(r"\d{6}", value):
        raise ValidationError(
            _("'%(value)s' is not a ubigeo (6 digits, leading zeros kept)."),
            code="invalid_ubigeo",
            params={"value": value},
        )


def make_ruc(first_ten: str) -> str:
    """Complete ten digits into a valid RUC (used by the demo generator and tests)."""
    return first_ten + str(ruc_check_digit(first_ten))
