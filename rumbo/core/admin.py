"""Admin pages of the core app, and the organisation-scoped base every app's admin uses.

An organisation's administrators (role admin, staff) manage their own organisation's rows; only
superusers see every organisation. Writes that must be audited go through the services.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.forms import ModelChoiceField, ModelMultipleChoiceField
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from rumbo.core.models import ApiToken, AuditEntry, Job, Organisation, Role, User

admin.site.unregister(Group)  # roles live on the user; Django's groups are not used
admin.site.site_header = "Rumbo"
admin.site.site_title = "Rumbo"
admin.site.index_title = _("Administration")


def actor(request: HttpRequest) -> User:
    """The signed-in user behind an admin request (admin views require one)."""
    assert isinstance(request.user, User)
    return request.user


def _org_admin(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and getattr(user, "role", None) == Role.ADMIN)


class OrgScopedAdmin(admin.ModelAdmin):
    """Rows of the signed-in administrator's organisation only; new rows belong to it."""

    # Lookup from a row to its organisation's id.
    org_field = "organisation_id"

    def _org_id(self, request: HttpRequest) -> int | None:
        return getattr(request.user, "organisation_id", None)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(**{self.org_field: self._org_id(request)})

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser or _org_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField | None:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        return self._scope_choices(field, db_field.related_model, request)

    def formfield_for_manytomany(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> ModelMultipleChoiceField | None:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        return self._scope_choices(field, db_field.related_model, request)

    def _scope_choices(self, field: Any, model: Any, request: HttpRequest) -> Any:
        """Offer only the rows of the administrator's organisation as choices."""
        if field is not None and field.queryset is not None and not request.user.is_superuser:
            org_id = self._org_id(request)
            if model is Organisation:
                field.queryset = field.queryset.filter(pk=org_id)
            elif any(f.name == "organisation" for f in model._meta.get_fields()):
                field.queryset = field.queryset.filter(organisation_id=org_id)
        return field

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change and self.org_field == "organisation_id" and not obj.organisation_id:
            obj.organisation_id = self._org_id(request)
        super().save_model(request, obj, form, change)


class OrgInline(admin.TabularInline):
    """An inline on an organisation-scoped page: the page's permissions apply to it."""

    extra = 0

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser or _org_admin(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_view_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_view_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_view_permission(request, obj)


class ReadOnlyInline(OrgInline):
    """History shown beside its parent (status changes, alignments): never edited here."""

    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(OrgScopedAdmin):
    """History and logs: to read, never to edit."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Organisation)
class OrganisationAdmin(OrgScopedAdmin):
    list_display = ["name", "slug", "currency", "tax_rate", "created_at"]
    search_fields = ["name", "slug"]
    org_field = "pk"

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser


@admin.register(User)
class UserAdmin(OrgScopedAdmin, DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "team", "manager", "is_active"]
    list_filter = ["role", "team", "is_active"]
    search_fields = ["username", "first_name", "last_name", "email"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (
            _("Rumbo"),
            {"fields": ("organisation", "role", "team", "manager", "can_see_amounts", "language")},
        ),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Rumbo"), {"fields": ("organisation", "role", "team", "manager")}),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if request.user.is_superuser:
            return ()
        return ("is_superuser", "user_permissions", "groups")


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    org_field = "user__organisation_id"
    list_display = ["name", "user", "key_prefix", "created_at", "last_used_at", "revoked_at"]
    exclude = ["key_hash"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "object_type", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr", "object_id"]
    date_hierarchy = "at"


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = ["label", "kind", "user", "status", "done", "total", "created_at", "finished_at"]
    list_filter = ["status", "kind"]
