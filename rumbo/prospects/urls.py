from django.urls import path

from rumbo.prospects import views, whitespace_views

app_name = "prospects"
urlpatterns = [
    path("", views.prospect_list, name="list"),
    path("new/", views.prospect_new, name="new"),
    path("assign/", views.prospect_assign, name="assign"),
    path("calls/", views.cold_calls, name="cold_calls"),
    path("white-space/", whitespace_views.white_space, name="white_space"),
    path("white-space.geojson", whitespace_views.white_space_geojson, name="white_space_geojson"),
    path("potential/", whitespace_views.potential_settings, name="potential"),
    path("rescore/", whitespace_views.rescore, name="rescore"),
    path("<int:prospect_id>/", views.prospect_detail, name="detail"),
    path("<int:prospect_id>/edit/", views.prospect_edit, name="edit"),
    path("<int:prospect_id>/action/", views.prospect_action, name="action"),
    path("<int:prospect_id>/convert/", views.prospect_convert, name="convert"),
    path("appointments/<int:appointment_id>/", views.appointment_action, name="appointment"),
]
