"""Prospects (leads) and their pipeline, what was done with each, appointments booked into a
rep's calendar, and the parameters of the white-space model per channel."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rumbo.core.models import Organisation, Team
from rumbo.core.peru import validate_dni, validate_ruc
from rumbo.customers.models import Account, Channel
from rumbo.geo.models import Distrito
from rumbo.territories.models import Territory
from rumbo.territories.scoping import restrict

if TYPE_CHECKING:
    from rumbo.core.models import AnyUser


class ProspectQuerySet(models.QuerySet["Prospect"]):
    def visible_to(self, user: AnyUser) -> ProspectQuerySet:
        """Prospects of the user's territories, and those the user's visible reps own."""
        return restrict(self, user, territory="territory_id", person="owner_id")

    def open(self) -> ProspectQuerySet:
        return self.filter(status__in=Prospect.OPEN_STATUSES)


class Prospect(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        CONTACTED = "contacted", _("Contacted")
        APPOINTMENT = "appointment", _("Appointment")
        WON = "won", _("Won")
        LOST = "lost", _("Lost")

    class Source(models.TextChoices):
        FIELD = "field", _("Seen in the field")
        REFERRAL = "referral", _("Referral")
        INBOUND = "inbound", _("They contacted us")
        WEBSITE = "website", _("Website")
        EVENT = "event", _("Event or fair")
        LIST = "list", _("List or directory")
        WHITE_SPACE = "white_space", _("White-space analysis")
        OTHER = "other", _("Other")

    class LostReason(models.TextChoices):
        PRICE = "price", _("Price")
        HAS_SUPPLIER = "supplier", _("Happy with another supplier")
        NO_CREDIT = "credit", _("No credit")
        NOT_INTERESTED = "not_interested", _("Not interested")
        CLOSED = "closed", _("Business closed")
        OUT_OF_AREA = "out_of_area", _("Outside our area")
        UNREACHABLE = "unreachable", _("Never reached")
        OTHER = "other", _("Other")

    OPEN_STATUSES = (Status.NEW, Status.CONTACTED, Status.APPOINTMENT)

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="prospects"
    )
    external_code = models.CharField(_("external code"), max_length=40, blank=True)
    name = models.CharField(_("business name"), max_length=200)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    tax_id = models.CharField(_("RUC / DNI"), max_length=11, blank=True)
    address = models.CharField(_("address"), max_length=250, blank=True)
    distrito = models.ForeignKey(
        Distrito,
        verbose_name=_("district (ubigeo)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    location_precision = models.CharField(
        _("location"), max_length=10, choices=Account.LocationPrecision.choices
    )
    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default="new")
    lost_reason = models.CharField(
        _("reason lost"), max_length=15, choices=LostReason.choices, blank=True
    )
    lost_notes = models.CharField(_("why, in a few words"), max_length=250, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="prospects",
    )
    territory = models.ForeignKey(
        Territory,
        verbose_name=_("territory"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    notes = models.TextField(_("notes"), blank=True)
    score = models.PositiveSmallIntegerField(_("score"), default=0)
    # The parts of the score: [{"code": "channel", "points": 31, ...figures}], see scoring.py.
    score_factors = models.JSONField(default=list, blank=True)
    last_contact_at = models.DateTimeField(_("last contact"), null=True, blank=True)
    account = models.OneToOneField(
        Account,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="prospect_origin",
        help_text=_("The account this prospect became."),
    )
    converted_at = models.DateTimeField(_("converted"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProspectQuerySet.as_manager()

    class Meta:
        verbose_name = _("prospect")
        verbose_name_plural = _("prospects")
        ordering = ["-score", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "external_code"],
                condition=~Q(external_code=""),
                name="prospect_external_code_unique",
            ),
            models.CheckConstraint(
                condition=~Q(status="lost") | ~Q(lost_reason=""), name="prospect_lost_has_reason"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "score"]),
            models.Index(fields=["owner", "status"]),
            models.Index(fields=["territory", "status"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def clean(self) -> None:
        if len(self.tax_id) == 11:
            validate_ruc(self.tax_id)
        elif self.tax_id:
            validate_dni(self.tax_id)


class ProspectTouchQuerySet(models.QuerySet["ProspectTouch"]):
    def visible_to(self, user: AnyUser) -> ProspectTouchQuerySet:
        return self.filter(prospect__in=Prospect.objects.visible_to(user))


class ProspectTouch(models.Model):
    """Something done with a prospect: a call, a visit, a message, a note."""

    class Kind(models.TextChoices):  # the same codes as interactions, for one timeline
        CALL = "call", _("Call")
        VISIT = "visit", _("Visit")
        EMAIL = "email", _("Email")
        WHATSAPP = "whatsapp", _("WhatsApp")
        NOTE = "note", _("Note")

    class Outcome(models.TextChoices):
        INTERESTED = "interested", _("Interested")
        APPOINTMENT = "appointment", _("Appointment booked")
        CALL_BACK = "call_back", _("Call back later")
        NOT_INTERESTED = "not_interested", _("Not interested")
        NOT_REACHED = "not_reached", _("Not reached")

    prospect = models.ForeignKey(Prospect, on_delete=models.CASCADE, related_name="touches")
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    team = models.CharField(_("team"), max_length=10, choices=Team.choices, default=Team.SALES)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    outcome = models.CharField(_("outcome"), max_length=15, choices=Outcome.choices, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = ProspectTouchQuerySet.as_manager()

    class Meta:
        verbose_name = _("prospect contact")
        verbose_name_plural = _("prospect contacts")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["prospect", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.prospect} {self.occurred_at:%Y-%m-%d}"


class AppointmentQuerySet(models.QuerySet["Appointment"]):
    def visible_to(self, user: AnyUser) -> AppointmentQuerySet:
        return restrict(self, user, territory="prospect__territory_id", person="rep_id")

    def booked(self) -> AppointmentQuerySet:
        return self.filter(status=Appointment.Status.BOOKED)


class Appointment(models.Model):
    """A meeting with a prospect at a fixed day and time, in a rep's calendar: a fixed stop the
    visit planner must keep."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        DONE = "done", _("Held")
        CANCELLED = "cancelled", _("Cancelled")
        NO_SHOW = "no_show", _("Nobody there")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    prospect = models.ForeignKey(
        Prospect, verbose_name=_("prospect"), on_delete=models.CASCADE, related_name="appointments"
    )
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rep"),
        on_delete=models.CASCADE,
        related_name="appointments",
    )
    day = models.DateField(_("day"))
    start_time = models.TimeField(_("time"))
    duration_min = models.PositiveSmallIntegerField(
        _("duration (min)"), default=45, validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.BOOKED
    )
    notes = models.TextField(_("notes"), blank=True)
    result_notes = models.TextField(_("result"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["day", "start_time", "id"]
        indexes = [models.Index(fields=["rep", "day"])]

    def __str__(self) -> str:
        return f"{self.prospect} {self.day} {self.start_time:%H:%M}"


class PotentialQuerySet(models.QuerySet["ChannelPotential"]):
    def visible_to(self, user: AnyUser) -> PotentialQuerySet:
        return restrict(self, user)


class ChannelPotential(models.Model):
    """The white-space model's figures for one channel; an empty figure is learned from the
    organisation's own customers and sales (see rumbo/prospects/potential.py)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), on_delete=models.CASCADE, related_name="+"
    )
    outlets_per_1000_households = models.DecimalField(
        _("outlets per 1,000 households"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Empty: learned from the districts where the company is well established."),
    )
    monthly_sales_per_outlet = models.DecimalField(
        _("monthly sales per customer"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Empty: the average of this channel's customers over the last 12 months."),
    )
    prospected = models.BooleanField(
        _("prospect this channel"),
        default=True,
        help_text=_("Leave unticked for channels the company does not look for (e.g. chains)."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = PotentialQuerySet.as_manager()

    class Meta:
        verbose_name = _("channel potential")
        verbose_name_plural = _("channel potentials")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "channel"], name="channel_potential_unique"
            )
        ]

    def __str__(self) -> str:
        return str(self.channel)

    def clean(self) -> None:
        if self.channel_id and self.channel.organisation_id != self.organisation_id:
            raise ValidationError({"channel": _("This belongs to another organisation.")})
