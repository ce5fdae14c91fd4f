from django.urls import path

from rumbo.customers import views

app_name = "customers"
urlpatterns = [
    path("", views.account_list, name="account_list"),
    path("export.csv", views.account_export, name="account_export"),
    path("points.json", views.account_points, name="account_points"),
    path("distritos.geojson", views.account_distritos, name="account_distritos"),
    path("<int:pk>/", views.account_detail, name="account_detail"),
]
