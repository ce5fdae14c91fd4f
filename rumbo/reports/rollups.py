"""Building and refreshing the report rollups (rumbo.reports.models) from their sources.

`rebuild` recomputes one organisation's rollups with one INSERT … SELECT per table, the SELECT
written by the ORM, so the same code runs on SQLite and PostgreSQL.

`ensure_fresh`, called by every performance page before it reads, keeps them exact without a
hook in the order services: every change to the sales summaries either adds a MonthlySales row
or comes with a new OrderStatusChange row (create_order, submit_order, change_status), and every
visit is a new Interaction row. Ids only grow, so the rows added since the last refresh name
the (territory, month) and (account, year) cells to recompute from the summaries. A row written
by a transaction that commits later than others may appear below ids already seen; to catch
it, each refresh re-reads from the ids it had seen `LAG` earlier, and keeps doing so for
`LAG` after the last change. When the rows to re-read are too many (after a bulk load or a
`rebuild_sales_summary`), the organisation is rebuilt instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection, models, transaction
from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone

from rumbo.interactions.models import Interaction
from rumbo.orders.models import MonthlyCategorySales, MonthlySales, OrderStatusChange
from rumbo.reports.models import (
    MONTHS,
    AccountYear,
    AccountYearVisits,
    RollupState,
    TerritoryCategorySales,
    TerritorySales,
    net_column,
    orders_column,
    visits_column,
)

LAG = dt.timedelta(minutes=15)
FULL_REBUILD_ABOVE = 100_000  # source rows to re-read beyond which a rebuild is cheaper


@dataclass(frozen=True)
class Source:
    """A SELECT over a source table giving rollup rows: its SQL and parameters, and the rollup
    columns it fills, in SELECT order (the key columns first)."""

    sql: str
    params: list[Any]
    columns: list[str]
    keys: int  # how many leading columns identify a rollup row


def _column(model: type[models.Model], name: str) -> str:
    found = model._meta.get_field(name)
    assert isinstance(found, models.Field) and found.column
    return found.column


def _insert(rollup: type[models.Model], source: Source) -> None:
    """INSERT INTO the rollup's table the rows of the source's SELECT, in one statement."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(_column(rollup, c)) for c in source.columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(rollup._meta.db_table)} ({names}) {source.sql}", source.params
        )


def _sync(rollup: Any, source: Source, where: Q) -> bool:
    """Make the rollup rows matching `where` equal the source's, writing only differences.
    Returns whether anything was written."""
    fresh = {}
    with connection.cursor() as cursor:
        cursor.execute(source.sql, source.params)
        for values in cursor.fetchall():
            row = {c: _typed(rollup, c, v) for c, v in zip(source.columns, values, strict=True)}
            fresh[tuple(row[c] for c in source.columns[: source.keys])] = row
    key_columns = source.columns[: source.keys]
    stale, changed = [], []
    for obj in rollup.objects.filter(where):
        key = tuple(getattr(obj, c) for c in key_columns)
        wanted = fresh.pop(key, None)
        if wanted is None:
            stale.append(obj.pk)
        elif any(getattr(obj, c) != v for c, v in wanted.items()):
            for c, v in wanted.items():
                setattr(obj, c, v)
            changed.append(obj)
    value_columns = source.columns[source.keys :]
    rollup.objects.filter(pk__in=stale).delete()
    rollup.objects.bulk_update(changed, value_columns, batch_size=500)
    rollup.objects.bulk_create([rollup(**v) for v in fresh.values()], batch_size=500)
    return bool(stale or changed or fresh)


def _typed(model: type[models.Model], column: str, value: Any) -> Any:
    """A raw value as the model field holds it (SQLite returns floats and text dates)."""
    if value is None:
        return None
    found = model._meta.get_field(column.removesuffix("_id"))
    if isinstance(found, models.DecimalField):
        return Decimal(str(value)).quantize(Decimal(1).scaleb(-found.decimal_places))
    if isinstance(found, models.DateField):
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    return int(value) if isinstance(found, models.IntegerField | models.ForeignKey) else value


def _sql(queryset: Any) -> tuple[str, list[Any]]:
    sql, params = queryset.query.sql_with_params()
    return sql, list(params)


def _territory_source(model: Any, where: Q, by_category: bool) -> Source:
    keys = ["organisation_id", "month", "territory_id", "rep_id"]
    keys += ["category_id"] if by_category else []
    sums: dict[str, Any] = {"s_net": Sum("net_amount"), "s_qty": Sum("quantity")}
    sums["s_lines"] = Sum("lines")
    columns = [*keys, "net_amount", "quantity", "lines"]
    if not by_category:
        sums |= {"s_orders": Sum("orders"), "s_accounts": Count("account_id", distinct=True)}
        columns += ["orders", "accounts"]
    rows = model.objects.filter(where).order_by().values(*keys).annotate(**sums)
    return Source(*_sql(rows), columns, len(keys))


def _pivot(sql: str, keys: list[str], amounts: list[str], flag: str) -> str:
    """SQL: the rows of `sql` (keys, yr, mo and amounts), one per key and month, turned into
    one row per key and year with a column per amount and month and the bitmask of the months
    whose `flag` is above zero. The date functions run once per source row, not per column."""
    quote = connection.ops.quote_name
    group = ", ".join(quote(k) for k in [*keys, "yr"])
    columns = []
    for alias in amounts:
        columns += [f"SUM(CASE WHEN mo = {m} THEN {quote(alias)} ELSE 0 END)" for m in MONTHS]
    mask = " + ".join(
        f"MAX(CASE WHEN mo = {m} AND {quote(flag)} > 0 THEN {1 << (m - 1)} ELSE 0 END)"
        for m in MONTHS
    )
    return f"SELECT {group}, {', '.join(columns)}, {mask} FROM ({sql}) t GROUP BY {group}"


def _account_source(where: Q) -> Source:
    keys = ["organisation_id", "account_id", "territory_id", "rep_id"]
    inner = (
        MonthlySales.objects.filter(where).order_by()
        .annotate(yr=ExtractYear("month"), mo=ExtractMonth("month"))
        .values(*keys, "yr", "mo").annotate(s_net=Sum("net_amount"), s_orders=Sum("orders"))
    )  # fmt: skip
    sql, params = _sql(inner)
    outer = _pivot(sql, keys, ["s_net", "s_orders"], "s_orders")
    columns = [*keys, "year", *(net_column(m) for m in MONTHS)]
    columns += [*(orders_column(m) for m in MONTHS), "order_months"]
    return Source(outer, params, columns, len(keys) + 1)


def _visit_source(where: Q) -> Source:
    keys = ["organisation_id", "account_id", "user_id"]
    inner = (
        Interaction.objects.filter(where, kind=Interaction.Kind.VISIT).order_by()
        .annotate(yr=ExtractYear("occurred_at"), mo=ExtractMonth("occurred_at"))
        .values(*keys, "yr", "mo").annotate(s_visits=Count("id"))
    )  # fmt: skip
    sql, params = _sql(inner)
    outer = _pivot(sql, keys, ["s_visits"], "s_visits")
    columns = [*keys, "year", *(visits_column(m) for m in MONTHS), "visit_months"]
    return Source(outer, params, columns, len(keys) + 1)


def _marks_now() -> list[int]:
    """The last id of each source table (any organisation): cheap, by primary key."""
    return [
        model.objects.aggregate(m=Max("id"))["m"] or 0
        for model in (MonthlySales, OrderStatusChange, Interaction)
    ]


ROLLUPS = (TerritorySales, TerritoryCategorySales, AccountYear, AccountYearVisits)


@transaction.atomic
def rebuild(*, organisation_id: int) -> dict[str, int]:
    """Recompute every rollup of one organisation from its summaries and visits."""
    marks = _marks_now()
    org = Q(organisation_id=organisation_id)
    for rollup in ROLLUPS:
        rollup.objects.filter(org).delete()
    _insert(TerritorySales, _territory_source(MonthlySales, org, by_category=False))
    _insert(TerritoryCategorySales, _territory_source(MonthlyCategorySales, org, True))
    _insert(AccountYear, _account_source(org))
    _insert(AccountYearVisits, _visit_source(org))
    # A rebuild has read everything committed; it needs no look-back, so its mark is old.
    at = timezone.now()
    mark = [(at - LAG - dt.timedelta(seconds=1)).isoformat(), *marks]
    RollupState.objects.update_or_create(
        organisation_id=organisation_id,
        defaults={"marks": [mark], "built_at": at, "refreshed_at": at},
    )
    return {rollup._meta.model_name or "": rollup.objects.filter(org).count() for rollup in ROLLUPS}


@dataclass
class Dirty:
    """The cells to recompute: (month, territory id) and (account id, year) pairs."""

    territory_months: set[tuple[dt.date, int | None]] = field(default_factory=set)
    account_years: set[tuple[int, int]] = field(default_factory=set)
    visit_years: set[tuple[int, int]] = field(default_factory=set)
    rows_read: int = 0

    def add_sale(self, account_id: int, day: dt.date, territory_id: int | None) -> None:
        self.territory_months.add((day.replace(day=1), territory_id))
        self.account_years.add((account_id, day.year))


def _dirty_since(organisation_id: int, base: list[int], limit: int) -> Dirty | None:
    """What changed in the sources after the ids in `base`; None when more than `limit` rows."""
    dirty = Dirty()
    new_sales = MonthlySales.objects.filter(organisation_id=organisation_id, id__gt=base[0])
    steps = OrderStatusChange.objects.filter(order__organisation_id=organisation_id, id__gt=base[1])
    visits = Interaction.objects.filter(
        organisation_id=organisation_id, kind=Interaction.Kind.VISIT, id__gt=base[2]
    )
    sources: Iterable[tuple[Any, list[str]]] = (
        (new_sales, ["account_id", "month", "territory_id"]),
        (steps, ["order__account_id", "order__ordered_on", "order__territory_id"]),
    )
    for rows, names in sources:
        found = list(rows.order_by().values_list(*names).distinct()[: limit + 1])
        dirty.rows_read += len(found)
        for account_id, day, territory_id in found:
            dirty.add_sale(account_id, day, territory_id)
    found_visits = list(
        visits.order_by().values_list("account_id", "occurred_at__year").distinct()[: limit + 1]
    )
    dirty.rows_read += len(found_visits)
    dirty.visit_years = set(found_visits)
    return None if dirty.rows_read > limit else dirty


def _territory_months(pairs: set[tuple[dt.date, int | None]]) -> Q:
    by_month: dict[dt.date, set[int | None]] = {}
    for month, territory_id in pairs:
        by_month.setdefault(month, set()).add(territory_id)
    where = Q(pk__in=[])
    for month, ids in by_month.items():
        cell = Q(territory_id__in=sorted(i for i in ids if i is not None))
        if None in ids:
            cell |= Q(territory_id__isnull=True)
        where |= Q(month=month) & cell
    return where


def _account_years(pairs: Iterable[tuple[int, int]], date_field: str) -> tuple[Q, Q]:
    """(Q on the rollup's account and year, Q on the source's account and date)."""
    rollup, source = Q(pk__in=[]), Q(pk__in=[])
    by_year: dict[int, set[int]] = {}
    for account_id, year in pairs:
        by_year.setdefault(year, set()).add(account_id)
    for year, ids in by_year.items():
        rollup |= Q(year=year, account_id__in=sorted(ids))
        source |= Q(**{f"{date_field}__year": year}, account_id__in=sorted(ids))
    return rollup, source


def apply(organisation_id: int, dirty: Dirty) -> bool:
    """Make the named cells of one organisation's rollups match the sources again. Returns
    whether any rollup row changed."""
    org = Q(organisation_id=organisation_id)
    wrote = []
    if dirty.territory_months:
        where = org & _territory_months(dirty.territory_months)
        wrote.append(_sync(TerritorySales, _territory_source(MonthlySales, where, False), where))
        source = _territory_source(MonthlyCategorySales, where, True)
        wrote.append(_sync(TerritoryCategorySales, source, where))
    if dirty.account_years:
        rollup, where = _account_years(dirty.account_years, "month")
        wrote.append(_sync(AccountYear, _account_source(org & where), org & rollup))
    if dirty.visit_years:
        rollup, where = _account_years(dirty.visit_years, "occurred_at")
        wrote.append(_sync(AccountYearVisits, _visit_source(org & where), org & rollup))
    return any(wrote)


def _parse(mark: list[Any]) -> tuple[dt.datetime, list[int]]:
    return dt.datetime.fromisoformat(mark[0]), [int(v) for v in mark[1:]]


def _base(marks: list[list[Any]], now: dt.datetime) -> list[int]:
    """The ids seen by the newest refresh at least LAG ago (or by the oldest one kept)."""
    older = [ids for at, ids in map(_parse, marks) if at <= now - LAG]
    return older[-1] if older else _parse(marks[0])[1]


def _keep(marks: list[list[Any]], now: dt.datetime) -> list[list[Any]]:
    """The marks still needed: the newest older than LAG and every younger one."""
    times = [_parse(m)[0] for m in marks]
    old = [i for i, at in enumerate(times) if at <= now - LAG]
    start = old[-1] if old else 0
    return marks[start:]


def version(state: RollupState) -> str:
    """Changes whenever the organisation's rollups may have changed: a key for caching what
    is computed from them."""
    return f"{state.organisation_id}:{state.built_at.isoformat()}:{state.refreshed_at.isoformat()}"


def ensure_fresh(organisation_id: int) -> str:
    """Bring one organisation's rollups up to date with its sources (see the module's doc)
    and return their version. Writes nothing when nothing changed, so reading a page never
    changes the database."""
    current = _marks_now()
    now = timezone.now()
    state = RollupState.objects.filter(organisation_id=organisation_id).first()
    if state is not None and state.marks:
        last_at, last_ids = _parse(state.marks[-1])
        if last_ids == current and now - last_at > LAG:
            return version(state)
    with transaction.atomic():
        state = (
            RollupState.objects.select_for_update().filter(organisation_id=organisation_id).first()
        )
        if state is None or not state.marks:
            return _rebuilt(organisation_id)
        dirty = _dirty_since(organisation_id, _base(state.marks, now), FULL_REBUILD_ABOVE)
        if dirty is None:
            return _rebuilt(organisation_id)
        wrote = apply(organisation_id, dirty)
        moved = _parse(state.marks[-1])[1] != current
        if moved:
            state.marks = _keep([*state.marks, [now.isoformat(), *current]], now)
        if moved or wrote:
            state.refreshed_at = now
            state.save(update_fields=["marks", "refreshed_at"])
        return version(state)


def _rebuilt(organisation_id: int) -> str:
    rebuild(organisation_id=organisation_id)
    return version(RollupState.objects.get(organisation_id=organisation_id))
