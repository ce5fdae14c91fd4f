"""What a performance page is about: the territory, rep or account (always inside the user's
scope, else 404), the period, the measure and the category; and the `Slice` of sales it reads.

A rep's pages only ever read the rep's own sales: a rep never sees another rep's figures, even
on a territory page. Viewers who may not see amounts see counts (orders, accounts, visits) only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.core.cache import cache
from django.http import Http404, QueryDict
from django.utils import timezone

from rumbo.catalog.models import Category
from rumbo.core.models import Role, User
from rumbo.customers.models import Account
from rumbo.reports.facts import Slice
from rumbo.reports.models import PerformanceSettings, TerritorySales
from rumbo.reports.periods import BadPeriod, Period, month_period, parse_period
from rumbo.reports.rollups import Versions, ensure_fresh
from rumbo.targets.models import Measure
from rumbo.targets.selectors import category_descendants, category_parents
from rumbo.territories.models import Territory
from rumbo.territories.scoping import scope_for

DEFAULT_THRESHOLD = Decimal("90")
CACHE_SECONDS = 3600
T = TypeVar("T")


@dataclass(frozen=True)
class Crumb:
    label: str
    url: str


@dataclass
class Context:
    user: User
    period: Period
    measure: str
    category: Category | None
    category_ids: frozenset[int] | None
    node: Territory | None  # None: the user's whole scope
    subtree: list[Territory]  # the node's visible subtree (or every visible territory)
    visible_ids: frozenset[int] = frozenset()  # every territory the user may see
    visible: list[Territory] = field(default_factory=list)  # the same, read once per request
    rep: User | None = None
    account: Account | None = None
    threshold: Decimal = DEFAULT_THRESHOLD
    today: dt.date = field(default_factory=timezone.localdate)
    error: str = ""
    period_given: bool = False  # the URL named the period (else the latest month with sales)
    full_period: Period | None = None  # the period asked for, when it runs past this month
    versions: Versions | None = None  # of the organisation's rollups (rumbo.reports.rollups)

    @property
    def to_date(self) -> bool:
        """The period runs past this month, so figures stop at this month (year to date)."""
        return self.full_period is not None

    @property
    def organisation_id(self) -> int:
        return self.user.organisation_id

    @property
    def sees_amounts(self) -> bool:
        return self.user.sees_amounts

    @property
    def own_only(self) -> bool:
        """Reps read their own sales only."""
        return self.user.role == Role.REP

    @property
    def rep_filter(self) -> int | None:
        if self.rep is not None:
            return self.rep.pk
        return self.user.pk if self.own_only else None

    @property
    def territory_ids(self) -> frozenset[int] | None:
        scope = scope_for(self.user)
        if self.node is None and (scope.is_everything or self.own_only):
            return None
        return frozenset(t.pk for t in self.subtree)

    def cached(
        self, name: str, parts: tuple[Any, ...], compute: Callable[[], T], *, visits: bool = False
    ) -> T:
        """`compute()`, kept in the cache for this version of the rollups: the same figures
        asked for again (by anyone) are not computed again until the data change. Figures from
        visits (`visits`) are kept until the visits change (or an account moves), those from
        sales until the sales change."""
        if self.versions is None:
            return compute()
        kind, version = (
            ("visits", self.versions.visits) if visits else ("sales", self.versions.sales)
        )
        digest = hashlib.sha1(repr((name, parts)).encode()).hexdigest()
        key = f"rumbo:reports:{kind}:{version}:{digest}"
        found = cache.get(key)
        if found is None:
            found = compute()
            cache.set(key, found, CACHE_SECONDS)
        return found

    @property
    def whole_organisation(self) -> bool:
        """The page's subtree is every territory of the organisation (an administrator's or
        viewer's top territory), so its sales are those credited to any territory."""
        return (
            self.node is not None
            and scope_for(self.user).is_everything
            and len(self.subtree) == len(self.visible_ids)
        )

    def slice(self, **changes: Any) -> Slice:
        whole = self.whole_organisation
        base = {
            "organisation_id": self.organisation_id,
            "territory_ids": None if whole else self.territory_ids,
            "credited": whole,
            "rep_id": self.rep_filter,
            "account_id": self.account.pk if self.account else None,
            "category_ids": self.category_ids,
        }
        return Slice(**(base | changes))

    @property
    def periods(self) -> dict[str, Period]:
        return {
            "now": self.period,
            "previous": self.period.previous(),
            "last_year": self.period.last_year(),
        }


def visible_territories(user: User) -> list[Territory]:
    return list(Territory.objects.visible_to(user).order_by("path"))


def tops(territories: list[Territory]) -> list[Territory]:
    """The visible territories whose parent is not visible."""
    ids = {t.pk for t in territories}
    return [t for t in territories if t.parent_id not in ids]


def subtree_of(node: Territory, territories: list[Territory]) -> list[Territory]:
    return [t for t in territories if t.path.startswith(node.path)]


def visible_ancestors(node: Territory, ctx: Context) -> list[Territory]:
    """The territories above `node` that the user may see, root first (from the territories
    the page read already: a path is a prefix of its descendants' paths)."""
    above = [t for t in ctx.visible if t.pk != node.pk and node.path.startswith(t.path)]
    return sorted(above, key=lambda t: t.depth)


def _category(user: User, raw: str) -> tuple[Category | None, frozenset[int] | None]:
    if not raw:
        return None, None
    category = Category.objects.filter(organisation_id=user.organisation_id, pk=raw).first()
    if category is None:
        raise Http404
    parents = category_parents(user.organisation_id)
    return category, frozenset(category_descendants(category.pk, parents))


def latest_month(user: User, today: dt.date) -> dt.date:
    """The latest month up to today with sales in the organisation (or this month)."""
    month = (
        TerritorySales.objects.filter(
            organisation_id=user.organisation_id, month__lte=today.replace(day=1)
        )
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )
    return month or today.replace(day=1)


def threshold_of(user: User) -> Decimal:
    found = (
        PerformanceSettings.objects.filter(organisation_id=user.organisation_id)
        .values_list("flag_below_pct", flat=True)
        .first()
    )
    return found if found is not None else DEFAULT_THRESHOLD


def build(
    user: User,
    query: QueryDict,
    *,
    territory_id: int | None = None,
    rep_id: int | None = None,
    account: Account | None = None,
    today: dt.date | None = None,
) -> Context:
    """The context of a page, or Http404 when anything it names is outside the user's scope.
    Brings the organisation's rollups up to date first (rumbo.reports.rollups)."""
    today = today or timezone.localdate()
    territories = visible_territories(user)
    node = _node(user, territories, territory_id or _int(query.get("territory")))
    rep = _rep(user, rep_id or _int(query.get("rep")))
    category, category_ids = _category(user, query.get("category", ""))
    # Only now that everything named is known to be in scope: a refused request writes nothing.
    versions = ensure_fresh(user.organisation_id)
    error = ""
    try:
        raw = str(query.get("period") or "")
        period = parse_period(raw) if raw else None
    except BadPeriod as exc:
        period, error = None, str(exc)
    measure = query.get("measure") if query.get("measure") in Measure.values else Measure.AMOUNT
    return Context(
        user=user,
        period=to_date(period, today) or month_period(latest_month(user, today)),
        full_period=period if period and to_date(period, today) != period else None,
        measure=measure or Measure.AMOUNT,
        category=category,
        category_ids=category_ids,
        node=node,
        subtree=subtree_of(node, territories) if node else territories,
        visible_ids=frozenset(t.pk for t in territories),
        visible=territories,
        rep=rep,
        account=account,
        threshold=threshold_of(user),
        today=today,
        error=error,
        period_given=period is not None,
        versions=versions,
    )


def to_date(period: Period | None, today: dt.date) -> Period | None:
    """The part of a period up to this month: a year asked for in October runs to October,
    and is compared with January–October of the year before."""
    month = today.replace(day=1)
    if period is None or not period.first <= month < period.last:
        return period
    return Period(period.kind, period.first, month)


def _int(raw: str | None) -> int | None:
    if raw is None or raw == "":
        return None
    try:
        return int(raw)
    except ValueError:
        raise Http404 from None


def _node(user: User, territories: list[Territory], territory_id: int | None) -> Territory | None:
    if territory_id is not None:
        for t in territories:
            if t.pk == territory_id:
                return t
        raise Http404
    top = tops(territories)
    return top[0] if len(top) == 1 else None


def _rep(user: User, rep_id: int | None) -> User | None:
    if rep_id is None:
        return None
    scope = scope_for(user)
    allowed = scope.user_ids
    if allowed is not None and rep_id not in allowed:
        raise Http404
    rep = User.objects.filter(organisation_id=user.organisation_id, pk=rep_id).first()
    if rep is None:
        raise Http404
    return rep
