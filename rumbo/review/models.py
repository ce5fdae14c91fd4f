"""The monthly review: plan versus actual per rep, kept as it was when prepared, and the
recommended actions that a manager accepts or dismisses (the decisions are the record)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rumbo.core.fields import money_field
from rumbo.core.models import Organisation
from rumbo.customers.models import Account
from rumbo.territories.models import Territory
from rumbo.territories.scoping import restrict

if TYPE_CHECKING:
    from rumbo.core.models import AnyUser


class ProspectingGoalQuerySet(models.QuerySet["ProspectingGoal"]):
    def visible_to(self, user: AnyUser) -> ProspectingGoalQuerySet:
        return restrict(self, user, person="rep_id")


class ProspectingGoal(models.Model):
    """How many new accounts a rep should open in a month."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    rep = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("month"))
    new_accounts = models.PositiveSmallIntegerField(
        _("new accounts"), validators=[MaxValueValidator(500)]
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = ProspectingGoalQuerySet.as_manager()

    class Meta:
        verbose_name = _("prospecting goal")
        verbose_name_plural = _("prospecting goals")
        constraints = [
            models.UniqueConstraint(fields=["rep", "month"], name="one_goal_per_rep_and_month")
        ]

    def __str__(self) -> str:
        return f"{self.rep} {self.month:%Y-%m}: {self.new_accounts}"


class ReviewQuerySet(models.QuerySet["Review"]):
    def visible_to(self, user: AnyUser) -> ReviewQuerySet:
        """Admins read every review; managers those of territories in their subtree."""
        return restrict(self, user, territory="territory_id")


class Review(models.Model):
    """The review of one month for a territory's subtree (no territory: the organisation)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("month"))
    territory = models.ForeignKey(
        Territory, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    prepared_at = models.DateTimeField(auto_now=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("monthly review")
        verbose_name_plural = _("monthly reviews")
        ordering = ["-month", "territory__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "month", "territory"], name="one_review_per_subtree"
            ),
            models.UniqueConstraint(
                fields=["organisation", "month"],
                condition=Q(territory__isnull=True),
                name="one_review_of_the_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.territory or self.organisation}"

    def get_absolute_url(self) -> str:
        return reverse("review:detail", args=[self.pk])


class ReviewLine(models.Model):
    """One rep's month: the figures the review was prepared with."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="lines")
    rep = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    territory = models.ForeignKey(
        Territory, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sales = money_field(_("sales"))
    target = money_field(_("target"), null=True, blank=True)
    visits_planned = models.FloatField(_("visits planned"))
    visits_done = models.PositiveIntegerField(_("visits done"))
    new_accounts = models.PositiveIntegerField(_("new accounts"))
    new_accounts_goal = models.PositiveIntegerField(_("new accounts goal"), null=True)
    workload_h = models.FloatField(_("workload (h/week)"))
    capacity_h = models.FloatField(_("capacity (h/week)"), null=True)
    # {"A": {"accounts": 9, "visited": 7, "planned": 39.0, "done": 31}, ...}
    segments = models.JSONField(_("coverage per segment"), default=dict)

    class Meta:
        ordering = ["territory__path", "rep__first_name"]

    def __str__(self) -> str:
        return f"{self.review}: {self.rep}"

    @property
    def attainment_pct(self) -> float | None:
        return float(self.sales / self.target * 100) if self.target else None

    @property
    def segment_cells(self) -> list[dict[str, float] | None]:
        """Coverage of segments A, B, C and N, in that order (None: no account in it)."""
        return [self.segments.get(s) for s in ("A", "B", "C", "N")]

    @property
    def visit_rate_pct(self) -> float | None:
        return self.visits_done / self.visits_planned * 100 if self.visits_planned else None


class RecommendationQuerySet(models.QuerySet["Recommendation"]):
    def visible_to(self, user: AnyUser) -> RecommendationQuerySet:
        return restrict(
            self, user, territory="review__territory_id", organisation="review__organisation_id"
        )


class Recommendation(models.Model):
    class Kind(models.TextChoices):
        COACHING = "coaching", _("Coach the rep")
        OVER_CAPACITY = "over_capacity", _("Territory over capacity")
        UNDER_CAPACITY = "under_capacity", _("Territory under capacity")
        KEEP_COVERAGE = "keep_coverage", _("Keep the former coverage")
        LOW_COST = "low_cost", _("Serve at low cost")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        ACCEPTED = "accepted", _("accepted")
        DISMISSED = "dismissed", _("dismissed")

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="recommendations")
    kind = models.CharField(_("action"), max_length=16, choices=Kind.choices)
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+"
    )
    territory = models.ForeignKey(Territory, on_delete=models.SET_NULL, null=True, related_name="+")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, null=True, related_name="+")
    figures = models.JSONField(default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True)

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"
