"""Territories and their assignments. Assignments are created through the `assign` service (so
the previous coverage ends and the audit trail records it) and are never edited afterwards."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from rumbo.core.admin import OrgScopedAdmin, actor
from rumbo.territories.models import Assignment, Territory
from rumbo.territories.services import assign, create_territory, move_territory


@admin.register(Territory)
class TerritoryAdmin(OrgScopedAdmin):
    list_display = ["indented_name", "code", "level", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["name", "code"]
    fields = ["organisation", "parent", "name", "code", "level", "is_active"]

    @admin.display(description="name", ordering="path")
    def indented_name(self, obj: Territory) -> str:
        return "— " * obj.depth + obj.name

    def save_model(self, request: HttpRequest, obj: Territory, form: Any, change: bool) -> None:
        if not change:
            created = create_territory(
                organisation=obj.organisation
                if obj.organisation_id
                else actor(request).organisation,
                name=obj.name,
                code=obj.code,
                level=obj.level,
                parent=obj.parent,
                actor=actor(request),
            )
            obj.pk, obj.path, obj.depth = created.pk, created.path, created.depth
            return
        parent_changed = "parent" in form.changed_data
        obj.save(update_fields=[f for f in form.changed_data if f != "parent"] or None)
        if parent_changed:
            move_territory(territory=obj, parent=obj.parent, actor=actor(request))


@admin.register(Assignment)
class AssignmentAdmin(OrgScopedAdmin):
    list_display = [
        "territory",
        "user",
        "role",
        "valid_from",
        "valid_to",
        "created_by",
        "created_at",
    ]
    list_filter = ["role"]
    search_fields = ["territory__name", "user__username", "user__first_name", "user__last_name"]
    date_hierarchy = "valid_from"
    fields = ["territory", "user", "role", "valid_from"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Assignment, form: Any, change: bool) -> None:
        created = assign(
            territory=obj.territory,
            user=obj.user,
            role=obj.role,
            valid_from=obj.valid_from,
            actor=actor(request),
        )
        obj.pk = created.pk
