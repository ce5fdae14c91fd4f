from django.urls import path

from rumbo.review import views

app_name = "review"
urlpatterns = [
    path("", views.review_list, name="list"),
    path("<int:pk>/", views.review_detail, name="detail"),
    path("<int:pk>/recommendations/<int:rec_pk>/", views.decide, name="decide"),
    path("<int:pk>/goal/", views.goal, name="goal"),
]
