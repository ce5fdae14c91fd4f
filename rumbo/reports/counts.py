"""Accounts that bought, were won and were lost, per group of territories or reps and for all
of them together, over the report rollups AccountActivity and AccountYear."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from rumbo.reports.models import AccountActivity, AccountYear
from rumbo.reports.periods import Period
from rumbo.reports.sql import (
    Slice,
    bought,
    fetch,
    groups_cte,
    in_list,
    month_mask,
    quote,
    years_of,
)


@dataclass
class AccountCounts:
    """Accounts of a group that bought in each period, and those won and lost (against the
    same period last year)."""

    active: dict[str, int]
    won: int = 0
    lost: int = 0


TOTAL = "__total__"
Groups = Mapping[Any, Iterable[int | None]]  # key → territory ids (None: no territory) or reps


def account_counts(
    where: Slice,
    periods: dict[str, Period],
    group_by: str,
    groups: Groups,
) -> dict[Any, AccountCounts]:
    """Per group and for all the groups together (key TOTAL): distinct accounts with orders in
    each named period ("now", "last_year", ...), won (bought now, not last year) and lost
    (bought last year, not now). Groups without sales in the periods' years are left out.

    `group_by` is "territory" (groups map a key to territory ids, None for sales credited to
    no territory) or "rep" (to rep ids). By territory, for months of one calendar year against
    the year before, one pass over AccountActivity (one row per account) counts them, and the
    few accounts whose sales went to several territories are counted from AccountYear."""
    year = _calendar_year(periods)
    whole = where.rep_id is None and where.account_id is None
    if group_by != "territory" or year is None or not whole:
        return _account_counts(where, periods, group_by, groups)
    result = _activity_counts(where.organisation_id, year, periods, groups)
    mixed = list(
        AccountActivity.objects.filter(
            organisation_id=where.organisation_id, year=year, mixed=True
        ).values_list("account_id", flat=True)
    )
    if mixed:
        found = _account_counts(where, periods, group_by, groups, only=mixed)
        for key, counts in found.items():
            result[key] = _plus(result.get(key), counts)
    return result


def _calendar_year(periods: dict[str, Period]) -> int | None:
    """The year of "now" when it lies in one calendar year, "last_year" in the year before
    and every other period in one of the two; else None."""
    if "now" not in periods or "last_year" not in periods:
        return None
    year = periods["now"].first.year
    spans = {name: {m.year for m in p.months} for name, p in periods.items()}
    if spans["now"] != {year} or spans["last_year"] != {year - 1}:
        return None
    return year if all(len(s) == 1 and s <= {year, year - 1} for s in spans.values()) else None


def _activity_counts(
    organisation_id: int,
    year: int,
    periods: dict[str, Period],
    groups: Groups,
) -> dict[Any, AccountCounts]:
    """account_counts of the accounts whose sales of the year and the year before each went
    to one territory: sums by (territory of the year, territory of the year before), a few
    hundred rows, combined here into the groups."""
    names = list(periods)
    this_year = [periods[n].first.year == year for n in names]
    sums = []
    for name, same in zip(names, this_year, strict=True):
        column = "x.order_months" if same else "x.prev_order_months"
        sums.append(
            f"SUM(CASE WHEN ({column} & {month_mask(periods[name])}) <> 0 THEN 1 ELSE 0 END)"
        )
    now, before = month_mask(periods["now"]), month_mask(periods["last_year"])
    sums.append(
        f"SUM(CASE WHEN (x.order_months & {now}) <> 0 AND (x.prev_order_months & {before}) <> 0 "
        "THEN 1 ELSE 0 END)"
    )
    # No territory is 0, as in the groups; no sales in the year is NULL.
    here = "CASE WHEN x.has_sales THEN COALESCE(x.territory_id, 0) END"
    there = "CASE WHEN x.had_sales THEN COALESCE(x.prev_territory_id, 0) END"
    sql = (
        f"SELECT {here}, {there}, {', '.join(sums)} "
        f"FROM {quote(AccountActivity._meta.db_table)} x "
        "WHERE x.organisation_id = %s AND x.year = %s AND NOT x.mixed "
        f"GROUP BY {here}, {there}"
    )
    keys = list(groups)
    group_of = {i or 0: keys[index] for index, ids in enumerate(groups.values()) for i in ids}
    found: dict[Any, AccountCounts] = {TOTAL: AccountCounts(dict.fromkeys(names, 0))}
    both: dict[Any, int] = defaultdict(int)
    for t1, t2, *counts in fetch(sql, [organisation_id, year]):
        g1, g2 = group_of.get(t1), group_of.get(t2)  # None: in no group (or no sales)
        *active, paired = (int(c or 0) for c in counts)
        # A period of the year counts where the account's sales of the year went; a period
        # of the year before, where those went. The total counts both once.
        for side, group in ((True, g1), (False, g2)):
            for key in [group, TOTAL] if group is not None else []:
                counts_of = found.setdefault(key, AccountCounts(dict.fromkeys(names, 0)))
                for name, same, n in zip(names, this_year, active, strict=True):
                    counts_of.active[name] += n if same == side else 0
        if g1 is not None and g2 is not None:
            both[TOTAL] += paired
            if g1 == g2:
                both[g1] += paired
    for key, counts_of in found.items():
        counts_of.won = counts_of.active["now"] - both[key]
        counts_of.lost = counts_of.active["last_year"] - both[key]
    return found


def _plus(a: AccountCounts | None, b: AccountCounts) -> AccountCounts:
    if a is None:
        return b
    active = {n: a.active.get(n, 0) + b.active.get(n, 0) for n in a.active | b.active}
    return AccountCounts(active, a.won + b.won, a.lost + b.lost)


def _account_counts(
    where: Slice,
    periods: dict[str, Period],
    group_by: str,
    groups: Groups,
    only: list[int] | None = None,
) -> dict[Any, AccountCounts]:
    """account_counts from AccountYear (of the accounts `only`, when given)."""
    params: list[Any] = []
    cte = groups_cte(groups, params)
    column = {"territory": "a.territory_id", "rep": "a.rep_id"}[group_by]
    names = list(periods)
    flags = [f"MAX({bought(p, 'a.order_months', params)}) AS f_{n}" for n, p in periods.items()]
    if group_by == "territory":  # the groups' join already keeps only their territories
        where = replace(where, territory_ids=None, credited=False)
    clauses, where_params = where.where("a")
    clauses.append(in_list("a.year", years_of(periods.values()), where_params))
    if only is not None:
        clauses.append(in_list("a.account_id", only, where_params))
    sums = ", ".join(f"SUM(f_{n})" for n in names)
    counts = (
        f"{sums}, SUM(CASE WHEN f_now = 1 AND f_last_year = 0 THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN f_now = 0 AND f_last_year = 1 THEN 1 ELSE 0 END)"
    )
    per_account = ", ".join(f"MAX(f_{n}) AS f_{n}" for n in names)
    sql = (
        f"WITH {cte}, t AS (SELECT g.grp AS grp, a.account_id AS account_id, {', '.join(flags)} "
        f"FROM {quote(AccountYear._meta.db_table)} a JOIN g ON g.id = COALESCE({column}, 0) "
        f"WHERE {' AND '.join(clauses)} GROUP BY g.grp, a.account_id) "
        f"SELECT grp, {counts} FROM t GROUP BY grp UNION ALL "
        f"SELECT -2, {counts} FROM (SELECT account_id, {per_account} FROM t GROUP BY account_id) u"
    )
    keys = list(groups)
    result: dict[Any, AccountCounts] = {}
    for row in fetch(sql, params + where_params):
        active = {n: int(v or 0) for n, v in zip(names, row[1 : 1 + len(names)], strict=True)}
        key = TOTAL if row[0] == -2 else keys[row[0]]
        result[key] = AccountCounts(active, int(row[-2] or 0), int(row[-1] or 0))
    return result
