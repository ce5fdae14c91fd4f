from django.contrib import admin

from rumbo.core.admin import OrgScopedAdmin
from rumbo.team.models import Rep


@admin.register(Rep)
class RepAdmin(OrgScopedAdmin):
    list_display = [
        "user",
        "code",
        "home_distrito",
        "weekly_capacity_hours",
        "cost_per_hour",
        "is_active",
    ]
    list_filter = ["is_active"]
    search_fields = ["code", "user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["home_distrito"]
    list_select_related = ["user", "home_distrito"]
