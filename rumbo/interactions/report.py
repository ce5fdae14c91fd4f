"""The contact report: which accounts were contacted more often than their policy allows (or
twice too close together) in a month, and which less often than its minimum.

Contacts are those the guard counts (see guard.contacts_of); accounts without a policy are not
judged. Policies go segment first, then channel, then general (see guard.PolicyBook).
Under-contacted accounts are found in SQL; over-contacted ones are checked in Python among the
accounts with two contacts or more.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q

from rumbo.core.models import User
from rumbo.customers.models import Account, AccountQuerySet
from rumbo.engine import contact_guard as engine
from rumbo.interactions.guard import PolicyBook, contacts_of, engine_policy
from rumbo.interactions.models import ContactPolicy, Interaction

OVER, UNDER = "over", "under"


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    start = month.replace(day=1)
    following = (start + dt.timedelta(days=32)).replace(day=1)
    return start, following - dt.timedelta(days=1)


def last_month(today: dt.date) -> dt.date:
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


@dataclass
class LoadRow:
    account: Account
    policy: ContactPolicy
    load: engine.MonthLoad
    teams: dict[str, int] = field(default_factory=dict)  # contacts by team


def _with_counts(accounts: AccountQuerySet, start: dt.date, end: dt.date) -> AccountQuerySet:
    made = Q(
        interactions__kind__in=Interaction.CONTACT_KINDS,
        interactions__occurred_at__date__range=(start, end),
    ) & ~Q(interactions__outcome=Interaction.Outcome.NOT_REACHED)
    return accounts.annotate(n_contacts=Count("interactions", filter=made))


def _policy_filter(book: PolicyBook, field_name: str, op: str) -> Q:
    """Accounts whose policy's `field_name` compares with their count by `op` (lt or gt)."""
    condition = Q(pk__in=[])
    for segment, policy in book.by_segment.items():
        in_segment = Q(pk__in=book.in_segments([segment]).values("account_id"))
        condition |= _beyond(policy, field_name, op) & in_segment
    # An account whose segment has a policy follows it, whatever its channel.
    others = Q()
    if book.by_segment:
        others = ~Q(pk__in=book.in_segments(book.by_segment).values("account_id"))
    for channel_id, policy in book.by_channel.items():
        condition |= _beyond(policy, field_name, op) & Q(channel_id=channel_id) & others
    if book.general is not None:
        not_by_channel = ~Q(channel_id__in=list(book.by_channel))
        condition |= _beyond(book.general, field_name, op) & not_by_channel & others
    return condition


def _beyond(policy: ContactPolicy, field_name: str, op: str) -> Q:
    """The count compared with the policy's limit (matching nothing when it has none)."""
    limit = getattr(policy, field_name)
    return Q(pk__in=[]) if limit is None else Q(**{f"n_contacts__{op}": limit})


def under_contacted(accounts: AccountQuerySet, book: PolicyBook, month: dt.date) -> AccountQuerySet:
    """Active accounts contacted fewer times in the month than their policy's minimum."""
    start, end = month_bounds(month)
    counted = _with_counts(accounts.active(), start, end)
    return (
        counted.filter(_policy_filter(book, "min_per_month", "lt"))
        .select_related("channel", "territory")
        .order_by("n_contacts", "trade_name", "pk")
    )


def over_contacted(
    user: User, accounts: AccountQuerySet, book: PolicyBook, month: dt.date
) -> list[LoadRow]:
    """Accounts with more contacts than allowed in the month, or two too close together."""
    start, end = month_bounds(month)
    candidates = _with_counts(accounts, start, end).filter(Q(n_contacts__gte=2))
    found = contacts_of(candidates.values("pk"), start, end)
    book.load_segments(candidates)
    rows = []
    for account in candidates.select_related("channel", "territory").order_by("-n_contacts", "pk"):
        policy = book.for_account(account)
        if policy is None:
            continue
        made = [c for c in found.get(account.pk, []) if not c.planned and start <= c.day <= end]
        load = engine.month_load(engine_policy(policy), [c.day for c in made])
        if load.over:
            rows.append(LoadRow(account, policy, load, dict(Counter(c.team for c in made))))
    return rows


@dataclass(frozen=True)
class ReportSummary:
    month: dt.date
    judged: int
    over: int
    under: int


def summary(
    accounts: AccountQuerySet, book: PolicyBook, month: dt.date, over: int
) -> ReportSummary:
    judged = accounts.active().count() if book.has_policies else 0
    under = under_contacted(accounts, book, month).count() if judged else 0
    return ReportSummary(month, judged, over, under)
