"""Quota plans: a year's target for a part of the territory tree (the whole company or a
region), allocated to its regions, territories and reps by a method the manager chooses and
spread over the months, adjusted by hand, and published as targets (rumbo.targets). A published
plan is never changed again: the next change is a new version, so the plans are the history of
how each year's quotas were set."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from rumbo.core.models import Organisation, Role
from rumbo.seasons.models import SeasonRun
from rumbo.targets.models import Measure, MonthlyDistribution
from rumbo.territories.models import Territory
from rumbo.territories.scoping import restrict

if TYPE_CHECKING:
    from rumbo.core.models import AnyUser


class Method(models.TextChoices):
    FORECAST = "forecast", _("Forecast share")
    POTENTIAL = "potential", _("Potential share")
    LAST_YEAR = "last_year", _("Last year's share")
    BLEND = "blend", _("A blend of the three")


class MonthsBy(models.TextChoices):
    PROFILE = "profile", _("Each one's seasonal profile")
    DISTRIBUTION = "distribution", _("A monthly distribution")
    EVEN = "even", _("Equal months")


class QuotaPlanQuerySet(models.QuerySet["QuotaPlan"]):
    def visible_to(self, user: AnyUser) -> QuotaPlanQuerySet:
        """Admins see every plan; managers the plans of a part of their subtree."""
        if getattr(user, "role", None) not in (Role.ADMIN, Role.MANAGER):
            return self.none()
        if not getattr(user, "sees_amounts", True):
            return self.none()
        return restrict(self, user, territory="root_id")


class QuotaPlan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        SUPERSEDED = "superseded", _("Replaced by a later version")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    root = models.ForeignKey(
        Territory,
        verbose_name=_("for"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The plan shares this part of the tree's target among what is below it."),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    measure = models.CharField(_("measure"), max_length=10, choices=Measure.choices)
    total = models.DecimalField(
        _("target for the year"),
        max_digits=16,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    method = models.CharField(_("allocate by"), max_length=10, choices=Method.choices)
    weight_forecast = models.PositiveSmallIntegerField(
        _("forecast weight (%)"), default=50, validators=[MaxValueValidator(100)]
    )
    weight_potential = models.PositiveSmallIntegerField(
        _("potential weight (%)"), default=25, validators=[MaxValueValidator(100)]
    )
    weight_last_year = models.PositiveSmallIntegerField(
        _("last year weight (%)"), default=25, validators=[MaxValueValidator(100)]
    )
    months_by = models.CharField(
        _("spread over the months by"), max_length=12, choices=MonthsBy.choices
    )
    distribution = models.ForeignKey(
        MonthlyDistribution,
        verbose_name=_("monthly distribution"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveSmallIntegerField(null=True, blank=True)
    # Where the inputs came from when they were last read.
    run = models.ForeignKey(
        SeasonRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    potential_month = models.DateField(null=True, blank=True)
    inputs_read_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    objects = QuotaPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("quota plan")
        verbose_name_plural = _("quota plans")
        ordering = ["-year", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["root", "year", "measure", "version"],
                condition=models.Q(version__isnull=False),
                name="quota_plan_version_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.root} {self.year} {self.measure}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def weights(self) -> tuple[int, int, int]:
        """Forecast, potential and last year's weights, as the method uses them."""
        if self.method == Method.FORECAST:
            return (100, 0, 0)
        if self.method == Method.POTENTIAL:
            return (0, 100, 0)
        if self.method == Method.LAST_YEAR:
            return (0, 0, 100)
        return (self.weight_forecast, self.weight_potential, self.weight_last_year)

    @property
    def step(self) -> Decimal:
        """Quotas in amounts are set to the céntimo, in units to the unit."""
        return Decimal("0.01") if self.measure == Measure.AMOUNT else Decimal("1")


class QuotaLine(models.Model):
    """One node of the plan's tree: a territory (the root included) or a rep under a territory.
    `manual` is the value set by hand (kept when anything else changes), `proposal` what the
    method gives with no hand-set values, `value` what the plan gives now."""

    plan = models.ForeignKey(QuotaPlan, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField()
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="+")
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    depth = models.PositiveSmallIntegerField(default=0)
    basis = models.JSONField(default=list)  # forecast, potential, last year
    shape = models.JSONField(default=list)  # 12 floats, January first
    share = models.FloatField(default=1.0)
    proposal = models.DecimalField(max_digits=16, decimal_places=2, default=Decimal(0))
    value = models.DecimalField(max_digits=16, decimal_places=2, default=Decimal(0))
    manual = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    months = models.JSONField(default=list)  # 12 decimal strings

    class Meta:
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="quota_line_position")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.territory_id} {self.rep_id or ''}"

    @property
    def difference(self) -> Decimal:
        return self.value - self.proposal

    @property
    def difference_pct(self) -> float | None:
        if not self.proposal:
            return None
        return float(self.difference / self.proposal * 100)

    @property
    def month_values(self) -> list[Decimal]:
        return [Decimal(v) for v in self.months]
