"""Target pages, mounted under /targets/ by rumbo.reports.urls (namespace reports:targets)."""

from django.urls import path

from rumbo.targets import views

app_name = "targets"
urlpatterns = [
    path("", views.home, name="home"),
    path("territory/<int:territory_id>/", views.grid, name="grid"),
    path("territory/<int:territory_id>/copy/", views.copy, name="copy"),
    path("territory/<int:territory_id>/spread/", views.spread, name="spread"),
    path("territory/<int:territory_id>/export.xlsx", views.export, name="export"),
    path("distributions/", views.distributions, name="distributions"),
    path("distributions/<int:pk>/", views.distribution, name="distribution"),
]
