from django.urls import path

from rumbo.coverage import views

app_name = "coverage"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("recompute/", views.recompute, name="recompute"),
    path("strategies/", views.strategies, name="strategies"),
    path("migration/", views.migration, name="migration"),
    path("workload/", views.workload, name="workload"),
    path("accounts/<int:account_id>/", views.account_plan, name="account_plan"),
]
