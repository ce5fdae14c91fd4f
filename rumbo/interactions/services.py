"""Writes on the account timeline: logging an interaction, service tickets from opening to
resolution, and the contact policies. Campaigns are in campaigns.py, rep plans in planning.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rumbo.core import audit
from rumbo.core.models import Organisation, Role, Team, User
from rumbo.core.services import next_number
from rumbo.customers.models import Account, Channel
from rumbo.interactions.models import ContactPolicy, Interaction, PlannedActivity, Ticket

# A few minutes of clock drift between a phone and the server are not "the future".
FUTURE_TOLERANCE = dt.timedelta(minutes=10)
TICKET_FIELDS = {"topic", "subject", "description", "priority", "received_via", "team", "due_on"}


def _check_account(actor: User, account: Account) -> None:
    """The actor must see the account (the views found it through visible_to already; the API
    and imports rely on this check)."""
    if not Account.objects.visible_to(actor).filter(pk=account.pk).exists():
        raise PermissionDenied(_("This account is not yours."))


def _check_person(organisation_id: int, person: User | None, field: str) -> None:
    if person is not None and (person.organisation_id != organisation_id or not person.is_active):
        raise ValidationError({field: _("Choose an active person of your organisation.")})


@transaction.atomic
def log_interaction(
    *,
    account: Account,
    kind: str,
    actor: User,
    occurred_at: dt.datetime | None = None,
    outcome: str = "",
    subject: str = "",
    notes: str = "",
    duration_min: int | None = None,
    follow_up_on: dt.date | None = None,
    follow_up_rep: User | None = None,
) -> Interaction:
    """Record a contact or a note, by the actor's team; optionally plan a follow-up (which is
    planned even when it breaks the contact policy, and marked so)."""
    _check_account(actor, account)
    when = occurred_at or timezone.now()
    if when > timezone.now() + FUTURE_TOLERANCE:
        raise ValidationError({"occurred_at": _("An interaction is logged once it happened.")})
    interaction = Interaction(
        organisation_id=account.organisation_id, account=account, kind=kind, team=actor.team,
        user=actor, occurred_at=when, outcome=outcome, subject=subject, notes=notes,
        duration_min=duration_min,
    )  # fmt: skip
    interaction.full_clean()
    interaction.save()
    if follow_up_on is not None:
        from rumbo.interactions.planning import plan_follow_up

        plan_follow_up(
            account=account, day=follow_up_on, actor=actor, rep=follow_up_rep,
            title=subject or interaction.get_kind_display(),
            source=PlannedActivity.Source.INTERACTION,
        )  # fmt: skip
    return interaction


@transaction.atomic
def open_ticket(
    *,
    account: Account,
    actor: User | None,
    topic: str,
    subject: str,
    description: str = "",
    priority: str = Ticket.Priority.NORMAL,
    received_via: str = "",
    assigned_to: User | None = None,
    due_on: dt.date | None = None,
    team: str | None = None,
    external_code: str = "",
    opened_at: dt.datetime | None = None,
) -> Ticket:
    """Open a ticket on an account the actor sees (actor None: an import run by the system);
    it is numbered T-00001, T-00002, ..."""
    if actor is not None:
        _check_account(actor, account)
    _check_person(account.organisation_id, assigned_to, "assigned_to")
    ticket = Ticket(
        organisation_id=account.organisation_id, account=account, topic=topic,
        subject=subject, description=description, priority=priority,
        received_via=received_via, assigned_to=assigned_to, due_on=due_on,
        team=team or (actor.team if actor and actor.team != Team.SALES else Team.SERVICE),
        external_code=external_code, opened_by=actor, opened_at=opened_at or timezone.now(),
        number=0,
    )  # fmt: skip
    ticket.full_clean(exclude=["number"])
    ticket.number = next_number(organisation_id=account.organisation_id, name="ticket")
    ticket.save()
    return ticket


@transaction.atomic
def update_ticket(
    *, ticket: Ticket, actor: User | None, assigned_to: Any = ..., **fields: Any
) -> Ticket:
    """Change what a ticket is about, its priority, due date or who handles it."""
    unknown = set(fields) - TICKET_FIELDS
    if unknown:
        raise ValueError(f"Not ticket fields: {sorted(unknown)}")
    if assigned_to is not ...:
        _check_person(ticket.organisation_id, assigned_to, "assigned_to")
        ticket.assigned_to = assigned_to
    for name, value in fields.items():
        setattr(ticket, name, value)
    ticket.full_clean()
    ticket.save()
    return ticket


@transaction.atomic
def close_ticket(
    *,
    ticket: Ticket,
    actor: User | None,
    resolution: str,
    closed_at: dt.datetime | None = None,
    follow_up_on: dt.date | None = None,
) -> Ticket:
    """Close an open ticket with what was done; optionally plan the rep's follow-up visit."""
    if not ticket.is_open:
        raise ValidationError(_("This ticket is already closed."))
    if not resolution.strip():
        raise ValidationError({"resolution": _("Say how the ticket was resolved.")})
    closed = closed_at or timezone.now()
    if closed < ticket.opened_at:
        raise ValidationError({"closed_at": _("A ticket cannot close before it opened.")})
    ticket.status = Ticket.Status.CLOSED
    ticket.resolution = resolution.strip()
    ticket.closed_by = actor
    ticket.closed_at = closed
    ticket.save(update_fields=["status", "resolution", "closed_by", "closed_at", "updated_at"])
    if follow_up_on is not None and actor is not None:
        from rumbo.interactions.planning import plan_follow_up

        plan_follow_up(
            account=ticket.account, day=follow_up_on, actor=actor, ticket=ticket,
            title=_("After ticket %(ref)s: %(subject)s")
            % {"ref": ticket.reference, "subject": ticket.subject},
            source=PlannedActivity.Source.TICKET,
        )  # fmt: skip
    return ticket


@transaction.atomic
def reopen_ticket(*, ticket: Ticket, actor: User | None) -> Ticket:
    """Open a closed ticket again (the problem came back); the resolution is kept."""
    if ticket.is_open:
        raise ValidationError(_("This ticket is open already."))
    ticket.status = Ticket.Status.OPEN
    ticket.closed_at = None
    ticket.closed_by = None
    ticket.save(update_fields=["status", "closed_at", "closed_by", "updated_at"])
    return ticket


def may_edit_policies(user: User) -> bool:
    return user.role in (Role.ADMIN, Role.MANAGER)


@transaction.atomic
def save_contact_policy(
    *,
    organisation: Organisation,
    actor: User,
    channel: Channel | None,
    min_days_between: int,
    max_per_month: int | None,
    min_per_month: int,
    segment: str = "",
) -> ContactPolicy:
    """Create or change the policy of a channel or of a segment (or the general one, with
    neither); a policy never names both."""
    if not may_edit_policies(actor) or actor.organisation_id != organisation.pk:
        raise PermissionDenied(_("Only administrators and managers change contact policies."))
    if channel is not None and channel.organisation_id != organisation.pk:
        raise ValidationError({"channel": _("This belongs to another organisation.")})
    policy = ContactPolicy.objects.filter(
        organisation=organisation, channel=channel, segment=segment
    ).first()
    before = _policy_figures(policy)
    policy = policy or ContactPolicy(organisation=organisation, channel=channel, segment=segment)
    policy.min_days_between = min_days_between
    policy.max_per_month = max_per_month
    policy.min_per_month = min_per_month
    policy.updated_by = actor
    policy.full_clean(validate_constraints=False)
    _check_figures(policy)
    policy.save()
    after = _policy_figures(policy)
    changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    if changes:
        audit.record(
            actor=actor, obj=policy, action="update" if before else "create", changes=changes
        )
    return policy


def _policy_figures(policy: ContactPolicy | None) -> dict[str, Any]:
    if policy is None:
        return {}
    return {
        "min_days_between": policy.min_days_between,
        "max_per_month": policy.max_per_month,
        "min_per_month": policy.min_per_month,
    }


def _check_figures(policy: ContactPolicy) -> None:
    most = policy.max_per_month
    if most is not None and most < max(1, policy.min_per_month):
        raise ValidationError(
            {"max_per_month": _("The most per month must be at least 1 and the fewest.")}
        )


@transaction.atomic
def delete_contact_policy(*, policy: ContactPolicy, actor: User) -> None:
    if not may_edit_policies(actor) or actor.organisation_id != policy.organisation_id:
        raise PermissionDenied(_("Only administrators and managers change contact policies."))
    figures = _policy_figures(policy)
    changes = {k: [v, None] for k, v in figures.items()}
    audit.record(actor=actor, obj=policy, action="delete", changes=changes)
    policy.delete()
