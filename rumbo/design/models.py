"""Territory design scenarios: a copy of today's alignment of one part of the tree that a
manager changes by hand or with the optimiser, compares, publishes with an effective date and
rolls back. Publishing writes the account alignment history (append-only) through
rumbo.customers.services.move_account; a scenario keeps what it changed so it can be undone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rumbo.core.models import Job, Organisation, Role
from rumbo.customers.models import Account
from rumbo.territories.models import Territory
from rumbo.territories.scoping import restrict

if TYPE_CHECKING:
    from rumbo.core.models import AnyUser

# The measures a scenario balances, in the order the engine receives them.
MEASURES = ("workload", "sales", "potential", "accounts")
MEASURE_LABELS = {
    "workload": _("workload"),
    "sales": _("sales"),
    "potential": _("potential"),
    "accounts": _("number of accounts"),
}


class Units(models.TextChoices):
    ACCOUNTS = "accounts", _("Accounts")
    DISTRICTS = "districts", _("Whole districts")


class KeepBasis(models.TextChoices):
    ACCOUNTS = "accounts", _("of the accounts")
    REVENUE = "revenue", _("of the revenue")


def _tolerance(name: Any, default: float | None) -> models.FloatField:
    """A measure's tolerance in %; empty leaves the measure unbalanced."""
    return models.FloatField(
        name,
        null=True,
        blank=True,
        default=default,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )


class ScenarioQuerySet(models.QuerySet["Scenario"]):
    def visible_to(self, user: AnyUser) -> ScenarioQuerySet:
        """Admins see every scenario; managers those designing a part of their subtree."""
        if getattr(user, "role", None) not in (Role.ADMIN, Role.MANAGER):
            return self.none()
        return restrict(self, user, territory="root_id")


class Scenario(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        ROLLED_BACK = "rolled_back", _("Rolled back")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    root = models.ForeignKey(
        Territory,
        verbose_name=_("part of the tree"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The scenario redesigns the territories under this one."),
    )
    name = models.CharField(_("name"), max_length=120)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    # The optimiser's rules, kept with the scenario so a run can be repeated.
    units = models.CharField(
        _("move"), max_length=10, choices=Units.choices, default=Units.ACCOUNTS
    )
    workload_tol = _tolerance(_("workload ± %"), 10.0)
    sales_tol = _tolerance(_("sales ± %"), 15.0)
    potential_tol = _tolerance(_("potential ± %"), None)
    accounts_tol = _tolerance(_("number of accounts ± %"), None)
    min_kept_pct = models.FloatField(
        _("keep at least (%)"),
        default=70.0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("of the accounts (or revenue) with their current rep"),
    )
    kept_basis = models.CharField(
        _("kept share counted by"),
        max_length=10,
        choices=KeepBasis.choices,
        default=KeepBasis.ACCOUNTS,
    )
    time_limit_s = models.PositiveSmallIntegerField(
        _("time limit (s)"), default=20, validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    locked_territories = models.ManyToManyField(
        Territory, verbose_name=_("locked territories"), blank=True, related_name="+"
    )
    job = models.ForeignKey(Job, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    outcome = models.JSONField(default=dict, blank=True)  # the last optimisation's summary
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    rolled_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rolled_back_at = models.DateTimeField(null=True, blank=True)
    rolled_back_from = models.DateField(null=True, blank=True)

    objects = ScenarioQuerySet.as_manager()

    class Meta:
        verbose_name = _("territory design scenario")
        verbose_name_plural = _("territory design scenarios")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("design:scenario", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    def tolerances(self) -> list[float | None]:
        """Tolerance per measure in MEASURES order, as a share (0.1 = ±10 %); None = free."""
        values = [self.workload_tol, self.sales_tol, self.potential_tol, self.accounts_tol]
        return [None if v is None else v / 100 for v in values]


class Placement(models.Model):
    """Where one account sits in a scenario, where it sat when the scenario began, and, once
    published, where it sat just before (what a rollback restores)."""

    class Source(models.TextChoices):
        TODAY = "today", _("As today")
        MANUAL = "manual", _("Moved by hand")
        OPTIMISER = "optimiser", _("Moved by the optimiser")

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="placements")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    territory = models.ForeignKey(Territory, on_delete=models.PROTECT, related_name="+")
    base_territory = models.ForeignKey(
        Territory, on_delete=models.PROTECT, null=True, related_name="+"
    )
    published_from = models.ForeignKey(
        Territory, on_delete=models.PROTECT, null=True, related_name="+"
    )
    locked = models.BooleanField(_("locked"), default=False)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.TODAY)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scenario", "account"], name="one_placement_each")
        ]

    def __str__(self) -> str:
        return f"{self.account_id} → {self.territory_id}"
