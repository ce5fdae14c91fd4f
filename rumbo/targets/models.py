"""Targets (quotas): territory or rep × month × measure, optionally per product category."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rumbo.catalog.models import Category
from rumbo.core.models import Organisation
from rumbo.territories.models import Territory
from rumbo.territories.scoping import restrict

if TYPE_CHECKING:
    from rumbo.core.models import AnyUser


class Measure(models.TextChoices):
    AMOUNT = "amount", _("Sales amount (without IGV)")
    UNITS = "units", _("Units")


class TargetQuerySet(models.QuerySet["Target"]):
    def visible_to(self, user: AnyUser) -> TargetQuerySet:
        """Reps see their own and their territories' targets; viewers only when granted amounts."""
        if user.is_authenticated and not user.sees_amounts:
            return self.none()
        return restrict(self, user, territory="territory_id", person="rep_id")


def _unique_per(owner: str) -> list[models.UniqueConstraint]:
    """One target per owner, month, measure and category (None counts as a value here)."""
    return [
        models.UniqueConstraint(
            fields=[owner, "month", "measure", "category"],
            condition=Q(**{f"{owner}__isnull": False, "category__isnull": False}),
            name=f"target_unique_{owner}_category",
        ),
        models.UniqueConstraint(
            fields=[owner, "month", "measure"],
            condition=Q(**{f"{owner}__isnull": False, "category__isnull": True}),
            name=f"target_unique_{owner}_total",
        ),
    ]


class Target(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="targets")
    territory = models.ForeignKey(
        Territory, on_delete=models.CASCADE, null=True, blank=True, related_name="targets"
    )
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="targets",
    )
    month = models.DateField(_("month"), help_text=_("First day of the month"))
    measure = models.CharField(_("measure"), max_length=10, choices=Measure.choices)
    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    value = models.DecimalField(
        _("target"), max_digits=16, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["month"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(territory__isnull=True) & Q(rep__isnull=False))
                | (Q(territory__isnull=False) & Q(rep__isnull=True)),
                name="target_for_territory_or_rep",
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="target_month_first_day"),
            *_unique_per("territory"),
            *_unique_per("rep"),
        ]

    def __str__(self) -> str:
        who = self.territory or self.rep
        return f"{who} {self.month:%Y-%m} {self.measure}: {self.value}"


class DistributionQuerySet(models.QuerySet["MonthlyDistribution"]):
    def visible_to(self, user: AnyUser) -> DistributionQuerySet:
        """Distributions are shared by everyone in the organisation who may see amounts."""
        if user.is_authenticated and not user.sees_amounts:
            return self.none()
        return restrict(self, user)


class MonthlyDistribution(models.Model):
    """How an annual target spreads over the months: twelve percentages that add up to 100
    (ERPNext's "Monthly Distribution"), named so it can be reused for every territory."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="monthly_distributions"
    )
    name = models.CharField(_("name"), max_length=100)
    percentages = models.JSONField(
        _("percentages"), help_text=_("Twelve percentages, January to December, adding to 100.")
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = DistributionQuerySet.as_manager()

    class Meta:
        verbose_name = _("monthly distribution")
        verbose_name_plural = _("monthly distributions")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="monthly_distribution_name_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def shares(self) -> list[Decimal]:
        """The twelve percentages as numbers."""
        return [Decimal(str(p)) for p in self.percentages]
