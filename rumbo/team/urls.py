from django.urls import path

from rumbo.team import views

app_name = "team"
urlpatterns = [
    path("", views.team_list, name="list"),
    path("<int:rep_id>/coaching/new/", views.coaching_new, name="coaching_new"),
    path("<int:rep_id>/training/new/", views.training_new, name="training_new"),
    path("coaching/<int:pk>/delete/", views.coaching_delete, name="coaching_delete"),
    path("training/<int:pk>/delete/", views.training_delete, name="training_delete"),
]
