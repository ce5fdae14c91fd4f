from django.contrib import admin

from rumbo.core.admin import OrgScopedAdmin
from rumbo.team.models import CoachingNote, Rep, TrainingRecord


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


@admin.register(CoachingNote)
class CoachingNoteAdmin(OrgScopedAdmin):
    list_display = ["day", "rep", "author", "topic", "shared_with_rep"]
    list_filter = ["topic", "shared_with_rep"]
    date_hierarchy = "day"
    list_select_related = ["rep", "author"]


@admin.register(TrainingRecord)
class TrainingRecordAdmin(OrgScopedAdmin):
    list_display = ["day", "rep", "course", "result", "score"]
    list_filter = ["result"]
    search_fields = ["course", "provider", "rep__username", "rep__first_name"]
    list_select_related = ["rep"]
