from django.contrib import admin

from rumbo.core.admin import OrgInline, OrgScopedAdmin, ReadOnlyInline
from rumbo.customers.models import Account, Alignment, Channel, Contact


@admin.register(Channel)
class ChannelAdmin(OrgScopedAdmin):
    list_display = ["name", "code", "sort_order", "is_active"]
    search_fields = ["name", "code"]


class ContactInline(OrgInline):
    model = Contact


class AlignmentInline(ReadOnlyInline):
    """The account's territory history, written by the move_account service."""

    model = Alignment
    fields = readonly_fields = ("territory", "valid_from", "valid_to", "created_by")


@admin.register(Account)
class AccountAdmin(OrgScopedAdmin):
    list_display = ["__str__", "tax_id", "channel", "distrito", "territory", "status"]
    list_filter = ["status", "channel", "location_precision"]
    search_fields = ["legal_name", "trade_name", "tax_id", "external_code"]
    autocomplete_fields = ["distrito"]
    readonly_fields = ["territory", "location_precision", "created_at", "updated_at"]
    list_select_related = ["channel", "distrito", "territory"]
    inlines = [ContactInline, AlignmentInline]
