"""Why is this territory or rep behind? The gap bridge from target to actual.

For an owner (a territory with its subtree, or a rep) and a period P, with L the same months a
year earlier, all in amounts without IGV:

- A_a, B_a: account a's sales credited to the owner in P and in L; A = Σ A_a, B = Σ B_a.
- T: the owner's target for P; k = T / B, the growth the target asks of last year's sales.
- Category trend: g_c = company sales of category c in P / in L, ḡ the same for all
  categories, h_c = g_c / ḡ (1 when the company sold none of c in L). B_c: the owner's sales
  of category c in L (categories rolled up to the top level).
- Category mix = k · Σ_c B_c · (h_c − 1): the part of the target that the owner's product mix
  makes harder (< 0: their categories are shrinking against the company's) or easier (> 0).
- Each account is expected to sell E_a = B_a · (T + mix) / B: its share of the target, with the
  mix. Σ E_a = T + mix.
- Lost accounts (B_a > 0, A_a = 0), declining (both > 0, A_a < E_a), growing (both > 0,
  A_a ≥ E_a) and new (B_a = 0, A_a > 0) each add Σ (A_a − E_a) over their accounts.

So target + mix + lost + declining + growing + new = T + mix + Σ_a (A_a − E_a) = A, exactly.
Without sales in L (B = 0) no account has a share: the accounts are all new and one more part,
"target without last year's sales", equals −T. Amounts are rounded to the céntimo at the end; the
rounding difference (a few céntimos at most) goes to the largest part, so the bars always add up.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from operator import itemgetter

from django.utils.translation import gettext_lazy

from rumbo.reports import facts
from rumbo.reports.context import Context
from rumbo.reports.facts import Slice
from rumbo.reports.lines import ratio_pct
from rumbo.reports.visits import VisitCounts, visits_by_account
from rumbo.targets.selectors import category_parents, category_roots

CENT = Decimal("0.01")
LOST, DECLINING, GROWING, NEW = "lost", "declining", "growing", "new"
KEEP_ACCOUNTS = 50  # the bridge keeps this many accounts each way: more than any page lists
MIX, NO_BASELINE = "mix", "no_baseline"
PART_LABELS = {
    "target": gettext_lazy("Target"),
    MIX: gettext_lazy("Category mix"),
    LOST: gettext_lazy("Lost accounts"),
    DECLINING: gettext_lazy("Declining accounts"),
    GROWING: gettext_lazy("Growing accounts"),
    NEW: gettext_lazy("New accounts"),
    NO_BASELINE: gettext_lazy("Target without last year's sales"),
    "actual": gettext_lazy("Actual"),
}
PART_HELP = {
    MIX: gettext_lazy("Your categories grew slower (−) or faster (+) than the company's."),
    LOST: gettext_lazy("Bought in the same period last year, nothing now: their share of the "
                       "target is missing."),
    DECLINING: gettext_lazy("Still buying, but less than their share of the target."),
    GROWING: gettext_lazy("Buying more than their share of the target."),
    NEW: gettext_lazy("Did not buy in the same period last year."),
    NO_BASELINE: gettext_lazy("Nothing was sold in the same period last year, so no account "
                              "has a share of the target."),
}  # fmt: skip


@dataclass
class Part:
    code: str
    value: Decimal
    accounts: int = 0

    @property
    def label(self) -> str:
        return str(PART_LABELS[self.code])

    @property
    def help(self) -> str:
        return str(PART_HELP.get(self.code, ""))


@dataclass
class AccountGap:
    account_id: int
    label: str
    kind: str
    last_year: Decimal
    actual: Decimal
    expected: Decimal
    visits: int = 0
    visits_ly: int = 0

    @property
    def contribution(self) -> Decimal:
        return (self.actual - self.expected).quantize(CENT)

    @property
    def change(self) -> Decimal:
        return self.actual - self.last_year


@dataclass
class CategoryGap:
    category_id: int
    label: str
    last_year: Decimal
    actual: Decimal
    expected: Decimal
    trend_pct: Decimal | None

    @property
    def contribution(self) -> Decimal:
        return (self.actual - self.expected).quantize(CENT)


@dataclass
class Bridge:
    target: Decimal | None
    actual: Decimal
    last_year: Decimal
    parts: list[Part] = field(default_factory=list)
    accounts: list[AccountGap] = field(default_factory=list)
    categories: list[CategoryGap] = field(default_factory=list)
    visits: VisitCounts | None = None
    visits_ly: VisitCounts | None = None

    @property
    def gap(self) -> Decimal | None:
        return None if self.target is None else self.actual - self.target

    @property
    def steps(self) -> list[Part]:
        """Target, the parts, actual: the bars of the waterfall."""
        if self.target is None:
            return []
        return [Part("target", self.target), *self.parts, Part("actual", self.actual)]

    @property
    def coverage(self) -> Decimal | None:
        return ratio_pct(self.visits.visited, self.visits.accounts) if self.visits else None

    @property
    def coverage_ly(self) -> Decimal | None:
        v = self.visits_ly
        return ratio_pct(v.visited, v.accounts) if v else None

    def part(self, code: str) -> Part | None:
        return next((p for p in self.parts if p.code == code), None)


def cents(amount: Decimal) -> int:
    """An amount to the céntimo as a whole number of céntimos."""
    scaled = amount.scaleb(2)
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{amount} is not an amount to the céntimo")
    return int(scaled)


def soles(amount: int) -> Decimal:
    """A whole number of céntimos as an amount (exact, two places)."""
    return Decimal(amount).scaleb(-2)


def category_trend(organisation_id: int, ctx: Context) -> tuple[dict[int, Decimal], Decimal]:
    """h_c per top-level category: the company's growth of c over its overall growth."""
    now, before = ctx.period, ctx.period.last_year()
    rows = facts.category_rows(Slice(organisation_id), [*now.months, *before.months])
    roots = category_roots(category_parents(organisation_id))
    sums: dict[int, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for category_id, month, net in rows:
        sums[roots.get(category_id, category_id)][0 if month in now else 1] += net
    total_now = sum((v[0] for v in sums.values()), Decimal(0))
    total_before = sum((v[1] for v in sums.values()), Decimal(0))
    if not total_before or not total_now:
        return {c: Decimal(1) for c in sums}, Decimal(1)
    overall = total_now / total_before
    return {c: (a / b) / overall if b else Decimal(1) for c, (a, b) in sums.items()}, overall


def owner_categories(where: Slice, ctx: Context) -> dict[int, tuple[Decimal, Decimal]]:
    """Top-level category → (owner's sales in P, in L)."""
    now, before = ctx.period, ctx.period.last_year()
    rows = facts.category_rows(where, [*now.months, *before.months])
    roots = category_roots(category_parents(ctx.organisation_id))
    sums: dict[int, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for category_id, month, net in rows:
        sums[roots.get(category_id, category_id)][0 if month in now else 1] += net
    return {c: (v[0], v[1]) for c, v in sums.items()}


def decompose(
    target: Decimal,
    accounts: dict[int, tuple[Decimal, Decimal]],
    categories: dict[int, tuple[Decimal, Decimal]],
    trend: dict[int, Decimal],
    overall: Decimal = Decimal(1),
    keep: int | None = None,
) -> tuple[list[Part], list[AccountGap], list[CategoryGap]]:
    """The parts of the gap (see the module's doc) from each account's (actual, last year),
    each category's (actual, last year) and the company's trend h_c per category; with every
    account's gap, or with `keep` only the `keep` furthest below and above their share."""
    in_cents = {a: (cents(now), cents(before)) for a, (now, before) in accounts.items()}
    return decompose_cents(target, in_cents, categories, trend, overall, keep)


def decompose_cents(
    target: Decimal,
    accounts: dict[int, tuple[int, int]],
    categories: dict[int, tuple[Decimal, Decimal]],
    trend: dict[int, Decimal],
    overall: Decimal = Decimal(1),
    keep: int | None = None,
) -> tuple[list[Part], list[AccountGap], list[CategoryGap]]:
    """decompose, with the accounts' amounts in céntimos. A region has tens of thousands of
    accounts, so each one's gap A_a − E_a = A_a − B_a · f, f = (T + mix) / B, is kept as the
    whole number A_a · q − B_a · p, where p / q is f exactly: classifying, summing and ranking
    them is integer arithmetic, exact, and the sums become amounts once per part."""
    before = soles(sum(b for _a, b in accounts.values()))
    actual = soles(sum(a for a, _b in accounts.values()))
    k = target / before if before else Decimal(0)
    mix = k * sum((b * (trend.get(c, Decimal(1)) - 1) for c, (_a, b) in categories.items()),
                  Decimal(0))  # fmt: skip
    factor = (target + mix) / before if before else Decimal(0)
    p, q = factor.as_integer_ratio()  # q > 0
    sums = dict.fromkeys((LOST, DECLINING, GROWING, NEW), 0)
    counts = dict.fromkeys((LOST, DECLINING, GROWING, NEW), 0)
    rows = []
    for account_id, (now, last_year) in accounts.items():
        gap = now * q - last_year * p
        if last_year <= 0:
            kind = NEW
        elif now <= 0:
            kind = LOST
        else:  # gap < 0 exactly when now < last_year · f
            kind = DECLINING if gap < 0 else GROWING
        sums[kind] += gap
        counts[kind] += 1
        rows.append((gap, account_id, kind, last_year, now))
    if keep is not None:
        below = heapq.nsmallest(keep, (r for r in rows if r[0] < 0), key=itemgetter(0))
        rows = below + heapq.nlargest(keep, (r for r in rows if r[0] > 0), key=itemgetter(0))
    gaps = []
    for _gap, account_id, kind, last_year, now in rows:
        b = soles(last_year)
        gaps.append(AccountGap(account_id, "", kind, b, soles(now), b * factor))
    unit = Decimal(q) * 100
    parts = [Part(MIX, mix if before else Decimal(0))]
    parts += [Part(code, Decimal(sums[code]) / unit, counts[code])
              for code in (LOST, DECLINING, GROWING, NEW)]  # fmt: skip
    if not before:
        parts.append(Part(NO_BASELINE, -target))
    return _rounded(parts, actual - target), gaps, _category_gaps(categories, trend, k, overall)


def bridge(ctx: Context, target: Decimal | None) -> Bridge:
    """The bridge of the page's owner (see the module's doc) for the context's period, with
    the accounts that contribute most. Kept in the report cache until the rollups change: a
    region's bridge reads tens of thousands of accounts."""
    where = ctx.slice(category_ids=None)
    return ctx.cached("bridge", (where, ctx.period, target), lambda: _bridge(ctx, where, target))


def _bridge(ctx: Context, where: Slice, target: Decimal | None) -> Bridge:
    pairs = facts.account_pairs(where, ctx.period, ctx.period.last_year())  # in céntimos
    actual = soles(sum(a for a, _b in pairs.values()))
    before = soles(sum(b for _a, b in pairs.values()))
    result = Bridge(target=target, actual=actual, last_year=before)
    if target is None:
        return result
    trend, overall = category_trend(ctx.organisation_id, ctx)  # from CategorySales: cheap
    categories = owner_categories(where, ctx)
    result.parts, result.accounts, result.categories = decompose_cents(
        target, pairs, categories, trend, overall, keep=KEEP_ACCOUNTS
    )
    _name_categories(result.categories)
    return result


def _rounded(parts: list[Part], gap: Decimal) -> list[Part]:
    """Each part to the céntimo; the difference to the exact gap goes to the largest part."""
    for part in parts:
        part.value = part.value.quantize(CENT)
    rest = gap.quantize(CENT) - sum((p.value for p in parts), Decimal(0))
    if rest:
        largest = max(parts, key=lambda p: abs(p.value))
        largest.value += rest
    return parts


def _category_gaps(
    categories: dict[int, tuple[Decimal, Decimal]],
    trend: dict[int, Decimal],
    k: Decimal,
    overall: Decimal,
) -> list[CategoryGap]:
    """Each category's expected sales (k · h_c · B_c) against its actual, worst first, with
    the company's growth of the category (h_c · ḡ − 1, in %)."""
    found = []
    for c, (now, before) in categories.items():
        h = trend.get(c, Decimal(1))
        company = ((h * overall - 1) * 100).quantize(Decimal("0.1")) if c in trend else None
        found.append(CategoryGap(c, "", before, now, k * h * before, company))
    found.sort(key=lambda g: g.contribution)
    return found


def _name_categories(gaps: list[CategoryGap]) -> None:
    from rumbo.catalog.models import Category

    ids = [g.category_id for g in gaps]
    names = dict(Category.objects.filter(pk__in=ids).values_list("pk", "name"))
    for g in gaps:
        g.label = names.get(g.category_id, "?")


def label_accounts(result: Bridge, limit: int, ctx: Context) -> list[AccountGap]:
    """The accounts that contribute most (both ways), named, with their visits."""
    from rumbo.customers.models import Account

    ranked = sorted(result.accounts, key=lambda a: (a.contribution, a.account_id))
    below = [a for a in ranked if a.contribution < 0][:limit]
    above = [a for a in reversed(ranked) if a.contribution > 0][: max(3, limit // 3)]
    chosen = below + above
    ids = [a.account_id for a in chosen]
    names = {
        a.pk: a.trade_name or a.legal_name
        for a in Account.objects.filter(pk__in=ids).only("trade_name", "legal_name")
    }
    periods = {"now": ctx.period, "last_year": ctx.period.last_year()}
    visits = visits_by_account(ctx.organisation_id, periods, ids, ctx.rep_filter)
    for a in chosen:
        a.label = names.get(a.account_id, "?")
        a.visits = visits.get(a.account_id, {}).get("now", 0)
        a.visits_ly = visits.get(a.account_id, {}).get("last_year", 0)
    return chosen
