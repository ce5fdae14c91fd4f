"""The contact guard: does one more contact with a customer on a given day respect its policy?

A policy asks for at least `min_days_between` days between two contacts (from any team) and at
most `max_per_month` contacts in a calendar month; `min_per_month` is the least a customer
should get. Contacts already made and contacts already planned both count. Pure logic: dates
in, verdicts out; the caller reads the contacts and the policy from the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

# How far ahead a suggested date is searched for.
HORIZON_DAYS = 370
GAP = "gap"
MONTHLY = "monthly"


@dataclass(frozen=True)
class Policy:
    min_days_between: int = 0
    max_per_month: int | None = None  # None: no monthly limit
    min_per_month: int = 0

    def __post_init__(self) -> None:
        if self.min_days_between < 0 or self.min_per_month < 0:
            raise ValueError("Policy figures cannot be negative.")
        if self.max_per_month is not None and self.max_per_month < max(1, self.min_per_month):
            raise ValueError("max_per_month must be at least 1 and at least min_per_month.")


@dataclass(frozen=True)
class Contact:
    """A contact made or planned: the day, and who/what, to tell the user about it."""

    day: dt.date
    who: str = ""
    team: str = ""
    kind: str = ""
    planned: bool = False
    ref: str = ""  # the caller's own key (e.g. "interaction:12"), to leave a contact out


@dataclass(frozen=True)
class Breach:
    """One rule the proposed day breaks, with the contacts that make it break."""

    rule: str  # GAP or MONTHLY
    contacts: tuple[Contact, ...]
    limit: int


@dataclass(frozen=True)
class Verdict:
    day: dt.date
    breaches: tuple[Breach, ...]
    suggested: dt.date | None  # the first day from `day` on that respects the policy

    @property
    def ok(self) -> bool:
        return not self.breaches


def _month(day: dt.date) -> tuple[int, int]:
    return (day.year, day.month)


def breaches_on(policy: Policy, contacts: Sequence[Contact], day: dt.date) -> tuple[Breach, ...]:
    """The rules a contact on `day` would break, given the other contacts."""
    found: list[Breach] = []
    if policy.min_days_between > 0:
        close = tuple(c for c in contacts if abs((c.day - day).days) < policy.min_days_between)
        if close:
            found.append(Breach(GAP, tuple(sorted(close, key=_key)), policy.min_days_between))
    if policy.max_per_month is not None:
        same = tuple(c for c in contacts if _month(c.day) == _month(day))
        if len(same) >= policy.max_per_month:
            found.append(Breach(MONTHLY, tuple(sorted(same, key=_key)), policy.max_per_month))
    return tuple(found)


def _key(contact: Contact) -> tuple[dt.date, str]:
    return (contact.day, contact.who)


def first_allowed(
    policy: Policy, contacts: Sequence[Contact], day: dt.date, horizon_days: int = HORIZON_DAYS
) -> dt.date | None:
    """The first day from `day` on (within the horizon) on which a contact breaks no rule."""
    for offset in range(horizon_days + 1):
        candidate = day + dt.timedelta(days=offset)
        if not breaches_on(policy, contacts, candidate):
            return candidate
    return None


def check(
    policy: Policy,
    contacts: Iterable[Contact],
    day: dt.date,
    *,
    ignore: Iterable[str] = (),
    not_before: dt.date | None = None,
) -> Verdict:
    """Whether one more contact on `day` respects the policy and, if not, which day would.

    `ignore` leaves out contacts by `ref` (the contact being moved); a suggestion is never
    earlier than `not_before` (e.g. today)."""
    skipped = set(ignore)
    others = [c for c in contacts if not (c.ref and c.ref in skipped)]
    breaches = breaches_on(policy, others, day)
    if not breaches:
        return Verdict(day, (), day)
    start = max(day, not_before) if not_before else day
    return Verdict(day, breaches, first_allowed(policy, others, start))


@dataclass(frozen=True)
class MonthLoad:
    """How one customer was contacted in one month, against its policy."""

    count: int
    closest_gap_days: int | None  # the shortest gap between two contacts of the month
    over: bool  # more contacts than allowed, or two of them too close together
    under: bool  # fewer contacts than the policy's minimum


def month_load(policy: Policy, days: Iterable[dt.date]) -> MonthLoad:
    """Judge one month of contacts (all in the same month) against the policy."""
    ordered = sorted(days)
    gaps = [(b - a).days for a, b in pairwise(ordered)]
    closest = min(gaps) if gaps else None
    too_many = policy.max_per_month is not None and len(ordered) > policy.max_per_month
    too_close = closest is not None and closest < policy.min_days_between
    return MonthLoad(
        count=len(ordered),
        closest_gap_days=closest,
        over=too_many or too_close,
        under=len(ordered) < policy.min_per_month,
    )
