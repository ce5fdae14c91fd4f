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

`AccountActivity` and `CategorySales` are folded from the other rollups (AccountYear and
AccountYearVisits; TerritoryCategorySales), so they are recomputed after those, for the
accounts and months that changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone

from rumbo.customers.models import Alignment
from rumbo.interactions.models import Interaction
from rumbo.orders.models import MonthlyCategorySales, MonthlySales, OrderStatusChange
from rumbo.reports import sources
from rumbo.reports.models import (
    MONTHS,
    AccountActivity,
    AccountYear,
    AccountYearVisits,
    CategorySales,
    RollupState,
    TerritoryCategorySales,
    TerritoryCategoryYear,
    TerritorySales,
    visits_column,
)
from rumbo.reports.sources import Source

LAG = dt.timedelta(minutes=15)
FULL_REBUILD_ABOVE = 100_000  # source rows to re-read beyond which a rebuild is cheaper


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


def _sync(rollup: Any, source: Source, where: Q) -> set[str]:
    """Make the rollup rows matching `where` equal the source's, writing only differences.
    Returns the columns that changed (of a row added or removed, those not empty)."""
    fresh = {}
    with connection.cursor() as cursor:
        cursor.execute(source.sql, source.params)
        for values in cursor.fetchall():
            row = {c: _typed(rollup, c, v) for c, v in zip(source.columns, values, strict=True)}
            fresh[tuple(row[c] for c in source.columns[: source.keys])] = row
    key_columns = source.columns[: source.keys]
    value_columns = source.columns[source.keys :]
    stale, changed, updated = [], [], set()
    columns = set()
    for obj in rollup.objects.filter(where):
        key = tuple(getattr(obj, c) for c in key_columns)
        wanted = fresh.pop(key, None)
        if wanted is None:
            stale.append(obj.pk)
            columns |= {c for c in value_columns if getattr(obj, c)}
            continue
        differ = {c for c, v in wanted.items() if getattr(obj, c) != v}
        if differ:
            for c in differ:
                setattr(obj, c, wanted[c])
            changed.append(obj)
            updated |= differ
    for row in fresh.values():
        columns |= {c for c in value_columns if row[c]}
    rollup.objects.filter(pk__in=stale).delete()
    if changed:  # only the columns that changed: an order changes a month's, not fifty
        rollup.objects.bulk_update(changed, sorted(updated), batch_size=500)
    rollup.objects.bulk_create([rollup(**v) for v in fresh.values()], batch_size=500)
    return columns | updated if stale or changed or fresh else set()


def _typed(model: type[models.Model], column: str, value: Any) -> Any:
    """A raw value as the model field holds it (SQLite returns floats and text dates)."""
    if value is None:
        return None
    found = model._meta.get_field(column.removesuffix("_id"))
    if isinstance(found, models.BooleanField):
        return bool(value)
    if isinstance(found, models.DecimalField):
        return Decimal(str(value)).quantize(Decimal(1).scaleb(-found.decimal_places))
    if isinstance(found, models.DateField):
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    return int(value) if isinstance(found, models.IntegerField | models.ForeignKey) else value


def _marks_now() -> tuple[list[int], int]:
    """The last id of each source table (any organisation), and of the accounts' territory
    history: cheap, by primary key, in one statement."""
    tables = [model._meta.db_table for model in (MonthlySales, OrderStatusChange, Interaction)]
    tables.append(Alignment._meta.db_table)
    quote = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT MAX(id) FROM {quote(t)})" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        *marks, moves = (int(v or 0) for v in cursor.fetchone())
    return marks, moves


ROLLUPS = (
    TerritorySales, TerritoryCategorySales, AccountYear, AccountYearVisits, AccountActivity,
    CategorySales, TerritoryCategoryYear,
)  # fmt: skip


@transaction.atomic
def rebuild(*, organisation_id: int) -> dict[str, int]:
    """Recompute every rollup of one organisation from its summaries and visits."""
    marks, _moves = _marks_now()
    org = Q(organisation_id=organisation_id)
    for rollup in ROLLUPS:
        rollup.objects.filter(org).delete()
    _insert(TerritorySales, sources.territory_source(MonthlySales, org, by_category=False))
    _insert(TerritoryCategorySales, sources.territory_source(MonthlyCategorySales, org, True))
    _insert(AccountYear, sources.account_source(org))
    _insert(AccountYearVisits, sources.visit_source(org))
    _insert(AccountActivity, sources.activity_source(organisation_id))  # from the two above
    _insert(CategorySales, sources.category_source(organisation_id))
    _insert(TerritoryCategoryYear, sources.category_year_source(org))
    # A rebuild has read everything committed; it needs no look-back, so its mark is old.
    at = timezone.now()
    mark = [(at - LAG - dt.timedelta(seconds=1)).isoformat(), *marks]
    RollupState.objects.update_or_create(
        organisation_id=organisation_id,
        defaults={
            "marks": [mark], "built_at": at, "refreshed_at": at, "sales_changed_at": at,
            "visits_changed_at": at,
        },
    )  # fmt: skip
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


def _territory_years(pairs: set[tuple[int, int | None]]) -> tuple[Q, Q]:
    """(Q on a rollup's territory and year, Q on a source's territory and month)."""
    by_year: dict[int, set[int | None]] = {}
    for year, territory_id in pairs:
        by_year.setdefault(year, set()).add(territory_id)
    rollup, source = Q(pk__in=[]), Q(pk__in=[])
    for year, ids in by_year.items():
        cell = Q(territory_id__in=sorted(i for i in ids if i is not None))
        if None in ids:
            cell |= Q(territory_id__isnull=True)
        rollup |= Q(year=year) & cell
        source |= Q(month__year=year) & cell
    return rollup, source


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


def apply(organisation_id: int, dirty: Dirty) -> tuple[bool, bool]:
    """Make the named cells of one organisation's rollups match the sources again. Returns
    whether any sales rollup row changed, and any visit rollup row (AccountActivity holds
    both, told apart by its columns)."""
    org = Q(organisation_id=organisation_id)
    sales: list[set[str]] = []  # the columns each sync changed
    visits: list[set[str]] = []
    if dirty.territory_months:
        where = org & _territory_months(dirty.territory_months)
        sales.append(
            _sync(TerritorySales, sources.territory_source(MonthlySales, where, False), where)
        )
        source = sources.territory_source(MonthlyCategorySales, where, True)
        sales.append(_sync(TerritoryCategorySales, source, where))
        months = sorted({month for month, _territory in dirty.territory_months})
        source = sources.category_source(organisation_id, months)
        sales.append(_sync(CategorySales, source, org & Q(month__in=months)))
        years = {(month.year, territory) for month, territory in dirty.territory_months}
        rollup, where = _territory_years(years)
        source = sources.category_year_source(org & where)
        sales.append(_sync(TerritoryCategoryYear, source, org & rollup))
    if dirty.account_years:
        rollup, where = _account_years(dirty.account_years, "month")
        sales.append(_sync(AccountYear, sources.account_source(org & where), org & rollup))
    if dirty.visit_years:
        rollup, where = _account_years(dirty.visit_years, "occurred_at")
        visits.append(_sync(AccountYearVisits, sources.visit_source(org & where), org & rollup))
    accounts = sorted({a for a, _year in dirty.account_years | dirty.visit_years})
    if accounts:  # every year of these accounts: a year's row also reads the year before
        source = sources.activity_source(organisation_id, accounts)
        changed = _sync(AccountActivity, source, org & Q(account_id__in=accounts))
        visits.append(changed & VISIT_COLUMNS)
        sales.append(changed - VISIT_COLUMNS)
    return any(sales), any(visits)


VISIT_COLUMNS = {"visit_months", *(visits_column(m) for m in MONTHS)}  # of AccountActivity


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


@dataclass(frozen=True)
class Versions:
    """Keys for caching what is computed from an organisation's rollups: `sales` changes
    whenever its sales rollups may have changed, `visits` whenever its visit rollups may have
    or an account moved territory."""

    sales: str
    visits: str


def versions(state: RollupState, moves: int) -> Versions:
    base = f"{state.organisation_id}:{state.built_at.isoformat()}"
    return Versions(
        f"{base}:{state.sales_changed_at.isoformat()}",
        f"{base}:{state.visits_changed_at.isoformat()}:{moves}",
    )


def ensure_fresh(organisation_id: int) -> Versions:
    """Bring one organisation's rollups up to date with its sources (see the module's doc)
    and return their versions. Writes nothing when nothing changed, so reading a page never
    changes the database."""
    current, moves = _marks_now()
    now = timezone.now()
    state = RollupState.objects.filter(organisation_id=organisation_id).first()
    if state is not None and state.marks:
        last_at, last_ids = _parse(state.marks[-1])
        if last_ids == current and now - last_at > LAG:
            return versions(state, moves)
    with transaction.atomic():
        state = (
            RollupState.objects.select_for_update().filter(organisation_id=organisation_id).first()
        )
        if state is None or not state.marks:
            return _rebuilt(organisation_id, moves)
        dirty = _dirty_since(organisation_id, _base(state.marks, now), FULL_REBUILD_ABOVE)
        if dirty is None:
            return _rebuilt(organisation_id, moves)
        sales, visits = apply(organisation_id, dirty)
        moved = _parse(state.marks[-1])[1] != current
        if moved:
            state.marks = _keep([*state.marks, [now.isoformat(), *current]], now)
        if sales:
            state.sales_changed_at = now
        if visits:
            state.visits_changed_at = now
        if moved or sales or visits:
            state.refreshed_at = now
            state.save(
                update_fields=["marks", "refreshed_at", "sales_changed_at", "visits_changed_at"]
            )
        return versions(state, moves)


def _rebuilt(organisation_id: int, moves: int) -> Versions:
    rebuild(organisation_id=organisation_id)
    return versions(RollupState.objects.get(organisation_id=organisation_id), moves)
