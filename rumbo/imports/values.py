"""Turn one spreadsheet cell into a Rumbo value, or say in the user's language why it cannot be.

Every parser takes the raw cell (text from a CSV; text, number or date from an XLSX) and returns
the value or raises CellError. Blank cells ("", "-") never reach a parser: see `is_blank`.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from rumbo.core.peru import is_valid_ruc

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

BLANKS = {"", "-", "–", "—"}
EXCEL_EPOCH = dt.date(1899, 12, 30)
# Excel serial numbers of 1927-05-18 … 2119-01-09: anything else is not a plausible date.
EXCEL_SERIALS = (10_000, 80_000)
_CURRENCY = re.compile(r"^(s/\.?|us\$|\$|€|pen|usd|eur)\s*", re.IGNORECASE)
_MONTH_TEXT = re.compile(r"^(\d{4})[-/.](\d{1,2})$|^(\d{1,2})[-/.](\d{4})$")

Parser = Callable[[Any], Any]


class CellError(Exception):
    """A cell that cannot be read; `message` is already in the user's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and raw.strip() in BLANKS)


def shown(raw: Any) -> str:
    """A cell as the user typed it, for messages."""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, dt.datetime) and raw.time() == dt.time(0):
        return raw.date().isoformat()
    return str(raw)


def normalise(text: str) -> str:
    """Lower case, no accents, letters and digits only: 'Razón social' → 'razonsocial'."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]", "", plain.lower())


def text(max_length: int) -> Parser:
    def parse(raw: Any) -> str:
        value = shown(raw).strip()
        if len(value) > max_length:
            raise CellError(
                _("'%(value)s…' is longer than %(max)s characters.")
                % {"value": value[:20], "max": max_length}
            )
        return value

    return parse


def decimal(raw: Any, *, negative: bool = False) -> Decimal:
    """1234.5, 1234,5, 1.234,50, 1,234.50, S/ 12, 12 %: the last separator is the decimal one."""
    if isinstance(raw, bool):
        raise CellError(_("'%(value)s' is not a number.") % {"value": raw})
    number = isinstance(raw, int | float | Decimal)
    value = Decimal(str(raw)) if number else _decimal_text(str(raw))
    if not value.is_finite():
        raise CellError(_("'%(value)s' is not a number.") % {"value": shown(raw)})
    if value < 0 and not negative:
        raise CellError(_("'%(value)s' is negative; it cannot be.") % {"value": shown(raw)})
    return value


def _decimal_text(raw: str) -> Decimal:
    cleaned = _CURRENCY.sub("", raw.strip()).replace("%", "").replace(" ", "").replace("\u00a0", "")
    if cleaned.startswith("(") and cleaned.endswith(")"):  # accounting negatives
        cleaned = "-" + cleaned[1:-1]
    commas, dots = cleaned.count(","), cleaned.count(".")
    if commas and dots:
        thousands = "," if cleaned.rfind(",") < cleaned.rfind(".") else "."
        cleaned = cleaned.replace(thousands, "")
    elif commas > 1 or dots > 1:
        cleaned = cleaned.replace("," if commas else ".", "")
    cleaned = cleaned.replace(",", ".")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        raise CellError(_("'%(value)s' is not a number.") % {"value": raw}) from None


def rounded(places: int) -> Parser:
    """A number that is not negative, rounded half up to `places` decimals (as Rumbo stores it)."""
    step = Decimal(1).scaleb(-places)

    def parse(raw: Any) -> Decimal:
        return decimal(raw).quantize(step, rounding=ROUND_HALF_UP)

    return parse


money = rounded(2)
price = rounded(4)


def positive_decimal(raw: Any) -> Decimal:
    value = decimal(raw)
    if value == 0:
        raise CellError(_("'%(value)s' must be more than zero.") % {"value": shown(raw)})
    return value


def percent(raw: Any) -> Decimal:
    """0 to 100, to two decimals (15 for 15 %; a file with 0.15 needs the factor 100)."""
    value = decimal(raw).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if value > 100:
        raise CellError(_("'%(value)s' is not a percentage (0 to 100).") % {"value": shown(raw)})
    return value


def integer(raw: Any) -> int:
    value = decimal(raw)
    if value != value.to_integral_value():
        raise CellError(_("'%(value)s' is not a whole number.") % {"value": shown(raw)})
    return int(value)


def coordinate(limit: int) -> Parser:
    def parse(raw: Any) -> float:
        value = decimal(raw, negative=True)
        if abs(value) > limit:
            raise CellError(
                _("'%(value)s' is not a coordinate (between -%(limit)s and %(limit)s).")
                % {"value": shown(raw), "limit": limit}
            )
        return float(value)

    return parse


def date(raw: Any) -> dt.date:
    """2024-03-01, 01/03/2024 (day first, as in Peru), 1-3-2024, an Excel date or serial number."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, int | float) or (isinstance(raw, str) and raw.strip().isdigit()):
        serial = float(raw)
        if EXCEL_SERIALS[0] <= serial <= EXCEL_SERIALS[1]:
            return EXCEL_EPOCH + dt.timedelta(days=int(serial))
        raise _not_a_date(raw)
    value = str(raw).strip().split(" ")[0].split("T")[0]
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d"):
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise _not_a_date(raw)


def _not_a_date(raw: Any) -> CellError:
    return CellError(
        _("'%(value)s' is not a date (write 2024-03-01 or 01/03/2024).") % {"value": shown(raw)}
    )


def month(raw: Any) -> dt.date:
    """A month: any date (its first day counts), 2024-03 or 03/2024."""
    if isinstance(raw, str):
        found = _MONTH_TEXT.match(raw.strip())
        if found:
            year = int(found.group(1) or found.group(4))
            number = int(found.group(2) or found.group(3))
            if 1 <= number <= 12:
                return dt.date(year, number, 1)
    try:
        return date(raw).replace(day=1)
    except CellError:
        raise CellError(
            _("'%(value)s' is not a month (write 2024-03 or 03/2024).") % {"value": shown(raw)}
        ) from None


def year(raw: Any) -> int:
    value = integer(raw)
    if not 1900 <= value <= 2200:
        raise CellError(_("'%(value)s' is not a year.") % {"value": shown(raw)})
    return value


TRUE = {"1", "true", "yes", "y", "si", "s", "x", "verdadero", "v"}
FALSE = {"0", "false", "no", "n", "falso", "f"}


def boolean(raw: Any) -> bool:
    word = normalise(shown(raw))
    if word in TRUE:
        return True
    if word in FALSE:
        return False
    raise CellError(_("'%(value)s' is not yes or no.") % {"value": shown(raw)})


def digits(raw: Any) -> str:
    """A number that must keep its leading zeros; Excel may have stored it as a number."""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return shown(raw).strip().replace(" ", "")


def ruc(raw: Any) -> str:
    value = digits(raw)
    if not is_valid_ruc(value):
        raise CellError(_("'%(value)s' is not a valid RUC.") % {"value": value})
    return value


def dni(raw: Any) -> str:
    value = digits(raw)
    if isinstance(raw, int | float):
        value = value.zfill(8)
    if not re.fullmatch(r"\d{8}", value):
        raise CellError(_("'%(value)s' is not a valid DNI (8 digits).") % {"value": value})
    return value


def tax_id(raw: Any) -> tuple[str, str]:
    """(type, number): 8 digits are a DNI, anything else must be a valid RUC."""
    value = digits(raw)
    if len(value) == 8 and value.isdigit():
        return "dni", value
    return "ruc", ruc(value)


def ubigeo(raw: Any) -> str:
    """Six digits; Excel drops the leading zero of Amazonas … Apurímac, so five are padded."""
    value = digits(raw)
    if re.fullmatch(r"\d{5}", value):
        value = "0" + value
    if not re.fullmatch(r"\d{6}", value):
        raise CellError(_("'%(value)s' is not a ubigeo (6 digits).") % {"value": value})
    return value


def email(raw: Any) -> str:
    value = shown(raw).strip()
    try:
        validate_email(value)
    except ValidationError:
        raise CellError(_("'%(value)s' is not an email address.") % {"value": value}) from None
    return value


def choice(options: Mapping[str, str], describe: StrOrPromise) -> Parser:
    """One of a few values; `options` maps normalised words (Spanish and English) to values."""

    def parse(raw: Any) -> str:
        found = options.get(normalise(shown(raw)))
        if found is None:
            raise CellError(
                _("'%(value)s' is not one of: %(choices)s.")
                % {"value": shown(raw), "choices": describe}
            )
        return found

    return parse
