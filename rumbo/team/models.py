"""Field reps: where they start the day, when they work, how much time they have and cost."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext_lazy as _

from rumbo.core.models import Organisation
from rumbo.geo.models import Distrito
from rumbo.territories.scoping import restrict

if TYPE_CHECKING:
    from rumbo.core.models import AnyUser

QS = TypeVar("QS", bound="models.QuerySet[Any]")
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
    def work_days_display(self) -> str:
        """The working days in the user's language ("lun, mar, mié…")."""
        names = [WEEKDAYS_ABBR[WEEKDAYS.index(d)] for d in self.work_days if d in WEEKDAYS]
        return ", ".join(str(n) for n in names)

    @property
    def name(self) -> str:
        return str(self.user)


class CoachingQuerySet(models.QuerySet["CoachingNote"]):
    def visible_to(self, user: AnyUser) -> CoachingQuerySet:
        """Admins read every note; managers their team's; a rep the notes shared with them.
        Viewers (marketing, service) read none."""
        return _people_records(self, user).filter(
            models.Q(shared_with_rep=True) | ~models.Q(rep_id=getattr(user, "pk", None))
        )


class TrainingQuerySet(models.QuerySet["TrainingRecord"]):
    def visible_to(self, user: AnyUser) -> TrainingQuerySet:
        """Admins read every record; managers their team's; a rep their own."""
        return _people_records(self, user)


def _people_records(qs: QS, user: AnyUser) -> QS:
    from rumbo.core.models import Role

    if not user.is_authenticated or user.role == Role.VIEWER:
        return qs.none()
    return restrict(qs, user, person="rep_id")


class CoachingNote(models.Model):
    """What a manager saw and agreed with a rep, to follow their progress."""

    class Topic(models.TextChoices):
        VISITS = "visits", _("Quality of visits")
        SELLING = "selling", _("Selling and negotiation")
        PLANNING = "planning", _("Planning and coverage")
        PRODUCT = "product", _("Products and promotions")
        PROSPECTING = "prospecting", _("Prospecting")
        ADMIN = "admin", _("Orders and paperwork")
        OTHER = "other", _("Other")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rep"),
        on_delete=models.CASCADE,
        related_name="coaching_notes",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    day = models.DateField(_("date"), default=timezone.localdate)
    topic = models.CharField(_("topic"), max_length=12, choices=Topic.choices)
    note = models.TextField(_("what was seen"))
    agreed_actions = models.TextField(_("agreed actions"), blank=True)
    follow_up_on = models.DateField(_("review on"), null=True, blank=True)
    shared_with_rep = models.BooleanField(
        _("the rep may read it"), default=True, help_text=_("Untick for a private note.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CoachingQuerySet.as_manager()

    class Meta:
        verbose_name = _("coaching note")
        verbose_name_plural = _("coaching notes")
        ordering = ["-day", "-id"]
        indexes = [models.Index(fields=["rep", "day"])]

    def __str__(self) -> str:
        return f"{self.rep} {self.day}: {self.get_topic_display()}"


class TrainingRecord(models.Model):
    """A course a rep took, and how it went."""

    class Result(models.TextChoices):
        PASSED = "passed", _("Passed")
        FAILED = "failed", _("Failed")
        ATTENDED = "attended", _("Attended")
        IN_PROGRESS = "in_progress", _("In progress")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rep"),
        on_delete=models.CASCADE,
        related_name="training_records",
    )
    course = models.CharField(_("course"), max_length=200)
    provider = models.CharField(_("given by"), max_length=150, blank=True)
    day = models.DateField(_("date"))
    result = models.CharField(_("result"), max_length=12, choices=Result.choices)
    score = models.DecimalField(
        _("score (0–100)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    hours = models.DecimalField(
        _("hours"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TrainingQuerySet.as_manager()

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        ordering = ["-day", "-id"]
        indexes = [models.Index(fields=["rep", "day"])]

    def __str__(self) -> str:
        return f"{self.rep} {self.course} ({self.day})"
