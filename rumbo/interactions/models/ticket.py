"""Service tickets: a customer's problem or request, from opening to resolution."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rumbo.core.models import Organisation, Team
from rumbo.customers.models import Account
from rumbo.territories.scoping import restrict

if TYPE_CHECKING:
    from rumbo.core.models import AnyUser


class TicketQuerySet(models.QuerySet["Ticket"]):
    def visible_to(self, user: AnyUser) -> TicketQuerySet:
        """The tickets of the accounts the user may see."""
        return restrict(self, user, territory="account__territory_id")

    def open(self) -> TicketQuerySet:
        return self.filter(status=Ticket.Status.OPEN)


class Ticket(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class Priority(models.TextChoices):
        LOW = "low", _("Low")
        NORMAL = "normal", _("Normal")
        HIGH = "high", _("High")
        URGENT = "urgent", _("Urgent")

    class Topic(models.TextChoices):
        DELIVERY = "delivery", _("Delivery")
        BILLING = "billing", _("Invoice or payment")
        QUALITY = "quality", _("Product quality")
        PRICE = "price", _("Price or promotion")
        STOCK = "stock", _("Missing product")
        REQUEST = "request", _("Request")
        COMPLAINT = "complaint", _("Complaint about service")
        OTHER = "other", _("Other")

    class Via(models.TextChoices):
        PHONE = "phone", _("Phone")
        EMAIL = "email", _("Email")
        WHATSAPP = "whatsapp", _("WhatsApp")
        VISIT = "visit", _("During a visit")
        OTHER = "other", _("Other")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="tickets")
    number = models.PositiveIntegerField(_("number"))
    external_code = models.CharField(_("external code"), max_length=40, blank=True)
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.CASCADE, related_name="tickets"
    )
    topic = models.CharField(_("topic"), max_length=12, choices=Topic.choices)
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    received_via = models.CharField(
        _("received by"), max_length=10, choices=Via.choices, blank=True
    )
    team = models.CharField(_("team"), max_length=10, choices=Team.choices, default=Team.SERVICE)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_tickets",
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TicketQuerySet.as_manager()

    class Meta:
        verbose_name = _("service ticket")
        verbose_name_plural = _("service tickets")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"], name="ticket_number_unique"),
            models.UniqueConstraint(
                fields=["organisation", "external_code"],
                condition=~Q(external_code=""),
                name="ticket_external_code_unique",
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | Q(status="closed", closed_at__isnull=False),
                name="ticket_closed_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["account", "status"]),
            models.Index(fields=["organisation", "status", "priority"]),
            models.Index(fields=["assigned_to", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"

    @property
    def reference(self) -> str:
        return f"T-{self.number:05d}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on is not None and self.due_on < timezone.localdate()
