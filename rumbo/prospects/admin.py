from django.contrib import admin

from rumbo.core.admin import OrgScopedAdmin
from rumbo.prospects.models import Appointment, ChannelPotential, Prospect, ProspectTouch


class TouchInline(admin.TabularInline):
    model = ProspectTouch
    extra = 0


@admin.register(Prospect)
class ProspectAdmin(OrgScopedAdmin):
    list_display = ["name", "status", "score", "channel", "distrito", "owner", "territory"]
    list_filter = ["status", "source", "channel"]
    search_fields = ["name", "contact_name", "phone", "tax_id", "external_code"]
    raw_id_fields = ["account"]
    autocomplete_fields = ["distrito"]
    list_select_related = ["channel", "distrito", "owner", "territory"]
    inlines = [TouchInline]


@admin.register(Appointment)
class AppointmentAdmin(OrgScopedAdmin):
    list_display = ["day", "start_time", "rep", "prospect", "status"]
    list_filter = ["status"]
    raw_id_fields = ["prospect"]
    list_select_related = ["rep", "prospect"]


@admin.register(ChannelPotential)
class ChannelPotentialAdmin(OrgScopedAdmin):
    list_display = [
        "channel",
        "outlets_per_1000_households",
        "monthly_sales_per_outlet",
        "prospected",
    ]
