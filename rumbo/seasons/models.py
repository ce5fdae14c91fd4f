"""Time: what each kind of customer buys when (seasonal profiles), what to expect next
(reconciled forecasts with their measured accuracy), and the organisation's calendar of
holidays and selling events. A background run computes everything and stores it here, so pages
read results instead of recomputing them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rumbo.catalog.models import Category, Product
from rumbo.core.models import Job, Organisation
from rumbo.customers.models import Account, Channel
from rumbo.territories.models import Territory
from rumbo.territories.scoping import restrict, scope_for

if TYPE_CHECKING:
    from rumbo.core.models import AnyUser

QS = TypeVar("QS", bound="models.QuerySet[Any]")


class Measure(models.TextChoices):
    UNITS = "units", _("Units")
    AMOUNT = "amount", _("Amount")


def _amounts_for(user: AnyUser, qs: QS) -> QS:
    """Viewers who may not see amounts see units only."""
    if not getattr(user, "sees_amounts", True):
        return qs.exclude(measure=Measure.AMOUNT)
    return qs


class CalendarEvent(models.Model):
    """A holiday or selling event of the organisation's year, on a day or over a month."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Holiday")
        EVENT = "event", _("Selling season")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.EVENT)
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    day = models.PositiveSmallIntegerField(
        _("day"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )

    class Meta:
        verbose_name = _("calendar event")
        verbose_name_plural = _("calendar events")
        ordering = ["month", "day", "name"]

    def __str__(self) -> str:
        return self.name


class SeasonRun(models.Model):
    """One computation of profiles and forecasts from the sales history up to `last_month`."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    job = models.ForeignKey(Job, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    first_month = models.DateField(null=True)
    last_month = models.DateField(null=True)
    horizon = models.PositiveSmallIntegerField(default=12)
    accuracy = models.JSONField(default=dict, blank=True)  # per level: mase, bias, coverage
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.created_at:%Y-%m-%d %H:%M}"


class ProfileQuerySet(models.QuerySet["Profile"]):
    def visible_to(self, user: AnyUser) -> ProfileQuerySet:
        """Organisation-wide patterns for admins and viewers; managers and reps the patterns of
        the territories they see (and of those territories' large accounts)."""
        qs = _amounts_for(user, restrict(self, user, organisation="run__organisation_id"))
        scope = scope_for(user)
        if scope.territory_ids is None:
            return qs
        return qs.filter(territory_id__in=scope.territory_ids)


class Profile(models.Model):
    """Seasonal indices of one series (12 months, January first) with their bounds."""

    class Kind(models.TextChoices):
        CATEGORY = "category", _("Category")
        CHANNEL = "channel", _("Category × channel")
        TERRITORY = "territory", _("Category × territory")
        ACCOUNT = "account", _("Large account")

    run = models.ForeignKey(SeasonRun, on_delete=models.CASCADE, related_name="profiles")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    measure = models.CharField(max_length=6, choices=Measure.choices)
    category = models.ForeignKey(Category, on_delete=models.CASCADE, null=True, related_name="+")
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, null=True, related_name="+")
    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, null=True, related_name="+")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, null=True, related_name="+")
    index = models.JSONField()  # 12 floats
    lower = models.JSONField()
    upper = models.JSONField()
    years = models.JSONField()  # how many years informed each month
    growth = models.FloatField(null=True)  # per year, 0.05 = +5 %
    total = models.FloatField(default=0)  # of the last 12 months, for ordering

    objects = ProfileQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["run", "kind", "measure"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.measure} {self.category_id}"


class TopProduct(models.Model):
    """The best sellers (in units) of each calendar month over the history."""

    run = models.ForeignKey(SeasonRun, on_delete=models.CASCADE, related_name="top_products")
    month = models.PositiveSmallIntegerField()
    rank = models.PositiveSmallIntegerField()
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    units = models.FloatField()
    share = models.FloatField()

    class Meta:
        ordering = ["month", "rank"]

    def __str__(self) -> str:
        return f"{self.month}: {self.rank}. {self.product_id}"

    @property
    def share_pct(self) -> float:
        return 100 * self.share


class ForecastSeriesQuerySet(models.QuerySet["ForecastSeries"]):
    def visible_to(self, user: AnyUser) -> ForecastSeriesQuerySet:
        """Admins and viewers read every row; managers the rows of their regions and
        territories; reps those of their own territories."""
        qs = _amounts_for(user, restrict(self, user, organisation="run__organisation_id"))
        scope = scope_for(user)
        if scope.territory_ids is None:
            return qs
        ids = scope.territory_ids
        return qs.filter(Q(territory_id__in=ids) | Q(territory__isnull=True, region_id__in=ids))


class ForecastSeries(models.Model):
    """One reconciled series (company, region or territory; all categories or one) with its
    backtest accuracy."""

    run = models.ForeignKey(SeasonRun, on_delete=models.CASCADE, related_name="series")
    measure = models.CharField(max_length=6, choices=Measure.choices)
    level = models.CharField(max_length=40)
    region = models.ForeignKey(Territory, on_delete=models.CASCADE, null=True, related_name="+")
    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, null=True, related_name="+")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, null=True, related_name="+")
    mase = models.FloatField(null=True)
    bias = models.FloatField(null=True)
    history = models.JSONField(default=list)  # the last 24 months, for the chart
    mean = models.JSONField()  # horizon floats, from the month after the run's last month
    lower80 = models.JSONField()
    upper80 = models.JSONField()
    lower95 = models.JSONField()
    upper95 = models.JSONField()

    objects = ForecastSeriesQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["run", "measure", "level"])]

    def __str__(self) -> str:
        return f"{self.level} {self.measure}"

    @property
    def cells(self) -> list[tuple[Any, Any, Any]]:
        """(expected, low, high) per month, the 80 % interval."""
        return list(zip(self.mean, self.lower80, self.upper80, strict=False))
