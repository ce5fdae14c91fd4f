from django.contrib import admin

from rumbo.core.admin import OrgScopedAdmin
from rumbo.interactions.models import (
    Campaign,
    CampaignTouch,
    ContactPolicy,
    Interaction,
    PlannedActivity,
    Ticket,
)


@admin.register(Interaction)
class InteractionAdmin(OrgScopedAdmin):
    list_display = ["occurred_at", "kind", "team", "account", "user", "outcome"]
    list_filter = ["kind", "team", "outcome"]
    search_fields = ["account__trade_name", "account__legal_name", "subject"]
    date_hierarchy = "occurred_at"
    raw_id_fields = ["account", "campaign"]
    list_select_related = ["account", "user"]


@admin.register(Ticket)
class TicketAdmin(OrgScopedAdmin):
    list_display = ["number", "subject", "account", "topic", "priority", "status", "assigned_to"]
    list_filter = ["status", "priority", "topic", "team"]
    search_fields = ["subject", "account__trade_name", "account__legal_name", "external_code"]
    raw_id_fields = ["account"]
    list_select_related = ["account", "assigned_to"]
    readonly_fields = ["number"]


class TouchInline(admin.TabularInline):
    model = CampaignTouch
    raw_id_fields = ["account", "interaction"]
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(OrgScopedAdmin):
    list_display = ["name", "code", "medium", "starts_on", "ends_on", "status"]
    list_filter = ["status", "medium", "team"]
    search_fields = ["name", "code"]
    filter_horizontal = ["audience_channels", "audience_territories"]
    inlines = [TouchInline]


@admin.register(ContactPolicy)
class ContactPolicyAdmin(OrgScopedAdmin):
    list_display = ["__str__", "min_days_between", "max_per_month", "min_per_month"]


@admin.register(PlannedActivity)
class PlannedActivityAdmin(OrgScopedAdmin):
    list_display = ["day", "start_time", "rep", "kind", "account", "status", "source"]
    list_filter = ["status", "kind", "source"]
    raw_id_fields = ["account", "ticket", "interaction"]
    date_hierarchy = "day"
    list_select_related = ["rep", "account"]
