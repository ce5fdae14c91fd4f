from django.urls import path

from rumbo.quotas import views

app_name = "quotas"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/settings/", views.change_settings, name="settings"),
    path("<int:pk>/refresh/", views.refresh, name="refresh"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/new-version/", views.new_version, name="new_version"),
    path("<int:pk>/delete/", views.delete, name="delete"),
    path("<int:pk>/export.xlsx", views.export, name="export"),
]
