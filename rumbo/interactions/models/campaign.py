"""Marketing campaigns: who they reach (the audience), when, through which channel; and each
account's touch, planned, left out (with the reason) or done."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rumbo.core.models import Organisation, Team
from rumbo.customers.models import Account, Channel
from rumbo.territories.models import Territory
from rumbo.territories.scoping import restrict

if TYPE_CHECKING:
    from rumbo.core.models import AnyUser


class CampaignQuerySet(models.QuerySet["Campaign"]):
    def visible_to(self, user: AnyUser) -> CampaignQuerySet:
        """Campaigns are the organisation's; which of their touches a user sees is narrower."""
        return restrict(self, user)


class Campaign(models.Model):
    class Medium(models.TextChoices):
        PHONE = "phone", _("Phone")
        EMAIL = "email", _("Email")
        VISIT = "visit", _("Visit")
        WHATSAPP = "whatsapp", _("WhatsApp")
        SMS = "sms", _("SMS")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft: audience not built")
        PLANNED = "planned", _("Audience built")
        FINISHED = "finished", _("Finished")
        CANCELLED = "cancelled", _("Cancelled")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="campaigns"
    )
    code = models.CharField(_("code"), max_length=40, blank=True)
    name = models.CharField(_("name"), max_length=150)
    message = models.TextField(_("message"), blank=True, help_text=_("What the campaign says."))
    medium = models.CharField(_("channel of contact"), max_length=10, choices=Medium.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    team = models.CharField(_("team"), max_length=10, choices=Team.choices, default=Team.MARKETING)
    # The audience: accounts matching every criterion given (an empty criterion matches all).
    audience_channels = models.ManyToManyField(
        Channel, verbose_name=_("customer channels"), blank=True, related_name="+"
    )
    audience_territories = models.ManyToManyField(
        Territory, verbose_name=_("territories"), blank=True, related_name="+"
    )
    audience_ubigeos = models.JSONField(
        _("places"),
        default=list,
        blank=True,
        help_text=_("Ubigeo codes: departamento (2 digits), provincia (4) or distrito (6)."),
    )
    include_inactive = models.BooleanField(_("include inactive accounts"), default=False)
    exclude_contacted_days = models.PositiveSmallIntegerField(
        _("leave out accounts contacted in the last … days"),
        null=True,
        blank=True,
        default=7,
        validators=[MaxValueValidator(365)],
    )
    respect_policy = models.BooleanField(
        _("respect the contact policy"),
        default=True,
        help_text=_(
            "Touches that would break the contact policy move to the first allowed day within "
            "the campaign, or are left out."
        ),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    audience_built_at = models.DateTimeField(_("audience built"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"],
                condition=~Q(code=""),
                name="campaign_code_unique",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="campaign_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CampaignTouchQuerySet(models.QuerySet["CampaignTouch"]):
    def visible_to(self, user: AnyUser) -> CampaignTouchQuerySet:
        return restrict(
            self, user, territory="account__territory_id", organisation="campaign__organisation_id"
        )


class CampaignTouch(models.Model):
    """One account in a campaign's audience."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        EXCLUDED = "excluded", _("Left out")
        DONE = "done", _("Done")
        SKIPPED = "skipped", _("Not done")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="touches")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="campaign_touches")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    planned_on = models.DateField(_("planned for"), null=True, blank=True)
    # Why it was left out or moved: a code and its figures, worded in the reader's language.
    reason = models.JSONField(_("reason"), default=dict, blank=True)
    interaction = models.OneToOneField(
        "interactions.Interaction",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="campaign_touch",
    )

    objects = CampaignTouchQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign touch")
        verbose_name_plural = _("campaign touches")
        ordering = ["planned_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "account"], name="campaign_touch_unique")
        ]
        indexes = [models.Index(fields=["account", "status", "planned_on"])]

    def __str__(self) -> str:
        return f"{self.campaign} → {self.account}"
