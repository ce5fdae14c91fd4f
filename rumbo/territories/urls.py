from django.urls import path

from rumbo.territories import views

app_name = "territories"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("<int:pk>/", views.detail, name="detail"),
]
