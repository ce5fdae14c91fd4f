"""Visits behind the performance figures: visit coverage of a group of territories (its active
accounts now, how many were visited), visits by person and by account, and the visits the
coverage plans asked for. Over the rollups AccountActivity and AccountYearVisits."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Sum

from rumbo.reports.models import AccountActivity, AccountYearVisits, visits_column
from rumbo.reports.periods import Period
from rumbo.reports.sql import bought, fetch, groups_cte, in_list, quote, year_sum, years_of


@dataclass(frozen=True)
class VisitCounts:
    accounts: int  # active accounts of the group now
    visited: int  # of those, visited at least once in the period
    visits: int  # visits to them in the period
    planned: float | None = None  # visits their coverage plans asked for (None: not segmented)

    def with_plan(self, planned: float | None) -> VisitCounts:
        return replace(self, planned=planned)


def planned_visits(
    organisation_id: int, period: Period, groups: Mapping[Any, Iterable[int]], by: str
) -> dict[Any, float]:
    """Visits the coverage plans asked for in the period's segmented months, per group of
    territories (`by="territory"`) or per rep id among the groups' territories (`by="rep"`)."""
    from rumbo.coverage.models import AccountSegment

    of_territory = {t: key for key, ids in groups.items() for t in ids}
    rows = (
        AccountSegment.objects.filter(
            organisation_id=organisation_id,
            month__in=period.months,
            territory_id__in=list(of_territory),
        )
        .order_by()
        .values_list("territory_id" if by == "territory" else "rep_id")
        .annotate(p=Sum("visits_planned"))
    )
    found: dict[Any, float] = defaultdict(float)
    for key, planned in rows:
        found[of_territory[key] if by == "territory" else key] += planned or 0.0
    return dict(found)


def visit_counts(
    organisation_id: int,
    period: Period,
    groups: Mapping[Any, Iterable[int]],
    user_id: int | None = None,
) -> dict[Any, VisitCounts]:
    """Per group of territories: the active accounts there now, how many were visited in the
    period (by `user_id` only, when given) and how many visits they had. Visits by anyone in
    one calendar year are read from AccountActivity (one row per account)."""
    from rumbo.customers.models import Account

    years = years_of([period])
    if user_id is not None or len(years) != 1:
        return _visit_counts(organisation_id, period, groups, user_id)
    params: list[Any] = [organisation_id, years[0], organisation_id, Account.Status.ACTIVE]
    group_of = {t: key for key, ids in groups.items() for t in ids if t is not None}
    mask = sum(1 << (m.month - 1) for m in period.months)
    visits = " + ".join(f"x.{quote(visits_column(m.month))}" for m in period.months)
    territories = in_list("c.territory_id", group_of, params)
    sql = (
        "SELECT c.territory_id, COUNT(*), "
        f"SUM(CASE WHEN (x.visit_months & {mask}) <> 0 THEN 1 ELSE 0 END), "
        f"SUM(COALESCE({visits}, 0)) FROM {quote(Account._meta.db_table)} c "
        f"LEFT JOIN {quote(AccountActivity._meta.db_table)} x ON x.account_id = c.id "
        "AND x.organisation_id = %s AND x.year = %s "
        f"WHERE c.organisation_id = %s AND c.status = %s AND {territories} "
        "GROUP BY c.territory_id"
    )
    found: dict[Any, list[int]] = {}
    for territory_id, n, seen, total in fetch(sql, params):
        sums = found.setdefault(group_of[territory_id], [0, 0, 0])
        for i, value in enumerate((n, seen, total)):
            sums[i] += int(value or 0)
    return {key: VisitCounts(*sums) for key, sums in found.items()}


def _visit_counts(
    organisation_id: int,
    period: Period,
    groups: Mapping[Any, Iterable[int]],
    user_id: int | None = None,
) -> dict[Any, VisitCounts]:
    """visit_counts from AccountYearVisits."""
    from rumbo.customers.models import Account

    params: list[Any] = []
    cte = groups_cte(groups, params)
    visits = year_sum(period, visits_column, "v", params)
    visited = bought(period, "v.visit_months", params).replace("a.year", "v.year")
    join = [in_list("v.year", years_of([period]), params)]
    if user_id is not None:
        join.append("v.user_id = %s")
        params.append(user_id)
    params += [organisation_id, Account.Status.ACTIVE]
    account_table = quote(Account._meta.db_table)
    visit_table = quote(AccountYearVisits._meta.db_table)
    inner = (
        f"SELECT g.grp AS grp, c.id AS account_id, SUM(COALESCE({visits}, 0)) AS n, "
        f"MAX(COALESCE({visited}, 0)) AS seen "
        f"FROM {account_table} c JOIN g ON g.id = c.territory_id "
        f"LEFT JOIN {visit_table} v ON v.account_id = c.id AND {' AND '.join(join)} "
        "WHERE c.organisation_id = %s AND c.status = %s GROUP BY g.grp, c.id"
    )
    sql = f"WITH {cte} SELECT grp, COUNT(*), SUM(seen), SUM(n) FROM ({inner}) t GROUP BY grp"
    keys = list(groups)
    return {
        keys[g]: VisitCounts(int(n or 0), int(seen or 0), int(total or 0))
        for g, n, seen, total in fetch(sql, params)
    }


def visits_by_user(
    organisation_id: int, period: Period, territory_ids: Iterable[int], user_ids: Iterable[int]
) -> dict[int, tuple[int, int]]:
    """User id → (accounts of these territories they visited in the period, their visits)."""
    from rumbo.customers.models import Account

    params: list[Any] = []
    visits = year_sum(period, visits_column, "v", params)
    clauses = ["c.organisation_id = %s", "c.status = %s"]
    params += [organisation_id, Account.Status.ACTIVE]
    clauses.append(in_list("c.territory_id", territory_ids, params))
    clauses.append(in_list("v.year", years_of([period]), params))
    clauses.append(in_list("v.user_id", user_ids, params))
    sql = (
        f"SELECT user_id, SUM(CASE WHEN n > 0 THEN 1 ELSE 0 END), SUM(n) FROM ("
        f"SELECT v.user_id AS user_id, v.account_id, SUM({visits}) AS n "
        f"FROM {quote(AccountYearVisits._meta.db_table)} v "
        f"JOIN {quote(Account._meta.db_table)} c ON c.id = v.account_id "
        f"WHERE {' AND '.join(clauses)} GROUP BY v.user_id, v.account_id) t GROUP BY user_id"
    )
    return {u: (int(seen or 0), int(n or 0)) for u, seen, n in fetch(sql, params)}


def visits_by_account(
    organisation_id: int,
    periods: dict[str, Period],
    account_ids: Iterable[int],
    user_id: int | None = None,
) -> dict[int, dict[str, int]]:
    """Account id → visits in each named period (by `user_id` only, when given)."""
    params: list[Any] = []
    columns = [f"SUM({year_sum(p, visits_column, 'v', params)})" for p in periods.values()]
    clauses = ["v.organisation_id = %s"]
    params.append(organisation_id)
    clauses.append(in_list("v.account_id", account_ids, params))
    clauses.append(in_list("v.year", years_of(periods.values()), params))
    if user_id is not None:
        clauses.append("v.user_id = %s")
        params.append(user_id)
    sql = (
        f"SELECT v.account_id, {', '.join(columns)} "
        f"FROM {quote(AccountYearVisits._meta.db_table)} v "
        f"WHERE {' AND '.join(clauses)} GROUP BY v.account_id"
    )
    names = list(periods)
    return {
        row[0]: {n: int(v or 0) for n, v in zip(names, row[1:], strict=True)}
        for row in fetch(sql, params)
    }
