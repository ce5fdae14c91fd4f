"""Every activity page answers each role with what that role may see."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def pages(a):
    rosita = a.accounts["alicia_1"]
    alicia = a.reps["alicia"]
    return [
        reverse("interactions:home"),
        reverse("interactions:tickets"),
        reverse("interactions:ticket_pick_account") + "?q=rosita",
        reverse("interactions:ticket_detail", args=[a.ticket.pk]),
        reverse("interactions:ticket_new", args=[rosita.pk]),
        reverse("interactions:campaigns"),
        reverse("interactions:campaign_detail", args=[a.campaign.pk]),
        reverse("interactions:policies"),
        reverse("interactions:contact_report"),
        reverse("interactions:contact_report") + "?view=under",
        reverse("interactions:account_timeline", args=[rosita.pk]),
        reverse("interactions:log_interaction", args=[rosita.pk]),
        reverse("interactions:rep_profile", args=[alicia.pk]),
        reverse("interactions:day_plan", args=[alicia.pk]),
        reverse("customers:account_detail", args=[rosita.pk]),
    ]


@pytest.mark.parametrize("who", ["admin", "maria", "alicia", "vera"])
def test_each_page_opens_for_everyone_who_may_see_it(activity, client, who):
    client.force_login(getattr(activity, who))
    for url in pages(activity):
        response = client.get(url)
        assert response.status_code == 200, (who, url, response.status_code)


def test_bruno_gets_404_on_alicias_account_ticket_plan_and_profile(activity, client):
    client.force_login(activity.bruno)
    rosita = activity.accounts["alicia_1"]
    alicia = activity.reps["alicia"]
    for url in (
        reverse("interactions:ticket_detail", args=[activity.ticket.pk]),
        reverse("interactions:account_timeline", args=[rosita.pk]),
        reverse("interactions:log_interaction", args=[rosita.pk]),
        reverse("interactions:ticket_new", args=[rosita.pk]),
        reverse("interactions:rep_profile", args=[alicia.pk]),
        reverse("interactions:day_plan", args=[alicia.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_the_account_page_shows_the_open_ticket_the_timeline_and_the_contact_guard(
    activity, client
):
    client.force_login(activity.alicia)
    page = client.get(reverse("customers:account_detail", args=[activity.accounts["alicia_1"].pk]))
    html = page.content.decode()
    assert "Faltaron dos cajas" in html and "data-open-tickets>1<" in html
    assert 'data-source="opened"' in html  # the ticket on the timeline
    assert 'data-contact-status="wait"' in html  # a visit is planned today: next one later


def test_the_team_list_shows_a_managers_reps_and_a_rep_only_themself(activity, client):
    client.force_login(activity.maria)
    html = client.get(reverse("team:list")).content.decode()
    assert "Alicia" in html and "Bruno" in html
    client.force_login(activity.alicia)
    html = client.get(reverse("team:list")).content.decode()
    assert "Alicia" in html and "Bruno" not in html
