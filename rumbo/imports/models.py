"""Imports: each uploaded file (a batch) with its mapping and report, and saved mappings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rumbo.core.models import Job, Organisation, Role
from rumbo.territories.scoping import restrict

if TYPE_CHECKING:
    from rumbo.core.models import AnyUser


def kind_label(code: str) -> str:
    """The name of an import kind in the user's language (the code if it is unknown)."""
    from rumbo.imports.kinds import KINDS

    kind = KINDS.get(code)
    return str(kind.label) if kind else code


class ImportBatchQuerySet(models.QuerySet["ImportBatch"]):
    def visible_to(self, user: AnyUser) -> ImportBatchQuerySet:
        """Admins see every import of their organisation, managers their own, others none."""
        if not user.is_authenticated or user.role not in (Role.ADMIN, Role.MANAGER):
            return self.none()
        qs = restrict(self, user)
        return qs if user.role == Role.ADMIN else qs.filter(user=user)


class ImportBatch(models.Model):
    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Waiting for its mapping")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        INVALID = "invalid", _("Has errors: nothing imported")
        CHECKED = "checked", _("Checked: ready to import")
        IMPORTED = "imported", _("Imported")
        FAILED = "failed", _("Failed")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="import_batches"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=30)
    file_name = models.CharField(_("file"), max_length=255)
    content = models.BinaryField(_("content"))
    sha256 = models.CharField(max_length=64, db_index=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    mapping = models.JSONField(_("mapping"), default=dict, blank=True)
    language = models.CharField(max_length=8, default="es")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.UPLOADED
    )
    dry_run = models.BooleanField(_("check only"), default=False)
    report = models.JSONField(_("report"), default=dict, blank=True)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    job = models.ForeignKey(Job, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind}: {self.file_name}"

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def error_count(self) -> int:
        value: Any = self.report.get("error_count", 0)
        return int(value)


class MappingPresetQuerySet(models.QuerySet["MappingPreset"]):
    def visible_to(self, user: AnyUser) -> MappingPresetQuerySet:
        return restrict(self, user)


class MappingPreset(models.Model):
    """A mapping saved under a name, to import the next file of the same system in one step."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="import_presets"
    )
    name = models.CharField(_("name"), max_length=80)
    kind = models.CharField(_("kind"), max_length=30)
    mapping = models.JSONField(_("mapping"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = MappingPresetQuerySet.as_manager()

    class Meta:
        verbose_name = _("import mapping")
        verbose_name_plural = _("import mappings")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="import_preset_name_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)
