"""Targets; every change goes through `set_target`, which records it in the audit trail."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from rumbo.core.admin import OrgScopedAdmin, actor
from rumbo.targets.models import Target
from rumbo.targets.services import set_target


@admin.register(Target)
class TargetAdmin(OrgScopedAdmin):
    list_display = ["month", "territory", "rep", "measure", "category", "value", "updated_by"]
    list_filter = ["measure", "month"]
    search_fields = ["territory__name", "rep__username"]
    fields = ["territory", "rep", "month", "measure", "category", "value"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["territory", "rep", "month", "measure", "category"] if obj else []

    def save_model(self, request: HttpRequest, obj: Target, form: Any, change: bool) -> None:
        saved = set_target(
            organisation=obj.organisation if obj.organisation_id else actor(request).organisation,
            month=obj.month,
            measure=obj.measure,
            value=obj.value,
            territory=obj.territory,
            rep=obj.rep,
            category=obj.category,
            actor=actor(request),
        )
        obj.pk = saved.pk
