from django.urls import path

from rumbo.interactions import campaign_views, team_views, views

app_name = "interactions"
urlpatterns = [
    path("activity/", team_views.home, name="home"),
    path("my-day/", team_views.my_day, name="my_day"),
    path("team/<int:rep_id>/", team_views.rep_profile, name="rep_profile"),
    path("team/<int:rep_id>/day/", team_views.day_plan, name="day_plan"),
    path("team/<int:rep_id>/day/plan/", team_views.plan_add, name="plan_add"),
    path("team/<int:rep_id>/day/auto/", team_views.plan_auto, name="plan_auto"),
    path("activities/<int:pk>/", team_views.activity_action, name="activity_action"),
    path("accounts/<int:account_id>/timeline/", views.account_timeline, name="account_timeline"),
    path("accounts/<int:account_id>/log/", views.log_interaction, name="log_interaction"),
    path("accounts/<int:account_id>/tickets/new/", views.ticket_new, name="ticket_new"),
    path("tickets/", views.ticket_list, name="tickets"),
    path("tickets/new/", views.ticket_pick_account, name="ticket_pick_account"),
    path("tickets/<int:ticket_id>/", views.ticket_detail, name="ticket_detail"),
    path("campaigns/", campaign_views.campaign_list, name="campaigns"),
    path("campaigns/new/", campaign_views.campaign_new, name="campaign_new"),
    path("campaigns/<int:campaign_id>/", campaign_views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:campaign_id>/edit/", campaign_views.campaign_edit, name="campaign_edit"),
    path(
        "campaigns/<int:campaign_id>/action/",
        campaign_views.campaign_action,
        name="campaign_action",
    ),
    path("contact-policy/", views.policy_list, name="policies"),
    path("contact-policy/<int:pk>/delete/", views.policy_delete, name="policy_delete"),
    path("contact-policy/report/", views.contact_report, name="contact_report"),
]
