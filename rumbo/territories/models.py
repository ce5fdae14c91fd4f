"""The territory tree and who covers each territory, when.

The tree has any depth (country → region → zone → territory → ...). `path` is a materialised
path of zero-padded ids ("000001/000004/"), so a subtree is one indexed prefix query on every
database. Assignments are effective-dated and append-only: a row is never deleted, and its end
date is set once, when the coverage ends.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rumbo.core.models import Organisation

if TYPE_CHECKING:
    from rumbo.core.models import AnyUser


class Level(models.TextChoices):
    COUNTRY = "country", _("Country")
    REGION = "region", _("Region")
    ZONE = "zone", _("Zone")
    TERRITORY = "territory", _("Territory")


class TerritoryQuerySet(models.QuerySet["Territory"]):
    def visible_to(self, user: AnyUser) -> TerritoryQuerySet:
        from rumbo.territories.scoping import restrict

        return restrict(self, user, territory="pk")

    def subtree_of(self, territory: Territory) -> TerritoryQuerySet:
        return self.filter(
            organisation_id=territory.organisation_id, path__startswith=territory.path
        )


class Territory(models.Model):
    PATH_STEP = 7  # six digits and a slash per level

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="territories"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    name = models.CharField(_("name"), max_length=120)
    code = models.CharField(_("code"), max_length=40)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    is_active = models.BooleanField(_("active"), default=True)

    objects = TerritoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("territory")
        verbose_name_plural = _("territories")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="territory_code_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> TerritoryQuerySet:
        """The territories above this one, root first."""
        steps = [self.path[: i + self.PATH_STEP] for i in range(0, len(self.path), self.PATH_STEP)]
        return Territory.objects.filter(
            organisation_id=self.organisation_id, path__in=steps[:-1]
        ).order_by("depth")


class AssignmentRole(models.TextChoices):
    REP = "rep", _("Sales rep")
    MANAGER = "manager", _("Manager")


class AssignmentQuerySet(models.QuerySet["Assignment"]):
    def active_on(self, day: dt.date | None = None) -> AssignmentQuerySet:
        day = day or timezone.localdate()
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day), valid_from__lte=day)

    def visible_to(self, user: AnyUser) -> AssignmentQuerySet:
        return self.filter(territory__in=Territory.objects.visible_to(user))


class Assignment(models.Model):
    """`user` covers `territory` in `role` from `valid_from` (included) to `valid_to` (excluded)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    territory = models.ForeignKey(Territory, on_delete=models.PROTECT, related_name="assignments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments"
    )
    role = models.CharField(
        max_length=10, choices=AssignmentRole.choices, default=AssignmentRole.REP
    )
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["territory__path", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="assignment_ends_after_start",
            )
        ]
        indexes = [
            models.Index(fields=["user", "valid_to"]),
            models.Index(fields=["territory", "valid_to"]),
        ]

    def __str__(self) -> str:
        end = self.valid_to or "…"
        return f"{self.user} → {self.territory} ({self.valid_from} – {end})"
