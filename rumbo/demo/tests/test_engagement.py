"""The tiny demo company beyond sales: contact policies, service tickets, campaigns, prospects
and the reps' plans exist, hold together and are scoped as the rest of the demo."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest
from django.db.models import F, Max
from django.utils import timezone

from rumbo.core.models import Counter, Role, Team, User
from rumbo.coverage.models import Segment
from rumbo.customers.models import Account
from rumbo.demo.services import LoadReport
from rumbo.demo.tests.conftest import END
from rumbo.interactions.models import (
    Campaign,
    CampaignTouch,
    ContactPolicy,
    Interaction,
    PlannedActivity,
    Ticket,
)
from rumbo.prospects.models import Appointment, Prospect, ProspectTouch
from rumbo.territories.models import Assignment, AssignmentRole

pytestmark = pytest.mark.django_db
END_OF_HISTORY = timezone.make_aware(dt.datetime.combine(END, dt.time.max))


def _viewer(demo: LoadReport, team: str) -> User:
    return User.objects.get(organisation=demo.organisation, role=Role.VIEWER, team=team)


def _covering(demo: LoadReport) -> dict[int, int]:
    """Territory id → the rep covering it today."""
    rows = Assignment.objects.active_on().filter(
        organisation=demo.organisation, role=AssignmentRole.REP
    )
    return dict(rows.values_list("territory_id", "user_id"))


def test_there_is_a_general_contact_policy_and_one_per_segment(demo: LoadReport) -> None:
    policies = ContactPolicy.objects.filter(organisation=demo.organisation)
    assert policies.filter(channel=None, segment="").count() == 1
    assert set(policies.exclude(segment="").values_list("segment", flat=True)) == set(
        Segment.values
    )
    for policy in policies:
        policy.full_clean()
        assert policy.max_per_month is None or policy.max_per_month >= policy.min_per_month
    assert demo.rows["interactions.ContactPolicy"] == policies.count()


def test_closed_tickets_fall_inside_the_history_and_are_numbered_in_order(
    demo: LoadReport,
) -> None:
    org = demo.organisation
    tickets = Ticket.objects.filter(organisation=org)
    closed = tickets.filter(status=Ticket.Status.CLOSED)
    assert closed.count() >= 3
    assert not closed.filter(closed_at__lt=F("opened_at")).exists()
    assert not closed.filter(closed_at__gt=END_OF_HISTORY).exists()
    assert not closed.filter(opened_at__lt=F("account__opened_on")).exists()
    assert not closed.exclude(resolution__gt="").exists()
    service = _viewer(demo, Team.SERVICE)
    assert set(tickets.values_list("opened_by", flat=True)) == {service.pk}
    numbers = sorted(tickets.values_list("number", flat=True))
    assert numbers == list(range(1, len(numbers) + 1))
    counter = Counter.objects.get(organisation=org, name="ticket")
    assert counter.value == tickets.aggregate(m=Max("number"))["m"]
    # Tickets are on the timeline through their own rows, not as interactions.
    assert not Interaction.objects.filter(organisation=org, kind="ticket").exists()
    for ticket in tickets[:20]:
        ticket.full_clean()


def test_open_tickets_are_on_active_accounts_with_a_rep_following_them_up(
    demo: LoadReport,
) -> None:
    open_tickets = Ticket.objects.filter(organisation=demo.organisation).open()
    assert open_tickets.count() >= 3
    assert not open_tickets.exclude(account__status=Account.Status.ACTIVE).exists()
    assert not open_tickets.filter(opened_at__gt=END_OF_HISTORY).exists()
    covering = _covering(demo)
    for ticket in open_tickets.select_related("account"):
        follow_up = PlannedActivity.objects.get(ticket=ticket)
        assert follow_up.account_id == ticket.account_id
        assert follow_up.rep_id == covering.get(ticket.account.territory_id or 0)
        assert follow_up.day >= timezone.localdate()


def test_campaign_touches_of_the_history_belong_to_finished_campaigns(demo: LoadReport) -> None:
    org = demo.organisation
    marketing = _viewer(demo, Team.MARKETING)
    finished = Campaign.objects.filter(organisation=org, status=Campaign.Status.FINISHED)
    assert finished.exists()
    assert set(Campaign.objects.filter(organisation=org).values_list("owner", flat=True)) == {
        marketing.pk
    }
    touches = Interaction.objects.filter(organisation=org, kind="campaign")
    assert touches.exists()
    assert not touches.filter(campaign=None).exists()
    done = CampaignTouch.objects.filter(campaign__in=finished)
    assert done.count() == touches.count()
    assert not done.exclude(status=CampaignTouch.Status.DONE).exists()
    assert not done.exclude(account=F("interaction__account")).exists()
    assert not done.exclude(campaign=F("interaction__campaign")).exists()
    assert not done.filter(planned_on__lt=F("campaign__starts_on")).exists()
    assert not done.filter(planned_on__gt=END).exists()


def test_a_campaign_about_to_start_has_its_audience_built(demo: LoadReport) -> None:
    upcoming = Campaign.objects.get(organisation=demo.organisation, status="planned")
    assert upcoming.starts_on > timezone.localdate()
    assert upcoming.audience_built_at is not None
    touches = upcoming.touches.all()
    assert touches.filter(status=CampaignTouch.Status.PLANNED).exists()
    channels = set(upcoming.audience_channels.values_list("pk", flat=True))
    assert not touches.exclude(account__channel__in=channels).exists()
    assert not touches.exclude(account__status=Account.Status.ACTIVE).exists()
    assert not touches.filter(planned_on__lt=upcoming.starts_on).exists()


def test_every_rep_has_a_pipeline_in_the_territory_they_cover(demo: LoadReport) -> None:
    prospects = Prospect.objects.filter(organisation=demo.organisation)
    covering = _covering(demo)
    assert set(prospects.values_list("owner", flat=True)) == set(covering.values())
    for p in prospects:
        assert p.territory_id is not None
        assert covering[p.territory_id] == p.owner_id
        assert p.distrito_id in demo.territory_districts[p.territory_id]
        p.full_clean()
    statuses = set(prospects.values_list("status", flat=True))
    assert {"new", "contacted", "appointment", "won", "lost"} <= statuses
    assert not prospects.filter(status="lost", lost_reason="").exists()
    assert prospects.filter(score__gt=0).exists()
    touches = ProspectTouch.objects.filter(prospect__organisation=demo.organisation)
    assert not touches.filter(occurred_at__gt=END_OF_HISTORY).exists()
    assert not touches.filter(occurred_at__lt=F("prospect__created_at")).exists()
    assert not prospects.filter(status="new").filter(touches__isnull=False).exists()


def test_won_prospects_became_accounts_opened_lately(demo: LoadReport) -> None:
    won = Prospect.objects.filter(organisation=demo.organisation, status="won")
    assert won.exists()
    for p in won.select_related("account"):
        assert p.account is not None and p.converted_at is not None
        assert p.account.territory_id == p.territory_id
        assert p.converted_at.date() == p.account.opened_on
        assert not p.touches.filter(occurred_at__gte=p.converted_at).exists()


def test_appointments_are_booked_in_the_coming_days_without_overlaps(demo: LoadReport) -> None:
    appointments = Appointment.objects.filter(organisation=demo.organisation)
    assert appointments.exists()
    today = timezone.localdate()
    assert not appointments.filter(day__lte=today).exists()
    assert not appointments.filter(day__gt=today + dt.timedelta(days=14)).exists()
    assert not appointments.exclude(rep=F("prospect__owner")).exists()
    assert not appointments.exclude(prospect__status="appointment").exists()
    slots = list(appointments.values_list("rep", "day", "start_time"))
    assert len(slots) == len(set(slots))
    booked = Prospect.objects.filter(organisation=demo.organisation, status="appointment")
    assert not booked.filter(appointments__isnull=True).exists()


def test_every_rep_has_a_plan_for_today_and_the_next_days_on_their_accounts(
    demo: LoadReport,
) -> None:
    org = demo.organisation
    today = timezone.localdate()
    plans = PlannedActivity.objects.filter(organisation=org)
    assert not plans.filter(day__lt=today).exists()
    days: dict[int, set[dt.date]] = defaultdict(set)
    for rep_id, day in plans.values_list("rep", "day"):
        days[rep_id].add(day)
    covering = _covering(demo)
    assert set(days) == set(covering.values())
    assert all(today in d and len(d) >= 4 for d in days.values())
    contacts = plans.exclude(kind="task").select_related("account")
    assert not contacts.filter(account=None).exists()
    assert not contacts.exclude(account__status=Account.Status.ACTIVE).exists()
    for plan in contacts:
        assert plan.account is not None
        assert covering.get(plan.account.territory_id or 0) == plan.rep_id
    assert {"manager", "self", "ticket"} <= set(plans.values_list("source", flat=True))


def test_the_new_rows_point_to_existing_rows(demo: LoadReport) -> None:
    users, accounts = User.objects.values("pk"), Account.objects.values("pk")
    references = [
        (Ticket, "account", accounts),
        (Ticket, "opened_by", users),
        (Ticket, "closed_by", users),
        (Ticket, "assigned_to", users),
        (CampaignTouch, "campaign", Campaign.objects.values("pk")),
        (CampaignTouch, "account", accounts),
        (CampaignTouch, "interaction", Interaction.objects.values("pk")),
        (Interaction, "campaign", Campaign.objects.values("pk")),
    ]
    for model, field, parents in references:
        rows = model._default_manager.filter(**{f"{field}__isnull": False})
        assert rows.exists(), (model, field)
        assert not rows.exclude(**{f"{field}__in": parents}).exists(), (model, field)
