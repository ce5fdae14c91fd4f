"""Everything that happened with an account, from every team: visits, calls, emails, notes,
campaign touches; and the contact policy that says how often a customer may be contacted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from rumbo.core.models import Organisation, Team
from rumbo.coverage.models import Segment
from rumbo.customers.models import Account, Channel
from rumbo.territories.scoping import restrict

if TYPE_CHECKING:
    from rumbo.core.models import AnyUser


class InteractionQuerySet(models.QuerySet["Interaction"]):
    def visible_to(self, user: AnyUser) -> InteractionQuerySet:
        return self.filter(account__in=Account.objects.visible_to(user))

    def contacts(self) -> InteractionQuerySet:
        """The interactions that count as contacting the customer (for the contact guard)."""
        return self.filter(kind__in=Interaction.CONTACT_KINDS).exclude(
            outcome=Interaction.Outcome.NOT_REACHED
        )


class Interaction(models.Model):
    class Kind(models.TextChoices):
        VISIT = "visit", _("Visit")
        CALL = "call", _("Call")
        EMAIL = "email", _("Email")
        WHATSAPP = "whatsapp", _("WhatsApp")
        TICKET = "ticket", _("Service ticket")
        CAMPAIGN = "campaign", _("Campaign touch")
        NOTE = "note", _("Note")

    class Outcome(models.TextChoices):
        ORDER = "order", _("Order taken")
        NO_ORDER = "no_order", _("No order")
        CLOSED = "closed", _("Closed")
        NOT_REACHED = "not_reached", _("Not reached")
        DONE = "done", _("Done")

    # What reaches the customer: these count against the contact policy (a note does not, and
    # a ticket is the customer reaching us).
    CONTACT_KINDS = (Kind.VISIT, Kind.CALL, Kind.EMAIL, Kind.WHATSAPP, Kind.CAMPAIGN)

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
    campaign = models.ForeignKey(
        "interactions.Campaign",
        verbose_name=_("campaign"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interactions",
    )

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


CHANNEL_OR_SEGMENT = _("A policy is for a channel or for a segment, not both: leave one empty.")


class ContactPolicyQuerySet(models.QuerySet["ContactPolicy"]):
    def visible_to(self, user: AnyUser) -> ContactPolicyQuerySet:
        """Policies are the organisation's: everyone in it reads them."""
        return restrict(self, user)


class ContactPolicy(models.Model):
    """How often a group of customers may be contacted, across every team.

    A row for a segment applies to the accounts in that segment (their latest snapshot), a row
    for a channel to that channel's other accounts, and the row with neither to every other
    account. A row names a channel or a segment, never both."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contact_policies"
    )
    channel = models.ForeignKey(
        Channel,
        verbose_name=_("channel"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty: every account without a policy of its own."),
    )
    segment = models.CharField(
        _("segment"),
        max_length=1,
        choices=Segment.choices,
        blank=True,
        help_text=_("A segment's policy goes before its accounts' channel policy."),
    )
    min_days_between = models.PositiveSmallIntegerField(
        _("minimum days between contacts"), default=7, validators=[MaxValueValidator(180)]
    )
    max_per_month = models.PositiveSmallIntegerField(
        _("most contacts per month"),
        null=True,
        blank=True,
        default=4,
        validators=[MaxValueValidator(62)],
        help_text=_("Empty: no monthly limit."),
    )
    min_per_month = models.PositiveSmallIntegerField(
        _("fewest contacts per month"),
        default=1,
        validators=[MaxValueValidator(62)],
        help_text=_("Accounts contacted less often show as under-contacted."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContactPolicyQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact policy")
        verbose_name_plural = _("contact policies")
        ordering = ["channel__sort_order", "channel__name", "segment"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "channel"], name="contact_policy_channel_unique"
            ),
            models.UniqueConstraint(
                fields=["organisation", "segment"],
                condition=~Q(segment=""),
                name="contact_policy_segment_unique",
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(channel__isnull=True, segment=""),
                name="contact_policy_general_unique",
            ),
            models.CheckConstraint(
                condition=Q(channel__isnull=True) | Q(segment=""),
                name="contact_policy_channel_or_segment",
                violation_error_message=CHANNEL_OR_SEGMENT,
            ),
            models.CheckConstraint(
                condition=Q(max_per_month__isnull=True)
                | (Q(max_per_month__gte=models.F("min_per_month")) & Q(max_per_month__gte=1)),
                name="contact_policy_max_covers_min",
            ),
        ]

    def __str__(self) -> str:
        if self.segment:
            return gettext("Segment %(segment)s") % {"segment": self.get_segment_display()}
        return str(self.channel or _("Every channel"))

    def clean(self) -> None:
        if self.channel_id is not None and self.segment:
            raise ValidationError({"segment": CHANNEL_OR_SEGMENT})
