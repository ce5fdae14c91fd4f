"""Reads of the quota pages: the plans a user may see, the parts of the tree they may plan,
figures to start from, and a plan's lines as rows of a table."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.http import Http404

from rumbo.core.models import Role, User
from rumbo.orders.models import MonthlySales
from rumbo.quotas import adapters
from rumbo.quotas.models import QuotaLine, QuotaPlan, QuotaPlanQuerySet
from rumbo.quotas.services import given_total, may_plan
from rumbo.targets.models import Measure
from rumbo.territories.models import Territory


def plans_for(user: User) -> QuotaPlanQuerySet:
    return QuotaPlan.objects.visible_to(user).select_related("root", "created_by", "published_by")


def plan_for(user: User, pk: int) -> QuotaPlan:
    found = plans_for(user).select_related("distribution", "run").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def roots_for(user: User) -> list[Territory]:
    """The parts of the tree the user may plan: active territories with something below."""
    if user.role not in (Role.ADMIN, Role.MANAGER) or not user.sees_amounts:
        return []
    visible = list(Territory.objects.visible_to(user).filter(is_active=True).order_by("path"))
    parents = {t.parent_id for t in visible}
    return [t for t in visible if t.pk in parents and may_plan(user, t)]


@dataclass
class Start:
    """Figures to start a plan from: last year's sales and the forecast for the year."""

    last_year: Decimal | None
    forecast: Decimal | None
    given: Decimal | None


def starting_figures(user: User, root: Territory, year: int, measure: str) -> Start:
    field = "net_amount" if measure == Measure.AMOUNT else "quantity"
    sold = MonthlySales.objects.filter(
        organisation_id=root.organisation_id, month__year=year - 1,
        territory__path__startswith=root.path,
    ).aggregate(v=Sum(field))["v"]  # fmt: skip
    run = adapters.latest_run(root.organisation_id)
    by_territory = adapters.year_forecast(run, measure, year, or_horizon=False)
    subtree = set(Territory.objects.subtree_of(root).values_list("pk", flat=True))
    inside = [v for pk, v in by_territory.items() if pk in subtree]
    forecast = Decimal(str(round(sum(inside), 2))) if inside else None
    return Start(
        last_year=Decimal(sold).quantize(Decimal("0.01")) if sold is not None else None,
        forecast=forecast,
        given=given_total(user, root, year, measure),
    )


@dataclass
class Row:
    line: QuotaLine
    editable: bool
    family: int  # how many siblings, the line included
    shares: list[float | None]  # the line's share of its parent under each method


def rows_of(plan: QuotaPlan, lines: list[QuotaLine], user: User) -> list[Row]:
    """The plan's lines as table rows: which may be set by hand (not the root, not an only
    child: it must equal its parent) and each line's share under each method."""
    families: dict[int | None, list[QuotaLine]] = defaultdict(list)
    for line in lines:
        families[line.parent_id].append(line)
    editable = plan.is_draft and may_plan(user, plan.root)
    rows = []
    for line in lines:
        family = families[line.parent_id]
        totals = [sum(s.basis[k] for s in family) for k in range(len(line.basis))]
        shares = [b / t if t > 0 else None for b, t in zip(line.basis, totals, strict=True)]
        rows.append(
            Row(
                line=line,
                editable=editable and line.parent_id is not None and len(family) > 1,
                family=len(family),
                shares=shares if line.parent_id is not None else [None] * len(line.basis),
            )
        )
    return rows


def consistent(lines: list[QuotaLine]) -> bool:
    """Whether every parent equals the sum of its children, for the year and each month."""
    children: dict[int, list[QuotaLine]] = defaultdict(list)
    for line in lines:
        if line.parent_id is not None:
            children[line.parent_id].append(line)
    for line in lines:
        below = children.get(line.pk)
        if not below:
            continue
        if sum((c.value for c in below), Decimal(0)) != line.value:
            return False
        for m in range(12):
            if sum((c.month_values[m] for c in below), Decimal(0)) != line.month_values[m]:
                return False
    return True
