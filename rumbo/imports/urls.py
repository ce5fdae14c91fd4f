from django.urls import path

from rumbo.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.batch_list, name="list"),
    path("<int:pk>/mapping/", views.batch_mapping, name="mapping"),
    path("<int:pk>/preview/", views.batch_preview, name="preview"),
    path("<int:pk>/", views.batch_detail, name="detail"),
    path("mappings/<int:pk>/delete/", views.preset_delete, name="preset_delete"),
]
