from django.contrib.auth import views as auth_views
from django.urls import path

from rumbo.core import views

app_name = "core"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("me/", views.profile, name="profile"),
    path("me/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("jobs/<int:pk>/", views.job_detail, name="job"),
    path("audit/", views.audit, name="audit"),
]
