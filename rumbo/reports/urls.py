from django.urls import include, path

from rumbo.reports import views

performance = (
    [
        path("", views.index, name="index"),
        path("me/", views.me, name="me"),
        path("settings/", views.settings, name="settings"),
        path("territory/<int:territory_id>/", views.territory, name="territory"),
        path("territory/<int:territory_id>/gap/", views.territory_gap, name="territory_gap"),
        path("territory/<int:territory_id>/review.pdf", views.review, name="review"),
        path(
            "territory/<int:territory_id>/rep/<int:rep_id>/",
            views.territory_rep,
            name="territory_rep",
        ),
        path("rep/<int:rep_id>/", views.rep, name="rep"),
        path("rep/<int:rep_id>/gap/", views.rep_gap, name="rep_gap"),
        path("account/<int:account_id>/", views.account, name="account"),
    ],
    "performance",
)

app_name = "reports"
urlpatterns = [
    path("", views.home, name="home"),
    path("performance/", include(performance)),
    # Mounted here so that rumbo/urls.py needs no change; see rumbo/targets/urls.py.
    path("targets/", include("rumbo.targets.urls")),
]
