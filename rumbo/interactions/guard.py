"""The contact guard's bridge to the database: which policy applies to an account, which
contacts it has had and has planned (from every team), and the engine's verdict on one more.

Policies: the row of the account's current segment, else its channel's row, else the
organisation's general row (see `PolicyBook.for_account`). Contacts: interactions that reach
the customer, planned visits and calls, planned campaign touches, and the contacts of the
prospect an account was.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db.models import Max, OuterRef, QuerySet, Subquery
from django.utils import timezone

from rumbo.coverage.models import AccountSegment
from rumbo.customers.models import Account
from rumbo.engine import contact_guard as engine
from rumbo.interactions.models import (
    Campaign,
    CampaignTouch,
    ContactPolicy,
    Interaction,
    PlannedActivity,
)
from rumbo.prospects.models import ProspectTouch

# Past contacts older than this cannot affect a day: the longest gap allowed is 180 days.
LOOK_BACK_DAYS = 181
# Planned contacts further ahead than this are not looked at (a suggestion is searched for
# within the engine's horizon).
LOOK_AHEAD_DAYS = engine.HORIZON_DAYS + 180


class PolicyBook:
    """The organisation's contact policies, read once, and the current segment of the accounts
    they are asked about.

    An account's current segment is its snapshot in the organisation's latest segmented month;
    an account missing from it (opened or closed since) has none. Segments are read only when a
    segment policy exists: one account alone by itself, then the whole month at once, or the
    accounts given to `load_segments` in one query."""

    def __init__(self, organisation_id: int) -> None:
        rows = list(ContactPolicy.objects.filter(organisation_id=organisation_id))
        self.organisation_id = organisation_id
        self.by_segment = {p.segment: p for p in rows if p.segment}
        self.by_channel = {p.channel_id: p for p in rows if p.channel_id is not None}
        self.general = next((p for p in rows if p.channel_id is None and not p.segment), None)
        self._segments: dict[int, str] = {}
        self._whole_month = False

    @property
    def has_policies(self) -> bool:
        return bool(self.general or self.by_channel or self.by_segment)

    @cached_property
    def month(self) -> dt.date | None:
        """The organisation's latest segmented month (None before the first segmentation)."""
        if not self.by_segment:
            return None
        found = AccountSegment.objects.filter(organisation_id=self.organisation_id).aggregate(
            month=Max("month")
        )
        return found["month"]

    def in_segments(self, segments: Iterable[str]) -> QuerySet[AccountSegment, Any]:
        """The current snapshots in some segments (a subquery of `account_id` for reports)."""
        if self.month is None:
            return AccountSegment.objects.none()
        return AccountSegment.objects.filter(
            organisation_id=self.organisation_id, month=self.month, segment__in=list(segments)
        )

    def load_segments(self, accounts: QuerySet[Account, Any] | Iterable[int]) -> None:
        """Read the current segment of many accounts in one query (before `for_account`)."""
        if self.month is None:
            return
        ids = accounts.values("pk") if isinstance(accounts, QuerySet) else list(accounts)
        current = AccountSegment.objects.filter(account_id=OuterRef("pk"), month=self.month)
        rows = Account.objects.filter(pk__in=ids).values_list(
            "pk", Subquery(current.values("segment")[:1])
        )
        self._segments.update({pk: segment or "" for pk, segment in rows})

    def segment_of(self, account: Account) -> str:
        """The account's current segment ("" for none, or when no segment has a policy)."""
        if self.month is None:
            return ""
        if account.pk not in self._segments and not self._whole_month:
            if self._segments:  # a second account: the caller is going through many
                self._load_month()
            else:
                self.load_segments([account.pk])
        return self._segments.get(account.pk, "")

    def _load_month(self) -> None:
        assert self.month is not None
        rows = AccountSegment.objects.filter(
            organisation_id=self.organisation_id, month=self.month
        ).values_list("account_id", "segment")
        self._segments.update(rows)
        self._whole_month = True

    def for_account(self, account: Account) -> ContactPolicy | None:
        """The policy of the account's current segment, else of its channel, else the general."""
        in_segment = self.by_segment.get(self.segment_of(account))
        return in_segment or self.by_channel.get(account.channel_id, self.general)


def engine_policy(policy: ContactPolicy) -> engine.Policy:
    return engine.Policy(
        min_days_between=policy.min_days_between,
        max_per_month=policy.max_per_month,
        min_per_month=policy.min_per_month,
    )


def _local_day(moment: dt.datetime) -> dt.date:
    return timezone.localdate(moment)


def contacts_of(
    accounts: QuerySet[Account, Any] | Iterable[int], start: dt.date, end: dt.date
) -> dict[int, list[engine.Contact]]:
    """Account id → its contacts (made or planned) from `start` to `end`, in four queries."""
    found: dict[int, list[engine.Contact]] = defaultdict(list)
    ids = accounts if isinstance(accounts, QuerySet) else list(accounts)
    since = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    until = timezone.make_aware(dt.datetime.combine(end, dt.time.max))
    made = (
        Interaction.objects.contacts()
        .filter(account__in=ids, occurred_at__range=(since, until))
        .select_related("user")
    )
    for i in made:
        who = str(i.user) if i.user else ""
        found[i.account_id].append(
            engine.Contact(
                _local_day(i.occurred_at), who, i.team, i.kind, ref=f"interaction:{i.pk}"
            )
        )
    _add_planned(found, ids, start, end)
    return found


def _add_planned(
    found: dict[int, list[engine.Contact]],
    ids: QuerySet[Account, Any] | list[int],
    start: dt.date,
    end: dt.date,
) -> None:
    activities = (
        PlannedActivity.objects.pending()
        .filter(account__in=ids, kind__in=PlannedActivity.CONTACT_KINDS, day__range=(start, end))
        .select_related("rep")
    )
    for a in activities:
        assert a.account_id is not None
        found[a.account_id].append(
            engine.Contact(a.day, str(a.rep), "sales", a.kind, planned=True, ref=f"activity:{a.pk}")
        )
    touches = (
        CampaignTouch.objects.filter(
            account__in=ids,
            status=CampaignTouch.Status.PLANNED,
            planned_on__range=(start, end),
        )
        .exclude(campaign__status=Campaign.Status.CANCELLED)
        .select_related("campaign")
    )
    for t in touches:
        assert t.planned_on is not None
        c = t.campaign
        found[t.account_id].append(
            engine.Contact(
                t.planned_on, c.name, c.team, "campaign", planned=True, ref=f"touch:{t.pk}"
            )
        )
    since = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    until = timezone.make_aware(dt.datetime.combine(end, dt.time.max))
    earlier = (
        ProspectTouch.objects.filter(prospect__account__in=ids, occurred_at__range=(since, until))
        .exclude(kind=ProspectTouch.Kind.NOTE)
        .exclude(outcome=ProspectTouch.Outcome.NOT_REACHED)
        .select_related("user", "prospect")
    )
    for p in earlier:
        assert p.prospect.account_id is not None
        who = str(p.user) if p.user else ""
        found[p.prospect.account_id].append(
            engine.Contact(_local_day(p.occurred_at), who, p.team, p.kind, ref=f"lead:{p.pk}")
        )


def window(day: dt.date) -> tuple[dt.date, dt.date]:
    return day - dt.timedelta(days=LOOK_BACK_DAYS), day + dt.timedelta(days=LOOK_AHEAD_DAYS)


@dataclass(frozen=True)
class GuardResult:
    """The engine's verdict for one account and day, with the policy it applied."""

    account: Account
    policy: ContactPolicy | None
    verdict: engine.Verdict

    @property
    def ok(self) -> bool:
        return self.verdict.ok

    @property
    def suggested(self) -> dt.date | None:
        return self.verdict.suggested


def check_contact(
    *,
    account: Account,
    day: dt.date,
    ignore: Iterable[str] = (),
    today: dt.date | None = None,
    book: PolicyBook | None = None,
) -> GuardResult:
    """Would one more contact with `account` on `day` respect its contact policy?"""
    return check_contacts(accounts=[account], day=day, ignore=ignore, today=today, book=book)[
        account.pk
    ]


def check_contacts(
    *,
    accounts: Sequence[Account],
    day: dt.date,
    ignore: Iterable[str] = (),
    today: dt.date | None = None,
    book: PolicyBook | None = None,
) -> dict[int, GuardResult]:
    """`check_contact` for several accounts of one organisation, their contacts read at once."""
    if not accounts:
        return {}
    book = book or PolicyBook(accounts[0].organisation_id)
    policies = {a.pk: book.for_account(a) for a in accounts}
    checked = [pk for pk, policy in policies.items() if policy is not None]
    start, end = window(day)
    contacts = contacts_of(checked, start, end) if checked else {}
    results = {}
    for account in accounts:
        policy = policies[account.pk]
        if policy is None:
            results[account.pk] = GuardResult(account, None, engine.Verdict(day, (), day))
            continue
        verdict = engine.check(
            engine_policy(policy),
            contacts.get(account.pk, []),
            day,
            ignore=ignore,
            not_before=today or timezone.localdate(),
        )
        results[account.pk] = GuardResult(account, policy, verdict)
    return results


class ContactGuardWarning(Exception):
    """A planned contact would break the account's contact policy; the caller may confirm."""

    def __init__(self, result: GuardResult) -> None:
        super().__init__(f"Contact policy of {result.account} broken on {result.verdict.day}")
        self.result = result


def last_contact(account: Account, before: dt.date) -> engine.Contact | None:
    """The latest contact made with the account before a day (planned ones excluded)."""
    start = before - dt.timedelta(days=LOOK_BACK_DAYS)
    made = [
        c
        for c in contacts_of([account.pk], start, before).get(account.pk, [])
        if not c.planned and c.day <= before
    ]
    return max(made, key=lambda c: c.day, default=None)
