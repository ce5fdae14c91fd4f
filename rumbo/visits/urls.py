from django.urls import path

from rumbo.visits import views

app_name = "visits"
urlpatterns = [
    path("", views.home, name="home"),
    path("team/", views.team, name="team"),
    path("plan-vs-actual/", views.actuals, name="actuals"),
    path("settings/", views.routing_settings, name="settings"),
    path("reps/<int:rep_id>/", views.week, name="week"),
    path("reps/<int:rep_id>/plan/", views.plan, name="plan"),
    path("reps/<int:rep_id>/timely/", views.add_timely, name="add_timely"),
    path("reps/<int:rep_id>/<str:date>/", views.day, name="day"),
    path("reps/<int:rep_id>/<str:date>/route.json", views.route, name="route"),
    path("reps/<int:rep_id>/<str:date>/add/", views.add, name="add"),
    path("reps/<int:rep_id>/<str:date>/from-here/", views.from_here, name="from_here"),
    path("visits/<int:pk>/move/", views.move, name="move"),
    path("accounts/<int:account_id>/call-plan/", views.call_plan, name="call_plan"),
]
