"""Peru's geography: departamentos, provincias, distritos (INEI ubigeo) and centros poblados.

Loaded by the migration geo/0002 from the files in rumbo/geo/data; see that folder's README.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from rumbo.core.names import proper


class Departamento(models.Model):
    code = models.CharField(_("code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    lat = models.FloatField(null=True)
    lon = models.FloatField(null=True)

    class Meta:
        verbose_name = _("departamento")
        verbose_name_plural = _("departamentos")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Provincia(models.Model):
    code = models.CharField(_("code"), max_length=4, primary_key=True)
    departamento = models.ForeignKey(
        Departamento, on_delete=models.PROTECT, related_name="provincias"
    )
    name = models.CharField(_("name"), max_length=100)
    lat = models.FloatField(null=True)
    lon = models.FloatField(null=True)

    class Meta:
        verbose_name = _("provincia")
        verbose_name_plural = _("provincias")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Distrito(models.Model):
    """A district, keyed by its 6-character INEI ubigeo (leading zeros kept).

    `lat`/`lon` is the district's reference point: its capital town, or the centroid of its
    polygon when the capital's coordinates are unknown. Census figures are INEI 2017.
    """

    ubigeo = models.CharField(_("ubigeo"), max_length=6, primary_key=True)
    provincia = models.ForeignKey(Provincia, on_delete=models.PROTECT, related_name="distritos")
    name = models.CharField(_("name"), max_length=100)
    capital = models.CharField(_("capital"), max_length=100, blank=True)
    lat = models.FloatField(null=True)
    lon = models.FloatField(null=True)
    area_km2 = models.FloatField(null=True)
    population_2017 = models.PositiveIntegerField(null=True)
    urban_population_2017 = models.PositiveIntegerField(null=True)
    households_2017 = models.PositiveIntegerField(null=True)
    population_2022 = models.PositiveIntegerField(null=True)
    boundary = models.JSONField(null=True, blank=True, help_text=_("GeoJSON geometry (INEI 2007)"))

    class Meta:
        verbose_name = _("distrito")
        verbose_name_plural = _("distritos")
        ordering = ["ubigeo"]

    def __str__(self) -> str:
        return f"{self.name} ({self.ubigeo})"

    @property
    def departamento_code(self) -> str:
        return self.ubigeo[:2]

    @property
    def label(self) -> str:
        """'Miraflores, Lima, Lima' — district, provincia, departamento."""
        prov = self.provincia
        return f"{proper(self.name)}, {proper(prov.name)}, {proper(prov.departamento.name)}"


class CentroPoblado(models.Model):
    """A populated place (INEI), with coordinates and an urban/rural flag."""

    code = models.CharField(_("code"), max_length=10, primary_key=True)
    distrito = models.ForeignKey(Distrito, on_delete=models.CASCADE, related_name="centros")
    name = models.CharField(_("name"), max_length=150)
    urban = models.BooleanField(_("urban"))
    lat = models.FloatField()
    lon = models.FloatField()

    class Meta:
        verbose_name = _("centro poblado")
        verbose_name_plural = _("centros poblados")
        indexes = [models.Index(fields=["urban", "distrito"])]

    def __str__(self) -> str:
        return self.name
