from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from rumbo.geo.models import CentroPoblado, Departamento, Distrito, Provincia


class ReferenceDataAdmin(admin.ModelAdmin):
    """INEI reference data: loaded from the shipped files, read here (staff may look it up)."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_staff)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Departamento)
class DepartamentoAdmin(ReferenceDataAdmin):
    list_display = ["code", "name", "lat", "lon"]
    search_fields = ["code", "name"]


@admin.register(Provincia)
class ProvinciaAdmin(ReferenceDataAdmin):
    list_display = ["code", "name", "departamento"]
    list_filter = ["departamento"]
    search_fields = ["code", "name"]


@admin.register(Distrito)
class DistritoAdmin(ReferenceDataAdmin):
    list_display = ["ubigeo", "name", "provincia", "population_2017", "households_2017"]
    list_filter = ["provincia__departamento"]
    search_fields = ["ubigeo", "name", "capital"]
    exclude = ["boundary"]


@admin.register(CentroPoblado)
class CentroPobladoAdmin(ReferenceDataAdmin):
    list_display = ["code", "name", "distrito", "urban", "lat", "lon"]
    list_filter = ["urban"]
    search_fields = ["code", "name"]
    list_select_related = ["distrito"]
