"""Accounts (customers), their contacts and channels, and where each account sat in the tree."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rumbo.core.models import Organisation
from rumbo.core.peru import validate_dni, validate_ruc
from rumbo.geo.models import Distrito
from rumbo.territories.models import Territory
from rumbo.territories.scoping import restrict

if TYPE_CHECKING:
    from rumbo.core.models import AnyUser

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class Channel(models.Model):
    """A trade channel (bodega, minimarket, mayorista, ...); each organisation has its own."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="channels"
    )
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=80)
    sort_order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="channel_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class AccountQuerySet(models.QuerySet["Account"]):
    def visible_to(self, user: AnyUser) -> AccountQuerySet:
        return restrict(self, user, territory="territory_id")

    def in_territory(self, territory: Territory) -> AccountQuerySet:
        return self.filter(territory__path__startswith=territory.path)

    def active(self) -> AccountQuerySet:
        return self.filter(status=Account.Status.ACTIVE)


def validate_opening_hours(value: Any) -> None:
    """{"mon": [["08:00", "13:00"], ["15:00", "20:00"]], ...}; a missing day means closed."""
    if not isinstance(value, dict):
        raise ValidationError(_("Opening hours must map weekdays to time ranges."))
    for day, ranges in value.items():
        if day not in WEEKDAYS:
            raise ValidationError(_("'%(day)s' is not a weekday (mon … sun)."), params={"day": day})
        if not isinstance(ranges, list):
            raise ValidationError(
                _("Opening hours of %(day)s must be a list."), params={"day": day}
            )
        previous_end = ""
        for pair in ranges:
            if (
                not isinstance(pair, list | tuple)
                or len(pair) != 2
                or not all(isinstance(t, str) and _HHMM.match(t) for t in pair)
            ):
                raise ValidationError(
                    _("Opening hours of %(day)s must be ranges like 08:00–13:00."),
                    params={"day": day},
                )
            start, end = pair
            if end <= start or start < previous_end:
                raise ValidationError(
                    _("Opening hours of %(day)s overlap or end before they start."),
                    params={"day": day},
                )
            previous_end = end


class Account(models.Model):
    class Status(models.TextChoices):
        PROSPECT = "prospect", _("Prospect")
        ACTIVE = "active", _("Active")
        INACTIVE = "inactive", _("Inactive")

    class TaxIdType(models.TextChoices):
        RUC = "ruc", "RUC"
        DNI = "dni", "DNI"
        NONE = "", _("None")

    class LocationPrecision(models.TextChoices):
        EXACT = "exact", _("Exact (GPS or geocoded)")
        DISTRICT = "district", _("Approximate: centre of the district")
        UNKNOWN = "unknown", _("Unknown (an account abroad without coordinates)")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="accounts"
    )
    external_code = models.CharField(
        _("external code"), max_length=40, blank=True, help_text=_("Code in the customer's ERP")
    )
    legal_name = models.CharField(_("legal name"), max_length=200)
    trade_name = models.CharField(_("trade name"), max_length=200, blank=True)
    tax_id_type = models.CharField(
        _("tax id type"), max_length=3, choices=TaxIdType.choices, blank=True, default=""
    )
    tax_id = models.CharField(_("RUC / DNI"), max_length=11, blank=True, db_index=True)
    channel = models.ForeignKey(
        Channel, verbose_name=_("channel"), on_delete=models.PROTECT, related_name="accounts"
    )
    address = models.CharField(_("address"), max_length=250, blank=True)
    country = models.CharField(
        _("country"), max_length=2, default="PE", help_text=_("ISO 3166 code, e.g. PE")
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    distrito = models.ForeignKey(
        Distrito,
        verbose_name=_("district (ubigeo)"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Required for accounts in Peru"),
    )
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    location_precision = models.CharField(
        _("location"), max_length=10, choices=LocationPrecision.choices
    )
    opening_hours = models.JSONField(
        _("opening hours"), default=dict, blank=True, validators=[validate_opening_hours]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    credit_limit = models.DecimalField(
        _("credit limit"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    opened_on = models.DateField(
        _("customer since"), null=True, blank=True, help_text=_("First day as a customer")
    )
    closed_on = models.DateField(
        _("lost on"), null=True, blank=True, help_text=_("Day the account stopped buying for good")
    )
    territory = models.ForeignKey(
        Territory,
        verbose_name=_("territory"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AccountQuerySet.as_manager()

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["trade_name", "legal_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "external_code"],
                condition=~Q(external_code=""),
                name="account_external_code_unique",
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "territory", "status"]),
            models.Index(fields=["organisation", "legal_name"]),
            # Covers the active accounts of some territories with their ids (visit coverage
            # joins tens of thousands of them to their visits; PostgreSQL reads only the index).
            models.Index(
                fields=["organisation", "status", "territory", "id"], name="account_status_cover"
            ),
        ]

    def __str__(self) -> str:
        return self.trade_name or self.legal_name

    @property
    def name(self) -> str:
        return str(self)

    def clean(self) -> None:
        if self.country == "PE" and self.distrito_id is None:
            raise ValidationError({"distrito": _("Accounts in Peru need their district (ubigeo).")})
        if self.tax_id_type == self.TaxIdType.RUC:
            validate_ruc(self.tax_id)
        elif self.tax_id_type == self.TaxIdType.DNI:
            validate_dni(self.tax_id)
        elif self.tax_id:
            raise ValidationError({"tax_id_type": _("Say whether the number is a RUC or a DNI.")})

    def clean_fields(self, exclude: Any = None) -> None:
        super().clean_fields(exclude)
        if self.opened_on and self.closed_on and self.closed_on < self.opened_on:
            raise ValidationError(
                {"closed_on": _("An account cannot be lost before it was opened.")}
            )

    def place(self, lat: float | None, lon: float | None) -> None:
        """Set the location; without coordinates, use the district's reference point and say so
        (an account abroad without coordinates has an unknown location)."""
        if lat is not None and lon is not None:
            self.lat, self.lon = lat, lon
            self.location_precision = self.LocationPrecision.EXACT
            return
        distrito = self.distrito
        if distrito is None:  # abroad: Peruvian accounts always have a district (see clean)
            self.lat = self.lon = None
            self.location_precision = self.LocationPrecision.UNKNOWN
            return
        if distrito.lat is None or distrito.lon is None:
            raise ValidationError(
                {
                    "distrito": ValidationError(
                        _("District %(d)s has no known location; give coordinates."),
                        params={"d": distrito.ubigeo},
                    )
                }
            )
        self.lat, self.lon = distrito.lat, distrito.lon
        self.location_precision = self.LocationPrecision.DISTRICT

    @property
    def location_is_approximate(self) -> bool:
        return self.location_precision == self.LocationPrecision.DISTRICT

    @property
    def has_location(self) -> bool:
        return self.lat is not None and self.lon is not None


class Contact(models.Model):
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("position"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    is_primary = models.BooleanField(_("main contact"), default=False)
    external_code = models.CharField(_("external code"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-is_primary", "name"]

    def __str__(self) -> str:
        return self.name


class AlignmentQuerySet(models.QuerySet["Alignment"]):
    def visible_to(self, user: AnyUser) -> AlignmentQuerySet:
        return self.filter(account__in=Account.objects.visible_to(user))


class Alignment(models.Model):
    """Append-only history of which territory an account belonged to, from when until when."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="alignments")
    territory = models.ForeignKey(Territory, on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AlignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("account alignment")
        verbose_name_plural = _("account alignment history")
        ordering = ["account", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="alignment_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.account} → {self.territory} ({self.valid_from} – {self.valid_to or '…'})"
