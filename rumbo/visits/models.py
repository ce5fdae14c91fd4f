"""Visit planning: each account's call plan (weekdays it prefers or refuses, priority), the
organisation's routing settings (travel speeds, lunch), and the multi-week plans Rumbo makes
for a rep. A plan's visits are the rep's PlannedActivity rows (source "rumbo"), so they appear
in the rep's day and on the account's timeline; `Stop` adds their order and the travel to them.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from rumbo.core.models import Job, Organisation
from rumbo.customers.models import Account
from rumbo.interactions.models import Interaction, PlannedActivity
from rumbo.territories.scoping import restrict

if TYPE_CHECKING:
    from rumbo.core.models import AnyUser

WEEKDAY_CHOICES = [
    (0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")),
    (4, _("Friday")), (5, _("Saturday")),
]  # fmt: skip


class CallPlanQuerySet(models.QuerySet["CallPlan"]):
    def visible_to(self, user: AnyUser) -> CallPlanQuerySet:
        return restrict(
            self, user, territory="account__territory_id", organisation="account__organisation_id"
        )


class CallPlan(models.Model):
    """When an account wants its visits; how often and how long come from its coverage plan."""

    class Priority(models.IntegerChoices):
        LOW = 0, _("Low")
        NORMAL = 1, _("Normal")
        HIGH = 2, _("High")

    account = models.OneToOneField(Account, on_delete=models.CASCADE, related_name="call_plan")
    preferred_weekdays = models.JSONField(_("preferred days"), default=list, blank=True)
    forbidden_weekdays = models.JSONField(_("never on"), default=list, blank=True)
    priority = models.PositiveSmallIntegerField(
        _("priority"),
        choices=Priority.choices,
        default=Priority.NORMAL,
        help_text=_("When not everything fits, the lowest priority is left out first."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = CallPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("call plan")
        verbose_name_plural = _("call plans")

    def __str__(self) -> str:
        return str(self.account)


class RoutingSettings(models.Model):
    """How Rumbo estimates travel and where it puts lunch, per organisation."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="routing_settings"
    )
    circuity = models.FloatField(
        _("road detour factor"),
        default=1.35,
        validators=[MinValueValidator(1.0), MaxValueValidator(3.0)],
        help_text=_("Road distance ÷ straight-line distance."),
    )
    urban_kmh = models.FloatField(
        _("speed in town (km/h)"),
        default=18.0,
        validators=[MinValueValidator(3), MaxValueValidator(120)],
    )
    rural_kmh = models.FloatField(
        _("speed in the country (km/h)"),
        default=45.0,
        validators=[MinValueValidator(3), MaxValueValidator(120)],
    )
    access_min = models.FloatField(
        _("parking and walking (min)"),
        default=3.0,
        validators=[MinValueValidator(0), MaxValueValidator(60)],
    )
    lunch_from = models.TimeField(_("lunch not before"), default=dt.time(12, 30))
    lunch_until = models.TimeField(_("lunch over by"), default=dt.time(15, 0))
    lunch_min = models.PositiveSmallIntegerField(
        _("lunch (min)"), default=45, validators=[MaxValueValidator(180)]
    )

    class Meta:
        verbose_name = _("routing settings")
        verbose_name_plural = _("routing settings")

    def __str__(self) -> str:
        return str(self.organisation)


class VisitPlanQuerySet(models.QuerySet["VisitPlan"]):
    def visible_to(self, user: AnyUser) -> VisitPlanQuerySet:
        """A rep's own plans; a manager's team's; everyone's for admins and viewers."""
        return restrict(self, user, person="rep_id")


class VisitPlan(models.Model):
    """One planning run for a rep over 1–4 weeks: its figures and the visits it left out."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="visit_plans"
    )
    starts_on = models.DateField(_("first day"))
    weeks = models.PositiveSmallIntegerField(
        _("weeks"), default=2, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    time_limit_s = models.PositiveSmallIntegerField(
        _("time limit (s)"), default=20, validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    job = models.ForeignKey(Job, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    summary = models.JSONField(default=dict, blank=True)
    dropped = models.JSONField(default=list, blank=True)  # [{account, name, day, reason}]
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VisitPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit plan")
        verbose_name_plural = _("visit plans")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.rep} {self.starts_on} ({self.weeks})"


class Stop(models.Model):
    """A planned visit's place in its day's route: order, and travel from the stop before."""

    activity = models.OneToOneField(PlannedActivity, on_delete=models.CASCADE, related_name="stop")
    plan = models.ForeignKey(VisitPlan, on_delete=models.SET_NULL, null=True, related_name="stops")
    sequence = models.PositiveSmallIntegerField()
    travel_min = models.FloatField(default=0)
    distance_km = models.FloatField(default=0)
    window = models.CharField(max_length=20, blank=True)  # the opening hours the visit falls in

    class Meta:
        ordering = ["activity__day", "sequence"]

    def __str__(self) -> str:
        return f"{self.activity.day} #{self.sequence}"


class CheckInQuerySet(models.QuerySet["CheckIn"]):
    def visible_to(self, user: AnyUser) -> CheckInQuerySet:
        return restrict(self, user, person="rep_id")


class CheckIn(models.Model):
    """A visit as it happened: the phone's position and time on arrival and departure, and its
    outcome. Its key is made by the phone, so a check-in sent twice (offline, retried) is kept
    once; without `activity` the visit was not in the plan."""

    class NoOrderReason(models.TextChoices):
        STOCKED = "stocked", _("Still has stock")
        MONEY = "money", _("No money today")
        OWNER = "owner", _("The buyer was not there")
        COMPETITOR = "competitor", _("Bought from a competitor")
        OTHER = "other", _("Other")

    Outcome = Interaction.Outcome
    OUTCOMES = (Outcome.ORDER, Outcome.NO_ORDER, Outcome.CLOSED)

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    rep = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="check_ins")
    activity = models.OneToOneField(
        PlannedActivity, on_delete=models.SET_NULL, null=True, blank=True, related_name="check_in"
    )
    key = models.UUIDField(_("key"), primary_key=True)
    checked_in_at = models.DateTimeField(_("arrived"))
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    accuracy_m = models.FloatField(null=True, blank=True)
    distance_m = models.FloatField(_("distance to the account (m)"), null=True, blank=True)
    far = models.BooleanField(_("far from the account"), default=False)
    checked_out_at = models.DateTimeField(_("left"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    reason = models.CharField(
        _("why no order"), max_length=12, choices=NoOrderReason.choices, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    order = models.ForeignKey(
        "orders.Order", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    interaction = models.OneToOneField(
        Interaction, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    received_at = models.DateTimeField(auto_now_add=True)

    objects = CheckInQuerySet.as_manager()

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-checked_in_at"]
        indexes = [models.Index(fields=["rep", "checked_in_at"])]

    def __str__(self) -> str:
        return f"{self.account} {self.checked_in_at:%Y-%m-%d %H:%M}"

    @property
    def minutes(self) -> float | None:
        if self.checked_out_at is None:
            return None
        return (self.checked_out_at - self.checked_in_at).total_seconds() / 60
