from django.contrib import admin

from rumbo.core.admin import OrgScopedAdmin, ReadOnlyAdmin
from rumbo.coverage.models import AccountPlan, AccountSegment, CoverageSettings, SegmentStrategy


@admin.register(CoverageSettings)
class CoverageSettingsAdmin(OrgScopedAdmin):
    list_display = ["organisation", "a_share_pct", "b_share_pct", "new_months"]


@admin.register(SegmentStrategy)
class SegmentStrategyAdmin(OrgScopedAdmin):
    list_display = ["segment", "objective", "frequency", "visit_min"]


@admin.register(AccountPlan)
class AccountPlanAdmin(OrgScopedAdmin):
    org_field = "account__organisation_id"
    list_display = ["account", "objective", "frequency", "visit_min", "target_amount"]
    raw_id_fields = ["account"]
    filter_horizontal = ["introduce"]


@admin.register(AccountSegment)
class AccountSegmentAdmin(ReadOnlyAdmin):
    list_display = ["month", "account", "segment", "quadrant", "revenue_12m", "territory"]
    list_filter = ["segment", "quadrant", "month"]
    raw_id_fields = ["account"]
    list_select_related = ["account", "territory"]
