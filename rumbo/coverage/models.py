"""The coverage model: segments of accounts, the strategy each segment gets (objective, visit
frequency and duration), per-account overrides, and a monthly snapshot of every account's
segment, value, cost to serve, potential and workload (the history behind segment migration).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from rumbo.catalog.models import Product
from rumbo.core.fields import money_field
from rumbo.core.models import Organisation
from rumbo.customers.models import Account
from rumbo.territories.models import Territory
from rumbo.territories.scoping import restrict

if TYPE_CHECKING:
    from rumbo.core.models import AnyUser


class Segment(models.TextChoices):
    """ABC by revenue share, plus accounts too new to judge."""

    A = "A", _("A · most revenue")
    B = "B", _("B · middle")
    C = "C", _("C · long tail")
    NEW = "N", _("N · new")


# Best first: migration from a later to an earlier label is an upgrade.
SEGMENT_ORDER = (Segment.A, Segment.B, Segment.C, Segment.NEW)


class Objective(models.TextChoices):
    GROW = "grow", _("Grow")
    RETAIN = "retain", _("Retain")
    MAINTAIN = "maintain", _("Maintain")
    LOW_COST = "low_cost", _("Serve at low cost")


class Frequency(models.TextChoices):
    TWICE_WEEKLY = "2w", _("Twice a week")
    WEEKLY = "1w", _("Weekly")
    FORTNIGHTLY = "2wk", _("Every two weeks")
    MONTHLY = "1m", _("Monthly")
    PHONE = "phone", _("Phone only")
    SELF = "self", _("Self-order only")


# Visits a month of each frequency (52 weeks / 12 months = 4.33 weeks a month).
VISITS_PER_MONTH: dict[str, float] = {
    Frequency.TWICE_WEEKLY: 2 * 52 / 12,
    Frequency.WEEKLY: 52 / 12,
    Frequency.FORTNIGHTLY: 26 / 12,
    Frequency.MONTHLY: 1.0,
    Frequency.PHONE: 0.0,
    Frequency.SELF: 0.0,
}


class Quadrant(models.TextChoices):
    BEST = "best", _("Best: high value, little effort")
    DEMANDING = "demanding", _("Worth the effort: high value, high effort")
    LIGHT = "light", _("Light: little value, little effort")
    COSTLY = "costly", _("Costly: little value, high effort")


def _pct(name: Any, default: str) -> models.DecimalField:
    return models.DecimalField(
        name,
        max_digits=5,
        decimal_places=2,
        default=Decimal(default),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("99.99"))],
    )


class CoverageSettings(models.Model):
    """How an organisation segments: the ABC cut-offs and the travel assumptions."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="coverage_settings"
    )
    a_share_pct = _pct(_("A: share of revenue (%)"), "80")
    b_share_pct = _pct(_("B: share of revenue (%)"), "15")
    new_months = models.PositiveSmallIntegerField(
        _("months an account counts as new"),
        default=6,
        validators=[MaxValueValidator(24)],
        help_text=_("Accounts opened more recently than this are segment N, whatever they sold."),
    )
    speed_kmh = models.DecimalField(
        _("average speed between accounts (km/h)"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("20"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("120"))],
    )
    detour = models.DecimalField(
        _("road detour factor"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.3"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("3"))],
    )

    class Meta:
        verbose_name = _("coverage settings")
        verbose_name_plural = _("coverage settings")

    def __str__(self) -> str:
        return str(self.organisation)

    @property
    def shares(self) -> tuple[float, float, float]:
        a, b = float(self.a_share_pct) / 100, float(self.b_share_pct) / 100
        return (a, b, max(1.0 - a - b, 0.0))


class SegmentStrategy(models.Model):
    """What one segment gets: an objective, a visit frequency and a visit duration."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    segment = models.CharField(_("segment"), max_length=1, choices=Segment.choices)
    objective = models.CharField(_("objective"), max_length=10, choices=Objective.choices)
    frequency = models.CharField(_("visit frequency"), max_length=5, choices=Frequency.choices)
    visit_min = models.PositiveSmallIntegerField(
        _("visit duration (min)"), validators=[MinValueValidator(1), MaxValueValidator(480)]
    )
    notes = models.CharField(_("how to serve them"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("segment strategy")
        verbose_name_plural = _("segment strategies")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "segment"], name="one_strategy_per_segment"
            )
        ]
        ordering = ["segment"]

    def __str__(self) -> str:
        return f"{self.get_segment_display()}: {self.get_frequency_display()}"


class AccountPlanQuerySet(models.QuerySet["AccountPlan"]):
    def visible_to(self, user: AnyUser) -> AccountPlanQuerySet:
        return restrict(
            self, user, territory="account__territory_id", organisation="account__organisation_id"
        )


class AccountPlan(models.Model):
    """One account's own coverage: overrides of its segment's strategy and its objectives."""

    account = models.OneToOneField(Account, on_delete=models.CASCADE, related_name="coverage")
    objective = models.CharField(
        _("objective"), max_length=10, choices=Objective.choices, blank=True
    )
    frequency = models.CharField(
        _("visit frequency"), max_length=5, choices=Frequency.choices, blank=True
    )
    visit_min = models.PositiveSmallIntegerField(
        _("visit duration (min)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(480)],
    )
    target_amount = money_field(
        _("yearly target amount"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    introduce = models.ManyToManyField(
        Product, verbose_name=_("products to introduce"), blank=True, related_name="+"
    )
    reason = models.CharField(_("why"), max_length=300, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = AccountPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("account coverage plan")
        verbose_name_plural = _("account coverage plans")

    def __str__(self) -> str:
        return str(self.account)

    @property
    def overrides(self) -> bool:
        return bool(self.objective or self.frequency or self.visit_min)


class SnapshotQuerySet(models.QuerySet["AccountSegment"]):
    def visible_to(self, user: AnyUser) -> SnapshotQuerySet:
        return restrict(self, user, territory="territory_id")


class AccountSegment(models.Model):
    """An account's segment and coverage figures as of the first day of a month, computed
    from the 12 months before it (see rumbo.coverage.adapters). Recomputed, never edited."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="segments")
    month = models.DateField(_("month"))
    territory = models.ForeignKey(
        Territory, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    segment = models.CharField(_("segment"), max_length=1, choices=Segment.choices)
    revenue_12m = money_field(_("sales, last 12 months"))
    revenue_share = models.FloatField(_("share of revenue"))
    orders_12m = models.PositiveIntegerField(_("orders, last 12 months"))
    visits_12m = models.PositiveIntegerField(_("visits, last 12 months"))
    recency_days = models.PositiveIntegerField(_("days since the last order"), null=True)
    rfm = models.CharField(_("RFM"), max_length=3)
    cost_to_serve_12m = money_field(_("cost to serve, last 12 months"))
    quadrant = models.CharField(_("value × effort"), max_length=9, choices=Quadrant.choices)
    potential_12m = money_field(_("potential a year"))
    travel_min = models.FloatField(_("travel per visit (min)"))
    visits_planned = models.FloatField(_("visits a month, as planned"))
    workload_min = models.FloatField(_("workload a month (min)"))

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("account segment")
        verbose_name_plural = _("account segments")
        constraints = [
            models.UniqueConstraint(fields=["account", "month"], name="one_segment_per_month")
        ]
        indexes = [
            models.Index(fields=["organisation", "month", "segment"]),
            models.Index(fields=["territory", "month"]),
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.month:%Y-%m}: {self.segment}"

    @property
    def captured_pct(self) -> float | None:
        if not self.potential_12m:
            return None
        return float(self.revenue_12m) / float(self.potential_12m) * 100
