from django.contrib import admin

from rumbo.core.admin import OrgScopedAdmin, ReadOnlyAdmin, ReadOnlyInline
from rumbo.review.models import ProspectingGoal, Recommendation, Review


@admin.register(ProspectingGoal)
class ProspectingGoalAdmin(OrgScopedAdmin):
    list_display = ["month", "rep", "new_accounts"]


class RecommendationInline(ReadOnlyInline):
    model = Recommendation
    fields = ["kind", "rep", "account", "status", "decided_by", "decided_at", "note"]


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["month", "territory", "prepared_by", "prepared_at"]
    inlines = [RecommendationInline]
