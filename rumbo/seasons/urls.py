from django.urls import path

from rumbo.seasons import views

app_name = "seasons"
urlpatterns = [
    path("", views.profiles, name="profiles"),
    path("recompute/", views.recompute, name="recompute"),
    path("forecast/", views.forecast, name="forecast"),
    path("demand/", views.demand, name="demand"),
    path("calendar/", views.calendar, name="calendar"),
]
