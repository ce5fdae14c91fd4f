"""The rep's calendar: visits, calls, follow-ups and tasks planned for a day, by a manager, by
the rep, or (once the visit planner exists) by Rumbo. Doing one records an interaction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from rumbo.core.models import Organisation
from rumbo.customers.models import Account
from rumbo.territories.scoping import restrict

if TYPE_CHECKING:
    from rumbo.core.models import AnyUser


class PlannedActivityQuerySet(models.QuerySet["PlannedActivity"]):
    def visible_to(self, user: AnyUser) -> PlannedActivityQuerySet:
        """A rep's own plan; a manager's team's; everyone's for admins and viewers."""
        return restrict(self, user, person="rep_id")

    def pending(self) -> PlannedActivityQuerySet:
        return self.filter(status=PlannedActivity.Status.PLANNED)


class PlannedActivity(models.Model):
    class Kind(models.TextChoices):
        VISIT = "visit", _("Visit")
        CALL = "call", _("Call")
        FOLLOW_UP = "follow_up", _("Follow-up")
        TASK = "task", _("Task")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Done")
        SKIPPED = "skipped", _("Not done")
        CANCELLED = "cancelled", _("Cancelled")

    class Source(models.TextChoices):
        MANAGER = "manager", _("Assigned by a manager")
        SELF = "self", _("Planned by the rep")
        RUMBO = "rumbo", _("Planned by Rumbo")
        TICKET = "ticket", _("Follow-up of a ticket")
        INTERACTION = "interaction", _("Follow-up of a contact")

    # Kinds that contact the customer, so the contact guard checks them.
    CONTACT_KINDS = (Kind.VISIT, Kind.CALL, Kind.FOLLOW_UP)

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rep"),
        on_delete=models.CASCADE,
        related_name="planned_activities",
    )
    day = models.DateField(_("day"))
    start_time = models.TimeField(_("time"), null=True, blank=True)
    duration_min = models.PositiveSmallIntegerField(
        _("duration (min)"), default=30, validators=[MinValueValidator(5), MaxValueValidator(600)]
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    account = models.ForeignKey(
        Account,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="planned_activities",
    )
    ticket = models.ForeignKey(
        "interactions.Ticket",
        verbose_name=_("ticket"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    title = models.CharField(_("what"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    source = models.CharField(_("planned by"), max_length=12, choices=Source.choices)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Planned although the contact guard warned: kept so the override can be reviewed.
    guard_override = models.BooleanField(_("planned despite the contact policy"), default=False)
    result_notes = models.TextField(_("result"), blank=True)
    interaction = models.OneToOneField(
        "interactions.Interaction",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="planned_activity",
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PlannedActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("planned activity")
        verbose_name_plural = _("planned activities")
        ordering = ["day", "start_time", "id"]
        indexes = [
            models.Index(fields=["rep", "day"]),
            models.Index(fields=["account", "day"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="task") | models.Q(account__isnull=False),
                name="planned_activity_contact_has_account",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.day} {self.account or self.title}"

    @property
    def label(self) -> str:
        return self.title or (self.account.name if self.account else self.get_kind_display())
