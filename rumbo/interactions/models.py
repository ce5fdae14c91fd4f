"""Everything that happened with an account, from every team: visits, calls, emails, tickets."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rumbo.core.models import Organisation, Team
from rumbo.customers.models import Account

if TYPE_CHECKING:
    from rumbo.core.models import AnyUser


class InteractionQuerySet(models.QuerySet["Interaction"]):
    def visible_to(self, user: AnyUser) -> InteractionQuerySet:
        return self.filter(account__in=Account.objects.visible_to(user))


class Interaction(models.Model):
    class Kind(models.TextChoices):
        VISIT = "visit", _("Visit")
        CALL = "call", _("Call")
        EMAIL = "email", _("Email")
        TICKET = "ticket", _("Service ticket")
        CAMPAIGN = "campaign", _("Campaign touch")
        NOTE = "note", _("Note")

    class Outcome(models.TextChoices):
        ORDER = "order", _("Order taken")
        NO_ORDER = "no_order", _("No order")
        CLOSED = "closed", _("Closed")
        NOT_REACHED = "not_reached", _("Not reached")
        DONE = "done", _("Done")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="interactions"
    )
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="interactions")
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    team = models.CharField(_("team"), max_length=10, choices=Team.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interactions",
    )
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    duration_min = models.PositiveIntegerField(_("duration (min)"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = InteractionQuerySet.as_manager()

    class Meta:
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["account", "occurred_at"]),
            models.Index(fields=["organisation", "kind", "occurred_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.account} {self.occurred_at:%Y-%m-%d}"
