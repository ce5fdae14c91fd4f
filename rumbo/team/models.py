"""Field reps: where they start the day, when they work, how much time they have and cost."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from rumbo.core.models import Organisation
from rumbo.geo.models import Distrito
from rumbo.territories.scoping import restrict

if TYPE_CHECKING:
    from rumbo.core.models import AnyUser

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


class RepQuerySet(models.QuerySet["Rep"]):
    def visible_to(self, user: AnyUser) -> RepQuerySet:
        return restrict(self, user, person="user_id")


def default_work_days() -> list[str]:
    return WEEKDAYS[:6]


class Rep(models.Model):
    """The field profile of a user who sells (a rep, or a manager who also covers accounts)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="reps")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rep_profile"
    )
    code = models.CharField(_("code"), max_length=40, help_text=_("Code in the customer's ERP"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    home_distrito = models.ForeignKey(
        Distrito,
        verbose_name=_("home district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    home_lat = models.FloatField(_("home latitude"), null=True, blank=True)
    home_lon = models.FloatField(_("home longitude"), null=True, blank=True)
    work_start = models.TimeField(_("working day starts"), default=dt.time(8, 0))
    work_end = models.TimeField(_("working day ends"), default=dt.time(17, 0))
    work_days = models.JSONField(_("working days"), default=default_work_days)
    weekly_capacity_hours = models.DecimalField(
        _("weekly capacity (hours)"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("44.0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("84"))],
    )
    cost_per_hour = models.DecimalField(
        _("cost per hour"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("25.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    max_discount_pct = models.DecimalField(
        _("highest discount without approval (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("5.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = RepQuerySet.as_manager()

    class Meta:
        verbose_name = _("rep")
        verbose_name_plural = _("reps")
        ordering = ["user__first_name", "user__last_name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="rep_code_unique"),
            models.CheckConstraint(
                condition=models.Q(work_end__gt=models.F("work_start")),
                name="rep_day_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def name(self) -> str:
        return str(self.user)
