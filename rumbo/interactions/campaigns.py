"""Writes on campaigns: create and change them, build the audience through the contact guard
(leaving out accounts contacted recently, moving or leaving out touches that break the policy),
record touches as done, finish or cancel.

The audience is every account matching all the criteria given (channels, territories with
their subtrees, places by ubigeo prefix). Segments, once they exist, add one criterion in
`audience_of` and one many-to-many field on Campaign; nothing else changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from rumbo.core.models import Organisation, Role, Team, User
from rumbo.customers.models import Account, AccountQuerySet, Channel
from rumbo.engine import contact_guard as engine
from rumbo.interactions.guard import PolicyBook, contacts_of, engine_policy
from rumbo.interactions.models import Campaign, CampaignTouch, Interaction
from rumbo.territories.models import Territory

CAMPAIGN_FIELDS = {
    "code", "name", "message", "medium", "starts_on", "ends_on", "team", "include_inactive",
    "exclude_contacted_days", "respect_policy", "audience_ubigeos",
}  # fmt: skip
EDITABLE = (Campaign.Status.DRAFT, Campaign.Status.PLANNED)
# Reasons a touch was left out or moved (worded in views.touch_reason).
RECENT, POLICY, MOVED = "recent", "policy", "moved"


def may_run_campaigns(user: User) -> bool:
    """Administrators, managers and the marketing team create and run campaigns."""
    return user.is_active and (
        user.role in (Role.ADMIN, Role.MANAGER) or user.team == Team.MARKETING
    )


def _check_writer(actor: User | None, organisation_id: int) -> None:
    if actor is None:  # an import run by the system
        return
    if not may_run_campaigns(actor) or actor.organisation_id != organisation_id:
        raise PermissionDenied(_("Only administrators, managers and marketing run campaigns."))


def _check_ubigeos(codes: Iterable[str]) -> list[str]:
    cleaned = sorted({str(c).strip() for c in codes if str(c).strip()})
    for code in cleaned:
        if not (code.isdigit() and len(code) in (2, 4, 6)):
            raise ValidationError(
                {"audience_ubigeos": _("'%(v)s' is not a ubigeo (2, 4 or 6 digits).") % {"v": code}}
            )
    return cleaned


def _set_audience(
    campaign: Campaign, channels: Iterable[Channel] | None, territories: Iterable[Territory] | None
) -> None:
    given: list[tuple[str, Iterable[Channel] | Iterable[Territory] | None]] = [
        ("audience_channels", channels),
        ("audience_territories", territories),
    ]
    for name, rows in given:
        if rows is None:
            continue
        chosen: list[Any] = list(rows)
        if any(r.organisation_id != campaign.organisation_id for r in chosen):
            raise ValidationError({name: _("This belongs to another organisation.")})
        getattr(campaign, name).set(chosen)


@transaction.atomic
def create_campaign(
    *,
    organisation: Organisation,
    actor: User | None,
    channels: Iterable[Channel] = (),
    territories: Iterable[Territory] = (),
    **fields: Any,
) -> Campaign:
    """A draft campaign; its audience is built separately (build_audience)."""
    _check_writer(actor, organisation.pk)
    unknown = set(fields) - CAMPAIGN_FIELDS
    if unknown:
        raise ValueError(f"Not campaign fields: {sorted(unknown)}")
    fields["audience_ubigeos"] = _check_ubigeos(fields.get("audience_ubigeos", []))
    campaign = Campaign(organisation=organisation, owner=actor, **fields)
    campaign.full_clean()
    campaign.save()
    _set_audience(campaign, channels, territories)
    return campaign


@transaction.atomic
def update_campaign(
    *,
    campaign: Campaign,
    actor: User | None,
    channels: Iterable[Channel] | None = None,
    territories: Iterable[Territory] | None = None,
    **fields: Any,
) -> Campaign:
    """Change a campaign not yet finished; a change of audience or dates needs a rebuild."""
    _check_writer(actor, campaign.organisation_id)
    if campaign.status not in EDITABLE:
        raise ValidationError(_("A finished or cancelled campaign cannot change."))
    unknown = set(fields) - CAMPAIGN_FIELDS
    if unknown:
        raise ValueError(f"Not campaign fields: {sorted(unknown)}")
    if "audience_ubigeos" in fields:
        fields["audience_ubigeos"] = _check_ubigeos(fields["audience_ubigeos"])
    for name, value in fields.items():
        setattr(campaign, name, value)
    campaign.full_clean()
    campaign.save()
    _set_audience(campaign, channels, territories)
    return campaign


def audience_of(campaign: Campaign, user: User) -> AccountQuerySet:
    """The accounts the campaign reaches, among those the user may see."""
    accounts = Account.objects.visible_to(user).filter(organisation_id=campaign.organisation_id)
    statuses = [Account.Status.ACTIVE]
    if campaign.include_inactive:
        statuses.append(Account.Status.INACTIVE)
    accounts = accounts.filter(status__in=statuses)
    channel_ids = [c.pk for c in campaign.audience_channels.all()]
    if channel_ids:
        accounts = accounts.filter(channel_id__in=channel_ids)
    paths = [t.path for t in campaign.audience_territories.all()]
    if paths:
        accounts = accounts.filter(_any_prefix("territory__path", paths))
    if campaign.audience_ubigeos:
        accounts = accounts.filter(_any_prefix("distrito__ubigeo", campaign.audience_ubigeos))
    return accounts


def _any_prefix(lookup: str, prefixes: Iterable[str]) -> Q:
    condition = Q(pk__in=[])
    for prefix in prefixes:
        condition |= Q(**{f"{lookup}__startswith": prefix})
    return condition


def _plan_touch(
    campaign: Campaign,
    account: Account,
    contacts: list[engine.Contact],
    book: PolicyBook,
) -> CampaignTouch:
    """The touch of one account: left out when contacted recently, moved or left out when the
    campaign's first day breaks the contact policy, else planned on that day."""
    day = campaign.starts_on
    touch = CampaignTouch(campaign=campaign, account=account, planned_on=day)
    recent = _recent_contact(campaign, contacts)
    if recent is not None:
        touch.status = CampaignTouch.Status.EXCLUDED
        touch.reason = {"code": RECENT, "day": recent.day.isoformat(), "who": recent.who,
                        "team": recent.team, "kind": recent.kind}  # fmt: skip
        return touch
    policy = book.for_account(account)
    if not campaign.respect_policy or policy is None:
        return touch
    verdict = engine.check(engine_policy(policy), contacts, day)
    if verdict.ok:
        return touch
    first = verdict.breaches[0].contacts[0]
    reason = {"rule": verdict.breaches[0].rule, "day": first.day.isoformat(), "who": first.who,
              "team": first.team, "kind": first.kind}  # fmt: skip
    if verdict.suggested is not None and verdict.suggested <= campaign.ends_on:
        touch.planned_on = verdict.suggested
        touch.reason = {"code": MOVED, **reason}
    else:
        touch.status = CampaignTouch.Status.EXCLUDED
        touch.reason = {"code": POLICY, **reason}
    return touch


def _recent_contact(campaign: Campaign, contacts: list[engine.Contact]) -> engine.Contact | None:
    days = campaign.exclude_contacted_days
    if not days:
        return None
    since = campaign.starts_on - dt.timedelta(days=days)
    recent = [c for c in contacts if not c.planned and since <= c.day < campaign.starts_on]
    return max(recent, key=lambda c: c.day, default=None)


@transaction.atomic
def build_audience(*, campaign: Campaign, actor: User) -> dict[str, int]:
    """(Re)build the campaign's touches: touches already done stay, the rest are planned
    afresh. Returns how many are planned, moved and left out."""
    _check_writer(actor, campaign.organisation_id)
    if campaign.status not in EDITABLE:
        raise ValidationError(_("A finished or cancelled campaign cannot change."))
    campaign.touches.exclude(status=CampaignTouch.Status.DONE).delete()
    done = campaign.touches.values("account_id")
    accounts = list(audience_of(campaign, actor).exclude(pk__in=done).order_by("pk"))
    start = campaign.starts_on - dt.timedelta(days=max(campaign.exclude_contacted_days or 0, 181))
    end = campaign.ends_on + dt.timedelta(days=181)
    contacts = contacts_of([a.pk for a in accounts], start, end) if accounts else {}
    book = PolicyBook(campaign.organisation_id)
    touches = [_plan_touch(campaign, a, contacts.get(a.pk, []), book) for a in accounts]
    CampaignTouch.objects.bulk_create(touches, batch_size=1000)
    campaign.status = Campaign.Status.PLANNED
    campaign.audience_built_at = timezone.now()
    campaign.save(update_fields=["status", "audience_built_at", "updated_at"])
    moved = sum(1 for t in touches if t.reason.get("code") == MOVED)
    left_out = sum(1 for t in touches if t.status == CampaignTouch.Status.EXCLUDED)
    return {"planned": len(touches) - left_out, "moved": moved, "excluded": left_out}


@transaction.atomic
def record_touches(
    *,
    campaign: Campaign,
    actor: User,
    up_to: dt.date | None = None,
    accounts: Iterable[int] | None = None,
) -> int:
    """Record the planned touches due by `up_to` (today) as done: each becomes a campaign
    interaction on its account's timeline. Returns how many."""
    _check_writer(actor, campaign.organisation_id)
    if campaign.status != Campaign.Status.PLANNED:
        raise ValidationError(_("Build the audience first; a finished campaign records nothing."))
    day = up_to or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError(_("Touches are recorded once they happened."))
    touches = campaign.touches.filter(status=CampaignTouch.Status.PLANNED, planned_on__lte=day)
    if accounts is not None:
        touches = touches.filter(account_id__in=list(accounts))
    rows = list(touches.select_related("account"))
    now = timezone.now()
    interactions = [_touch_interaction(campaign, t, actor, now) for t in rows]
    Interaction.objects.bulk_create(interactions, batch_size=1000)
    for touch, interaction in zip(rows, interactions, strict=True):
        touch.status = CampaignTouch.Status.DONE
        touch.interaction = interaction
    CampaignTouch.objects.bulk_update(rows, ["status", "interaction"], batch_size=1000)
    return len(rows)


def _touch_interaction(
    campaign: Campaign, touch: CampaignTouch, actor: User | None, now: dt.datetime
) -> Interaction:
    assert touch.planned_on is not None
    on_day = timezone.make_aware(dt.datetime.combine(touch.planned_on, dt.time(12, 0)))
    return Interaction(
        organisation_id=campaign.organisation_id, account=touch.account,
        kind=Interaction.Kind.CAMPAIGN, team=campaign.team, user=actor,
        occurred_at=min(on_day, now), subject=campaign.name,
        campaign=campaign,
    )  # fmt: skip


@transaction.atomic
def record_touch(
    *, campaign: Campaign, account: Account, day: dt.date, actor: User | None
) -> CampaignTouch:
    """Record that the campaign reached one account on a day (e.g. from the sending
    platform's log), whether or not it was in the built audience."""
    if account.organisation_id != campaign.organisation_id:
        raise ValidationError(_("This account belongs to another organisation."))
    if campaign.status == Campaign.Status.CANCELLED:
        raise ValidationError(_("This campaign was cancelled."))
    if day > timezone.localdate():
        raise ValidationError(_("Touches are recorded once they happened."))
    touch, _created = CampaignTouch.objects.get_or_create(campaign=campaign, account=account)
    if touch.status == CampaignTouch.Status.DONE:
        return touch
    touch.planned_on = day
    touch.status = CampaignTouch.Status.DONE
    interaction = _touch_interaction(campaign, touch, actor, timezone.now())
    interaction.save()
    touch.interaction = interaction
    touch.save(update_fields=["planned_on", "status", "interaction"])
    return touch


@transaction.atomic
def close_campaign(*, campaign: Campaign, actor: User, cancel: bool = False) -> Campaign:
    """Finish (or cancel) a campaign: touches still planned are marked not done."""
    _check_writer(actor, campaign.organisation_id)
    if campaign.status not in EDITABLE:
        raise ValidationError(_("This campaign is already closed."))
    campaign.touches.filter(status=CampaignTouch.Status.PLANNED).update(
        status=CampaignTouch.Status.SKIPPED
    )
    campaign.status = Campaign.Status.CANCELLED if cancel else Campaign.Status.FINISHED
    campaign.save(update_fields=["status", "updated_at"])
    return campaign
