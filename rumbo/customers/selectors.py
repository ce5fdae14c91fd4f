"""Reads behind the account screens: the filtered list with its last order and 12-month sales
computed in the query, the points for maps, and everything the account page shows.

The account pages show each account's orders and sales. Orders sit above customers in the app
layers; this module is the one declared exception (see `ignore_imports` in pyproject.toml): it
reads them, and they never import it. The account page's timeline and activity panels come from
the interactions app's template tags, so this app never imports that one.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Count,
    DecimalField,
    Expression,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Lower, NullIf, Replace, TruncMonth
from django.http import Http404
from django.utils import timezone
from django.utils.dates import WEEKDAYS as WEEKDAY_NAMES

from rumbo.customers.models import WEEKDAYS, Account, AccountQuerySet, Alignment, Contact
from rumbo.geo.models import Distrito
from rumbo.orders.models import OPEN_STATUSES, Order, OrderQuerySet
from rumbo.territories.models import Assignment, AssignmentRole

if TYPE_CHECKING:
    from rumbo.core.models import User

# Accented letters folded for search. SQLite's lower() only knows ASCII, so both cases are listed.
_FOLD = {c: "aeiouun"["áéíóúüñ".index(c.lower())] for c in "áéíóúüñÁÉÍÓÚÜÑ"}
SALES_WINDOW_DAYS = 365


def fold(text: str) -> str:
    """Lower case without accents: 'Núñez' → 'nunez'."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _folded(field: str) -> Expression:
    """The SQL twin of fold() for one column, the same on SQLite and PostgreSQL."""
    expr: Expression = Lower(field)
    for accented, plain in _FOLD.items():
        expr = Replace(expr, Value(accented), Value(plain))
    return expr


def search(accounts: AccountQuerySet, text: str) -> AccountQuerySet:
    """Every word must appear in the trade name, legal name, RUC/DNI or external code."""
    words = fold(text).split()
    if not words:
        return accounts
    accounts = accounts.alias(_trade=_folded("trade_name"), _legal=_folded("legal_name"))
    for word in words:
        accounts = accounts.filter(
            Q(_trade__contains=word)
            | Q(_legal__contains=word)
            | Q(tax_id__icontains=word)
            | Q(external_code__icontains=word)
        )
    return accounts


@dataclass(frozen=True)
class AccountFilters:
    """What the account list is narrowed to; every field optional."""

    text: str = ""
    territory_path: str = ""
    channel_id: int | None = None
    status: str = ""
    departamento_code: str = ""
    ubigeo: str = ""

    def apply(self, accounts: AccountQuerySet) -> AccountQuerySet:
        if self.territory_path:
            accounts = accounts.filter(territory__path__startswith=self.territory_path)
        if self.channel_id is not None:
            accounts = accounts.filter(channel_id=self.channel_id)
        if self.status:
            accounts = accounts.filter(status=self.status)
        if self.departamento_code:
            accounts = accounts.filter(distrito__ubigeo__startswith=self.departamento_code)
        if self.ubigeo:
            accounts = accounts.filter(distrito_id=self.ubigeo)
        return search(accounts, self.text) if self.text else accounts


def _sales_orders(account_ref: Any) -> OrderQuerySet:
    """The account's orders that count as sales, as the orders app defines them."""
    return Order.objects.sales().filter(account=account_ref)


def with_order_figures(
    accounts: AccountQuerySet, *, amounts: bool, today: dt.date | None = None
) -> AccountQuerySet:
    """Annotate `last_order_on` and, when amounts may be seen, `sales_12m` (net, without IGV)."""
    sales = _sales_orders(OuterRef("pk"))
    accounts = accounts.annotate(
        last_order_on=Subquery(sales.order_by("-ordered_on").values("ordered_on")[:1])
    )
    if not amounts:
        return accounts
    since = (today or timezone.localdate()) - dt.timedelta(days=SALES_WINDOW_DAYS)
    total = (
        sales.filter(ordered_on__gt=since)
        .order_by()
        .values("account")
        .annotate(s=Sum("net_amount"))
        .values("s")
    )
    money: DecimalField[Any, Any] = DecimalField(max_digits=16, decimal_places=2)
    return accounts.annotate(
        sales_12m=Coalesce(
            Subquery(total, output_field=money), Value(Decimal(0)), output_field=money
        )
    )


def current_reps_prefetch(lookup: str = "territory__assignments") -> Prefetch:
    """The active rep assignments of each account's territory, as `territory.current_reps`."""
    return Prefetch(
        lookup,
        queryset=Assignment.objects.active_on()
        .filter(role=AssignmentRole.REP)
        .select_related("user")
        .order_by("valid_from"),
        to_attr="current_reps",
    )


# Sort keys offered by the list: key → order_by terms (descending when the key starts with "-").
SORTS: dict[str, tuple[Any, ...]] = {
    "name": ("sort_name",),
    "tax_id": ("tax_id",),
    "channel": ("channel__sort_order", "channel__name"),
    "distrito": ("distrito__name",),
    "territory": ("territory__name",),
    "status": ("status",),
    "last_order": ("last_order_on",),
    "sales": ("sales_12m",),
}
AMOUNT_SORTS = frozenset({"sales"})


def clean_sort(value: str | None, *, amounts: bool) -> str:
    """A known sort key ('name', '-sales', ...) the user may use, else 'name'."""
    key = (value or "").strip()
    base = key.removeprefix("-")
    if base not in SORTS or (base in AMOUNT_SORTS and not amounts):
        return "name"
    return key


def _order_terms(sort: str) -> list[Any]:
    descending = sort.startswith("-")
    terms = []
    for term in SORTS[sort.removeprefix("-")]:
        expr = F(term)
        terms.append(expr.desc(nulls_last=True) if descending else expr.asc(nulls_last=True))
    return [*terms, "pk"]


def account_list(
    user: User, filters: AccountFilters, *, sort: str = "name", today: dt.date | None = None
) -> AccountQuerySet:
    """The accounts the user may see, filtered, with everything the list's columns show."""
    amounts = user.sees_amounts
    sort = clean_sort(sort, amounts=amounts)
    accounts = filters.apply(Account.objects.visible_to(user))
    accounts = with_order_figures(accounts, amounts=amounts, today=today)
    return (
        accounts.select_related("channel", "distrito", "territory")
        .prefetch_related(current_reps_prefetch())
        .annotate(sort_name=Lower(Coalesce(NullIf("trade_name", Value("")), "legal_name")))
        .order_by(*_order_terms(sort))
    )


def status_counts(accounts: AccountQuerySet) -> dict[str, int]:
    """How many of these accounts are in each status, in one query."""
    rows = accounts.order_by().values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}


def _point(
    pk: int, lat: float, lon: float, name: str, status: str, precision: str
) -> dict[str, Any]:
    return {
        "id": pk,
        "lat": round(lat, 6),
        "lon": round(lon, 6),
        "name": name,
        "status": status,
        "approx": precision == Account.LocationPrecision.DISTRICT,
    }


def account_points(accounts: AccountQuerySet) -> list[dict[str, Any]]:
    """Compact map points: id, position, name, status, and whether the position is approximate."""
    rows = (
        accounts.filter(lat__isnull=False)
        .order_by()
        .values_list("pk", "lat", "lon", "trade_name", "legal_name", "status", "location_precision")
    )
    return [
        _point(pk, lat, lon, trade or legal, status, precision)
        for pk, lat, lon, trade, legal, status, precision in rows
        if lat is not None and lon is not None
    ]


def point_of(account: Account) -> dict[str, Any] | None:
    """The map point of one account already in hand (None when its location is unknown)."""
    if account.lat is None or account.lon is None:
        return None
    return _point(
        account.pk, account.lat, account.lon, account.name, account.status,
        account.location_precision,
    )  # fmt: skip


def distritos_of(accounts: AccountQuerySet) -> QuerySet[Distrito]:
    """The districts these accounts are in."""
    return Distrito.objects.filter(ubigeo__in=accounts.order_by().values("distrito_id"))


@dataclass(frozen=True)
class TrendMonth:
    """One month of the account's sales: orders, and the net amount for those who see it."""

    month: dt.date
    orders: int
    amount: Decimal | None
    bar_pct: int  # the bar's length against the best month


@dataclass(frozen=True)
class AccountDetail:
    """The account page's own facts (the activity panels and the timeline come from the
    interactions app's template tags), read in a fixed number of queries."""

    account: Account
    contacts: list[Contact]
    reps: list[Assignment]
    opening_hours: list[tuple[str, list[list[str]]]]
    recent_orders: list[Order]
    open_orders: list[Order]
    trend: list[TrendMonth]
    alignments: list[Alignment]
    last_order_on: dt.date | None
    sales_12m: Decimal | None


RECENT_ORDERS = 20
TREND_MONTHS = 12


def account_detail(user: User, pk: int, *, today: dt.date | None = None) -> AccountDetail:
    """The account `pk` if the user may see it, else 404."""
    accounts = with_order_figures(
        Account.objects.visible_to(user), amounts=user.sees_amounts, today=today
    )
    account = (
        accounts.select_related("channel", "distrito__provincia__departamento", "territory")
        .filter(pk=pk)
        .first()
    )
    if account is None:
        raise Http404
    reps: list[Assignment] = []
    if account.territory_id is not None:
        reps = list(
            Assignment.objects.active_on()
            .filter(territory_id=account.territory_id, role=AssignmentRole.REP)
            .select_related("user")
        )
    return AccountDetail(
        account=account,
        contacts=list(account.contacts.all()),
        reps=reps,
        opening_hours=opening_hours_rows(account.opening_hours),
        recent_orders=list(
            account.orders.select_related("rep").order_by("-ordered_on", "-id")[:RECENT_ORDERS]
        ),
        open_orders=list(
            account.orders.filter(status__in=OPEN_STATUSES)
            .select_related("rep")
            .order_by("ordered_on", "id")
        ),
        trend=sales_trend(account, amounts=user.sees_amounts, today=today),
        alignments=list(
            account.alignments.select_related("territory", "created_by").order_by("-valid_from")
        ),
        last_order_on=account.last_order_on,  # type: ignore[attr-defined]
        sales_12m=getattr(account, "sales_12m", None),
    )


def sales_trend(
    account: Account, *, amounts: bool, today: dt.date | None = None
) -> list[TrendMonth]:
    """The last 12 months (this one included) of the account's sales orders, in one query."""
    this_month = (today or timezone.localdate()).replace(day=1)
    months = [_month_back(this_month, k) for k in range(TREND_MONTHS - 1, -1, -1)]
    rows = (
        _sales_orders(account)
        .filter(ordered_on__gte=months[0])
        .annotate(m=TruncMonth("ordered_on"))
        .order_by()
        .values("m")
        .annotate(n=Count("id"), s=Sum("net_amount"))
    )
    found = {_as_date(r["m"]): (r["n"], r["s"]) for r in rows}
    best = max((v[1] or 0 for v in found.values()), default=0) if amounts else 0
    most = max((v[0] for v in found.values()), default=0)
    result = []
    for month in months:
        n, amount = found.get(month, (0, Decimal(0)))
        if amounts:
            bar = round(100 * (amount or 0) / best) if best else 0
        else:
            bar = round(100 * n / most) if most else 0
        result.append(TrendMonth(month, n, (amount or Decimal(0)) if amounts else None, bar))
    return result


def _month_back(month: dt.date, k: int) -> dt.date:
    index = month.year * 12 + month.month - 1 - k
    return dt.date(index // 12, index % 12 + 1, 1)


def _as_date(value: Any) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def opening_hours_rows(hours: dict[str, Any]) -> list[tuple[str, list[list[str]]]]:
    """Monday to Sunday with their time ranges (an empty list means closed)."""
    return [(str(WEEKDAY_NAMES[i]), list(hours.get(day, []))) for i, day in enumerate(WEEKDAYS)]
