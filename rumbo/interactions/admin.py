from django.contrib import admin

from rumbo.core.admin import OrgScopedAdmin
from rumbo.interactions.models import Interaction


@admin.register(Interaction)
class InteractionAdmin(OrgScopedAdmin):
    list_display = ["occurred_at", "kind", "team", "account", "user", "outcome"]
    list_filter = ["kind", "team", "outcome"]
    search_fields = ["account__trade_name", "account__legal_name", "subject"]
    date_hierarchy = "occurred_at"
    raw_id_fields = ["account"]
    list_select_related = ["account", "user"]
