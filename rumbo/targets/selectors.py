"""Reading targets: the effective target of every territory (its own, or the sum of its
children's), the editable grid of a territory and its reps, and category trees.

A territory's target for a month is the one set for it explicitly; without one, the sum of its
children's effective targets; without either, none. Each value says which it is.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from rumbo.catalog.models import Category
from rumbo.core.models import Role, User
from rumbo.targets.models import Target
from rumbo.territories.models import Assignment, AssignmentRole, Territory
from rumbo.territories.scoping import scope_for

EXPLICIT = "explicit"
ROLLED_UP = "rolled_up"
MIXED = "mixed"


@dataclass(frozen=True)
class Value:
    """A target and where it comes from: set for the owner, or summed from the children."""

    amount: Decimal
    explicit: bool


def category_parents(organisation_id: int) -> dict[int, int | None]:
    return dict(
        Category.objects.filter(organisation_id=organisation_id).values_list("pk", "parent_id")
    )


def category_roots(parents: dict[int, int | None]) -> dict[int, int]:
    """Each category's top-level ancestor (itself when it has no parent)."""
    roots: dict[int, int] = {}
    for pk in parents:
        node, seen = pk, set()
        while parents.get(node) is not None and node not in seen:
            seen.add(node)
            node = parents[node]  # type: ignore[assignment]
        roots[pk] = node
    return roots


def category_descendants(category_id: int, parents: dict[int, int | None]) -> set[int]:
    """The category and every category below it."""
    below = {category_id}
    grew = True
    while grew:
        more = {pk for pk, parent in parents.items() if parent in below} - below
        below |= more
        grew = bool(more)
    return below


def explicit_targets(
    territory_ids: Iterable[int] = (),
    rep_ids: Iterable[int] = (),
    *,
    months: list[dt.date],
    measure: str,
    category_id: int | None = None,
) -> dict[tuple[str, int], dict[dt.date, Decimal]]:
    """(("territory"|"rep"), id) → month → the target set for it, in one query."""
    owners = Q(territory_id__in=list(territory_ids)) | Q(rep_id__in=list(rep_ids))
    category = Q(category__isnull=True) if category_id is None else Q(category_id=category_id)
    rows = Target.objects.filter(owners, category, month__in=months, measure=measure).values_list(
        "territory_id", "rep_id", "month", "value"
    )
    found: dict[tuple[str, int], dict[dt.date, Decimal]] = defaultdict(dict)
    for territory_id, rep_id, month, value in rows:
        key = ("territory", territory_id) if territory_id else ("rep", rep_id)
        found[key][month] = value
    return found


def rolled_up(
    territories: list[Territory], explicit: dict[tuple[str, int], dict[dt.date, Decimal]]
) -> dict[int, dict[dt.date, Value]]:
    """Territory id → month → effective target, for a subtree given whole (every territory
    below any one given is given too)."""
    result: dict[int, dict[dt.date, Value]] = {}
    children: dict[int, list[int]] = defaultdict(list)
    for t in territories:
        if t.parent_id is not None:
            children[t.parent_id].append(t.pk)
    for t in sorted(territories, key=lambda t: -t.depth):
        own = explicit.get(("territory", t.pk), {})
        summed: dict[dt.date, Decimal] = defaultdict(Decimal)
        for child in children.get(t.pk, []):
            for month, value in result.get(child, {}).items():
                summed[month] += value.amount
        values = {m: Value(v, explicit=False) for m, v in summed.items()}
        values.update({m: Value(v, explicit=True) for m, v in own.items()})
        result[t.pk] = values
    return result


def period_target(
    values: dict[dt.date, Value], months: list[dt.date]
) -> tuple[Decimal | None, str]:
    """The target over some months and where it comes from (explicit, rolled_up or mixed)."""
    found = [values[m] for m in months if m in values]
    if not found:
        return None, ""
    kinds = {v.explicit for v in found}
    source = MIXED if len(kinds) > 1 else (EXPLICIT if True in kinds else ROLLED_UP)
    return sum((v.amount for v in found), Decimal(0)), source


def territory_targets(
    territories: list[Territory], months: list[dt.date], measure: str, category_id: int | None
) -> dict[int, dict[dt.date, Value]]:
    """Effective targets of a whole subtree over some months."""
    explicit = explicit_targets(
        [t.pk for t in territories], months=months, measure=measure, category_id=category_id
    )
    return rolled_up(territories, explicit)


# ----- who may change which targets ------------------------------------------------------------


def managed_roots(user: User) -> set[int]:
    """The territories a manager is assigned to manage (their own targets are set above)."""
    return set(
        Assignment.objects.active_on()
        .filter(user=user, role=AssignmentRole.MANAGER)
        .values_list("territory_id", flat=True)
    )


def may_edit_territory(user: User, territory: Territory, roots: set[int]) -> bool:
    """Admins set any target; managers those below the territories they manage."""
    if user.role == Role.ADMIN:
        return True
    if user.role != Role.MANAGER:
        return False
    ids = scope_for(user).territory_ids
    return territory.pk not in roots and (ids is None or territory.pk in ids)


def may_edit_rep(user: User, rep: User) -> bool:
    if user.role == Role.ADMIN:
        return rep.organisation_id == user.organisation_id
    if user.role != Role.MANAGER or rep.pk == user.pk:
        return False
    ids = scope_for(user).user_ids
    return ids is None or rep.pk in ids


# ----- the grid ------------------------------------------------------------------------------


@dataclass
class GridRow:
    """One owner's twelve months: (effective value, explicit?) per month, and whether the
    user may change them."""

    key: str  # "territory-<id>" or "rep-<id>", the prefix of the form fields
    label: str
    territory: Territory | None
    rep: User | None
    cells: list[tuple[dt.date, Value | None]]
    editable: bool
    depth: int = 0
    children_sum: list[Decimal | None] = field(default_factory=list)

    @property
    def total(self) -> Decimal | None:
        values = [v.amount for _, v in self.cells if v is not None]
        return sum(values, Decimal(0)) if values else None

    @property
    def explicit_months(self) -> int:
        return sum(1 for _, v in self.cells if v is not None and v.explicit)


def reps_of(territories: list[Territory], on: dt.date) -> list[User]:
    """The reps assigned (as reps) to any of these territories on a day, by name."""
    rows = (
        Assignment.objects.active_on(on)
        .filter(territory__in=territories, role=AssignmentRole.REP)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user_id")
    )
    seen: dict[int, User] = {}
    for a in rows:
        seen.setdefault(a.user_id, a.user)
    return list(seen.values())


@dataclass
class Grid:
    territory: Territory
    year: int
    months: list[dt.date]
    measure: str
    category: Category | None
    rows: list[GridRow]
    children_total: list[Decimal | None]
    breadcrumbs: list[Territory]

    @property
    def editable(self) -> bool:
        return any(r.editable for r in self.rows)


def people_of(territory: Territory, on: dt.date) -> list[User]:
    """Everyone assigned to the territory itself on a day (reps first), by name."""
    rows = (
        Assignment.objects.active_on(on)
        .filter(territory=territory)
        .select_related("user")
        .order_by("-role", "user__first_name", "user__last_name", "user_id")
    )
    seen: dict[int, User] = {}
    for a in rows:
        seen.setdefault(a.user_id, a.user)
    return list(seen.values())


def target_grid(
    user: User, territory: Territory, year: int, measure: str, category: Category | None
) -> Grid:
    """The territory, its children and the people assigned to it, month by month."""
    months = [dt.date(year, m, 1) for m in range(1, 13)]
    visible = Territory.objects.visible_to(user)
    subtree = list(visible.filter(path__startswith=territory.path))
    people = [p for p in people_of(territory, dt.date(year, 12, 31)) if _may_read_rep(user, p)]
    category_id = category.pk if category else None
    explicit = explicit_targets(
        [t.pk for t in subtree], [p.pk for p in people], months=months, measure=measure,
        category_id=category_id,
    )  # fmt: skip
    effective = rolled_up(subtree, explicit)
    roots = managed_roots(user) if user.role == Role.MANAGER else set()
    children = sorted(
        (t for t in subtree if t.parent_id == territory.pk), key=lambda t: (t.name, t.pk)
    )
    rows = []
    for t, depth in [(territory, 0), *((c, 1) for c in children)]:
        values = effective.get(t.pk, {})
        rows.append(GridRow(
            key=f"territory-{t.pk}", label=t.name, territory=t, rep=None, depth=depth,
            cells=[(m, values.get(m)) for m in months],
            editable=may_edit_territory(user, t, roots),
        ))  # fmt: skip
    for person in people:
        own = explicit.get(("rep", person.pk), {})
        rows.append(GridRow(
            key=f"rep-{person.pk}", label=str(person), territory=None, rep=person,
            cells=[(m, Value(own[m], True) if m in own else None) for m in months],
            editable=may_edit_rep(user, person),
        ))  # fmt: skip
    totals: list[Decimal | None] = []
    for m in months:
        found = [effective[c.pk][m].amount for c in children if m in effective.get(c.pk, {})]
        totals.append(sum(found, Decimal(0)) if found else None)
    ancestors = territory.ancestors().filter(pk__in=visible.values("pk"))
    return Grid(territory, year, months, measure, category, rows, totals, list(ancestors))


def _may_read_rep(user: User, rep: User) -> bool:
    ids = scope_for(user).user_ids
    return ids is None or rep.pk in ids
