from django.urls import path

from rumbo.design import views

app_name = "design"
urlpatterns = [
    path("", views.scenario_list, name="list"),
    path("compare/", views.compare, name="compare"),
    path("<int:pk>/", views.scenario, name="scenario"),
    path("<int:pk>/map.json", views.map_data, name="map_data"),
    path("<int:pk>/districts.geojson", views.districts, name="districts"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/locks/", views.locks, name="locks"),
    path("<int:pk>/optimise/", views.optimise, name="optimise"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/rollback/", views.rollback, name="rollback"),
    path("<int:pk>/copy/", views.copy, name="copy"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/reps/", views.reps, name="reps"),
]
