"""Report rollups: the monthly sales summaries folded to the grains the performance pages read.

`orders.MonthlySales` (account × month × credited territory × rep) is the source of truth; at
the size of a large distributor (50,000 accounts, 1.4 million summary rows, 8 million by
category) a year's dashboard over it cannot answer in a fraction of a second, so three tables
are derived from it, and one from the visits:

- `TerritorySales`: territory × rep × month (no account), for every total, trend and heat map;
- `TerritoryCategorySales`: the same by product category;
- `AccountYear`: account × territory × rep × year, one column per month, for active, won and
  lost accounts and per-account amounts over any period (one row instead of twelve);
- `AccountYearVisits`: visits per account, visitor and year, one column per month.

Three more are folded from those for the pages of a whole region or company, whose accounts
are tens of thousands:

- `AccountActivity`: account × year over all its territories, reps and visitors, with the
  year before in the same row, so that accounts active, won, lost and visited, and each
  account's sales for the gap bridge, are read in one pass over one row per account;
- `TerritoryCategoryYear`: territory × category × year, one column per month;
- `CategorySales`: organisation × month × category.

They are rebuilt by `manage.py rebuild_report_rollups` and kept fresh by
`rumbo.reports.rollups.ensure_fresh`, which every performance page calls first (see there).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rumbo.catalog.models import Category
from rumbo.core.fields import money_field
from rumbo.core.models import Organisation
from rumbo.customers.models import Account
from rumbo.territories.models import Territory

MONTHS = range(1, 13)


def net_column(month: int) -> str:
    return f"net_{month:02d}"


def orders_column(month: int) -> str:
    return f"orders_{month:02d}"


def visits_column(month: int) -> str:
    return f"visits_{month:02d}"


def prev_net_column(month: int) -> str:
    return f"prev_net_{month:02d}"


def quantity_column(month: int) -> str:
    return f"quantity_{month:02d}"


class TerritorySales(models.Model):
    """Sales credited to one territory and rep in one month (summed over accounts)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    territory = models.ForeignKey(
        Territory, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    net_amount = money_field(_("net amount"), default=Decimal("0"))
    quantity = models.DecimalField(max_digits=18, decimal_places=3, default=Decimal("0"))
    orders = models.IntegerField(default=0)
    lines = models.IntegerField(default=0)
    accounts = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("sales by territory and month")
        verbose_name_plural = _("sales by territory and month")
        indexes = [
            models.Index(fields=["organisation", "month"]),
            models.Index(fields=["territory", "month"]),
            models.Index(fields=["rep", "month"]),
        ]

    def __str__(self) -> str:
        return f"{self.territory_id}/{self.rep_id} {self.month:%Y-%m}: {self.net_amount}"


CATEGORY_COVER = ["organisation", "month", "category", "territory", "rep", "net_amount", "quantity"]


class TerritoryCategorySales(models.Model):
    """Sales credited to one territory and rep in one month, for one product category."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    territory = models.ForeignKey(
        Territory, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")
    net_amount = money_field(_("net amount"), default=Decimal("0"))
    quantity = models.DecimalField(max_digits=18, decimal_places=3, default=Decimal("0"))
    lines = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("sales by territory, category and month")
        verbose_name_plural = _("sales by territory, category and month")
        indexes = [
            # Covers the sales by category of a period (PostgreSQL reads only the index).
            models.Index(fields=CATEGORY_COVER, name="reports_category_month"),
            models.Index(fields=["territory", "month"]),
            models.Index(fields=["rep", "month"]),
        ]

    def __str__(self) -> str:
        return f"{self.territory_id}/{self.category_id} {self.month:%Y-%m}: {self.net_amount}"


class TerritoryCategoryYear(models.Model):
    """Sales of one product category credited to one territory (by any rep) over one calendar
    year, a column per month: a region's sales by category in a few thousand rows."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    territory = models.ForeignKey(
        Territory, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    months = models.IntegerField(default=0)  # bit m - 1: TerritoryCategorySales has month m
    net_01 = money_field(_("net amount"), default=Decimal("0"))
    net_02 = money_field(_("net amount"), default=Decimal("0"))
    net_03 = money_field(_("net amount"), default=Decimal("0"))
    net_04 = money_field(_("net amount"), default=Decimal("0"))
    net_05 = money_field(_("net amount"), default=Decimal("0"))
    net_06 = money_field(_("net amount"), default=Decimal("0"))
    net_07 = money_field(_("net amount"), default=Decimal("0"))
    net_08 = money_field(_("net amount"), default=Decimal("0"))
    net_09 = money_field(_("net amount"), default=Decimal("0"))
    net_10 = money_field(_("net amount"), default=Decimal("0"))
    net_11 = money_field(_("net amount"), default=Decimal("0"))
    net_12 = money_field(_("net amount"), default=Decimal("0"))
    net_year = money_field(_("net amount"), default=Decimal("0"))
    quantity_01 = models.DecimalField(max_digits=18, decimal_places=3, default=Decimal("0"))
    quantity_02 = models.DecimalField(max_digits=18, decimal_places=3, default=Decimal("0"))
    quantity_03 = models.DecimalField(max_digits=18, decimal_places=3, default=Decimal("0"))
    quantity_04 = models.DecimalField(max_digits=18, decimal_places=3, default=Decimal("0"))
    quantity_05 = models.DecimalField(max_digits=18, decimal_places=3, default=Decimal("0"))
    quantity_06 = models.DecimalField(max_digits=18, decimal_places=3, default=Decimal("0"))
    quantity_07 = models.DecimalField(max_digits=18, decimal_places=3, default=Decimal("0"))
    quantity_08 = models.DecimalField(max_digits=18, decimal_places=3, default=Decimal("0"))
    quantity_09 = models.DecimalField(max_digits=18, decimal_places=3, default=Decimal("0"))
    quantity_10 = models.DecimalField(max_digits=18, decimal_places=3, default=Decimal("0"))
    quantity_11 = models.DecimalField(max_digits=18, decimal_places=3, default=Decimal("0"))
    quantity_12 = models.DecimalField(max_digits=18, decimal_places=3, default=Decimal("0"))
    quantity_year = models.DecimalField(max_digits=18, decimal_places=3, default=Decimal("0"))

    class Meta:
        verbose_name = _("sales by territory, category and year")
        verbose_name_plural = _("sales by territory, category and year")
        indexes = [models.Index(fields=["organisation", "year", "territory", "category"])]

    def __str__(self) -> str:
        return f"{self.territory_id}/{self.category_id} {self.year}"


class AccountYear(models.Model):
    """One account's sales credited to one territory and rep over one calendar year, with the
    net amount and the number of orders of each month in its own column."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    territory = models.ForeignKey(
        Territory, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    # Bit m - 1 is set when the account ordered in month m: who bought when, in one integer.
    order_months = models.IntegerField(default=0)
    # The net amount and the number of orders of each month (net_01 is January).
    net_01 = money_field(_("net amount"), default=Decimal("0"))
    net_02 = money_field(_("net amount"), default=Decimal("0"))
    net_03 = money_field(_("net amount"), default=Decimal("0"))
    net_04 = money_field(_("net amount"), default=Decimal("0"))
    net_05 = money_field(_("net amount"), default=Decimal("0"))
    net_06 = money_field(_("net amount"), default=Decimal("0"))
    net_07 = money_field(_("net amount"), default=Decimal("0"))
    net_08 = money_field(_("net amount"), default=Decimal("0"))
    net_09 = money_field(_("net amount"), default=Decimal("0"))
    net_10 = money_field(_("net amount"), default=Decimal("0"))
    net_11 = money_field(_("net amount"), default=Decimal("0"))
    net_12 = money_field(_("net amount"), default=Decimal("0"))
    orders_01 = models.IntegerField(default=0)
    orders_02 = models.IntegerField(default=0)
    orders_03 = models.IntegerField(default=0)
    orders_04 = models.IntegerField(default=0)
    orders_05 = models.IntegerField(default=0)
    orders_06 = models.IntegerField(default=0)
    orders_07 = models.IntegerField(default=0)
    orders_08 = models.IntegerField(default=0)
    orders_09 = models.IntegerField(default=0)
    orders_10 = models.IntegerField(default=0)
    orders_11 = models.IntegerField(default=0)
    orders_12 = models.IntegerField(default=0)
    # The sums of the twelve months: a year's figures without adding twelve columns.
    net_year = money_field(_("net amount"), default=Decimal("0"))
    orders_year = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("account sales by year")
        verbose_name_plural = _("account sales by year")
        indexes = [
            # Covers who bought when, and each account's year, in a territory subtree
            # (PostgreSQL reads it without the wide rows).
            models.Index(
                fields=[
                    "organisation",
                    "year",
                    "territory",
                    "account",
                    "rep",
                    "order_months",
                    "net_year",
                ],
                name="reports_accountyear_cover",
            ),
            models.Index(fields=["territory", "year"]),
            models.Index(fields=["rep", "year"]),
            models.Index(fields=["account", "year"]),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.year}"


class AccountYearVisits(models.Model):
    """Visits to one account by one person over one calendar year, a column per month."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    visit_months = models.IntegerField(default=0)  # bit m - 1: visited in month m
    # The visits of each month (visits_01 is January).
    visits_01 = models.IntegerField(default=0)
    visits_02 = models.IntegerField(default=0)
    visits_03 = models.IntegerField(default=0)
    visits_04 = models.IntegerField(default=0)
    visits_05 = models.IntegerField(default=0)
    visits_06 = models.IntegerField(default=0)
    visits_07 = models.IntegerField(default=0)
    visits_08 = models.IntegerField(default=0)
    visits_09 = models.IntegerField(default=0)
    visits_10 = models.IntegerField(default=0)
    visits_11 = models.IntegerField(default=0)
    visits_12 = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("visits by account and year")
        verbose_name_plural = _("visits by account and year")
        indexes = [
            models.Index(fields=["organisation", "year"]),
            models.Index(fields=["account", "year"]),
            models.Index(fields=["user", "year"]),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.year}"


class AccountActivity(models.Model):
    """One account over one calendar year, whatever its territories, reps and visitors: the
    months it ordered in, its net amounts and the territory its sales were credited to, the
    same for the year before, and its visits.

    A row exists for each year in which the account has sales rows (AccountYear) or visits, and
    for the year after each year with sales (where it may be lost). When its sales of the year
    or of the year before were credited to more than one territory (no territory counting as
    one), the row is `mixed` and readers count the account from AccountYear instead."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    has_sales = models.BooleanField(default=False)  # AccountYear has rows of the year
    territory = models.ForeignKey(
        Territory, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )  # where they were credited (None: to no territory, or to several)
    order_months = models.IntegerField(default=0)  # bit m - 1: ordered in month m
    had_sales = models.BooleanField(default=False)  # the same for the year before
    prev_territory = models.ForeignKey(
        Territory, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    prev_order_months = models.IntegerField(default=0)
    mixed = models.BooleanField(default=False)
    # Its net amount in each month (net_01 is January) and in the whole year, then the same
    # for the year before: the gap bridge's sales now and a year earlier, without a join.
    net_01 = money_field(_("net amount"), default=Decimal("0"))
    net_02 = money_field(_("net amount"), default=Decimal("0"))
    net_03 = money_field(_("net amount"), default=Decimal("0"))
    net_04 = money_field(_("net amount"), default=Decimal("0"))
    net_05 = money_field(_("net amount"), default=Decimal("0"))
    net_06 = money_field(_("net amount"), default=Decimal("0"))
    net_07 = money_field(_("net amount"), default=Decimal("0"))
    net_08 = money_field(_("net amount"), default=Decimal("0"))
    net_09 = money_field(_("net amount"), default=Decimal("0"))
    net_10 = money_field(_("net amount"), default=Decimal("0"))
    net_11 = money_field(_("net amount"), default=Decimal("0"))
    net_12 = money_field(_("net amount"), default=Decimal("0"))
    net_year = money_field(_("net amount"), default=Decimal("0"))
    prev_net_01 = money_field(_("net amount"), default=Decimal("0"))
    prev_net_02 = money_field(_("net amount"), default=Decimal("0"))
    prev_net_03 = money_field(_("net amount"), default=Decimal("0"))
    prev_net_04 = money_field(_("net amount"), default=Decimal("0"))
    prev_net_05 = money_field(_("net amount"), default=Decimal("0"))
    prev_net_06 = money_field(_("net amount"), default=Decimal("0"))
    prev_net_07 = money_field(_("net amount"), default=Decimal("0"))
    prev_net_08 = money_field(_("net amount"), default=Decimal("0"))
    prev_net_09 = money_field(_("net amount"), default=Decimal("0"))
    prev_net_10 = money_field(_("net amount"), default=Decimal("0"))
    prev_net_11 = money_field(_("net amount"), default=Decimal("0"))
    prev_net_12 = money_field(_("net amount"), default=Decimal("0"))
    prev_net_year = money_field(_("net amount"), default=Decimal("0"))
    visit_months = models.IntegerField(default=0)  # by anyone; bit m - 1: visited in month m
    visits_01 = models.IntegerField(default=0)
    visits_02 = models.IntegerField(default=0)
    visits_03 = models.IntegerField(default=0)
    visits_04 = models.IntegerField(default=0)
    visits_05 = models.IntegerField(default=0)
    visits_06 = models.IntegerField(default=0)
    visits_07 = models.IntegerField(default=0)
    visits_08 = models.IntegerField(default=0)
    visits_09 = models.IntegerField(default=0)
    visits_10 = models.IntegerField(default=0)
    visits_11 = models.IntegerField(default=0)
    visits_12 = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("account activity by year")
        verbose_name_plural = _("account activity by year")
        indexes = [
            # The two below cover who bought when, and the visits, of a year (PostgreSQL
            # reads them without the wide rows, whose amounts only the gap bridge reads).
            models.Index(
                fields=[
                    "organisation",
                    "year",
                    "territory",
                    "prev_territory",
                    "order_months",
                    "prev_order_months",
                    "has_sales",
                    "had_sales",
                    "mixed",
                ],
                name="reports_activity_bought",
            ),
            models.Index(
                fields=[
                    "organisation",
                    "year",
                    "account",
                    "visit_months",
                    *(visits_column(m) for m in MONTHS),
                ],
                name="reports_activity_visits",
            ),
            models.Index(fields=["account", "year"]),
            models.Index(
                fields=["organisation", "year"],
                condition=Q(mixed=True),
                name="reports_activity_mixed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.year}"


class CategorySales(models.Model):
    """Sales of one product category in one month over the whole organisation: those credited
    to some territory, or (`credited` false) to none."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")
    credited = models.BooleanField(default=True)
    net_amount = money_field(_("net amount"), default=Decimal("0"))
    quantity = models.DecimalField(max_digits=18, decimal_places=3, default=Decimal("0"))

    class Meta:
        verbose_name = _("sales by category and month")
        verbose_name_plural = _("sales by category and month")
        indexes = [models.Index(fields=["organisation", "month"])]

    def __str__(self) -> str:
        return f"{self.category_id} {self.month:%Y-%m}: {self.net_amount}"


class RollupState(models.Model):
    """How far the rollups of one organisation have read their sources.

    `marks` is a short list of [ISO time, last MonthlySales id, last OrderStatusChange id,
    last Interaction id] taken at each refresh; see rumbo.reports.rollups."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    marks = models.JSONField(default=list)
    built_at = models.DateTimeField()
    refreshed_at = models.DateTimeField()  # the last refresh that read or wrote anything
    # When the sales rollups last changed, and the visit rollups: an order leaves the figures
    # from visits where they were, and a visit those from sales.
    sales_changed_at = models.DateTimeField(default=timezone.now)
    visits_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("report rollup state")
        verbose_name_plural = _("report rollup states")

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.refreshed_at:%Y-%m-%d %H:%M}"


class PerformanceSettings(models.Model):
    """An organisation's choices for the performance pages (set by its administrators)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    flag_below_pct = models.DecimalField(
        _("flag attainment below (%)"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("90"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("200"))],
        help_text=_("Territories and reps below this share of their target are flagged."),
    )

    class Meta:
        verbose_name = _("performance settings")
        verbose_name_plural = _("performance settings")

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.flag_below_pct} %"
