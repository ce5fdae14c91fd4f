"""Prospects: the pipeline, scoring with its reason, appointments in the rep's calendar,
cold-call lists, and conversion into an account that keeps the history."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from rumbo.geo.models import Distrito
from rumbo.interactions.timeline import TimelineFilters, timeline
from rumbo.prospects import services
from rumbo.prospects.models import ChannelPotential, Prospect
from rumbo.prospects.scoring import NEAR_KM, Fit, score
from rumbo.prospects.selectors import cold_calls

pytestmark = pytest.mark.django_db
SMP = "150135"


def new(cast, actor=None, name="Bodega La Esquina", ubigeo=SMP, **fields):
    return services.create_prospect(
        organisation=cast.org, actor=actor or cast.alicia, name=name,
        distrito=Distrito.objects.get(pk=ubigeo), channel=cast.channel, source="field", **fields,
    )  # fmt: skip


def test_score_adds_its_three_parts():
    points, parts = score(Fit(channel_fit=1.0, channel_value=850.0, district_percentile=0.5,
                              district_rank=900, districts=1800, distance_km=2.5,
                              nearest="Bodega Rosita"))  # fmt: skip
    assert [p["points"] for p in parts] == [35, 18, round(30 * (1 - 2.5 / NEAR_KM))]
    assert points == 35 + 18 + 22 and parts[2]["account"] == "Bodega Rosita"
    unknown, parts = score(Fit(0.0, None, 0.0, None, 1800, None))
    assert unknown == 0 and parts[2]["km"] is None


def test_a_new_prospect_is_scored_with_its_reason(cast):
    ChannelPotential.objects.create(organisation=cast.org, channel=cast.channel,
                                    outlets_per_1000_households=Decimal("10"))  # fmt: skip
    prospect = new(cast)
    factors = {f["code"]: f for f in prospect.score_factors}
    assert factors["channel"]["points"] == 35  # the only channel: the best fit
    assert factors["near"]["km"] == 0.0 and factors["near"]["account"] in (
        "Bodega Rosita", "Minimarket El Sol",
    )  # both sit at San Martín de Porres' reference point  # fmt: skip
    assert factors["near"]["points"] == 30
    assert 0 < factors["district"]["points"] <= 35 and factors["district"]["rank"] >= 1
    assert prospect.score == sum(f["points"] for f in prospect.score_factors)
    assert prospect.owner == cast.alicia and prospect.territory == cast.territories["ln1"]
    assert prospect.location_precision == "district"


def test_a_rep_cannot_give_a_prospect_to_someone_outside_her_scope(cast):
    with pytest.raises(ValidationError):
        new(cast, owner=cast.bruno)
    with pytest.raises(ValidationError):
        new(cast, actor=cast.maria, territory=cast.territories["trujillo"])


def test_the_pipeline_moves_and_a_lost_prospect_says_why(cast):
    prospect = new(cast)
    services.log_touch(prospect=prospect, actor=cast.alicia, kind="call", outcome="not_reached")
    prospect.refresh_from_db()
    assert prospect.status == "new" and prospect.last_contact_at is not None
    services.log_touch(prospect=prospect, actor=cast.alicia, kind="call", outcome="interested")
    prospect.refresh_from_db()
    assert prospect.status == "contacted"
    with pytest.raises(ValidationError):
        services.change_status(prospect=prospect, actor=cast.alicia, status="lost")
    with pytest.raises(ValidationError):
        services.change_status(prospect=prospect, actor=cast.alicia, status="won")
    services.change_status(prospect=prospect, actor=cast.alicia, status="lost",
                           lost_reason="supplier", lost_notes="Trabaja con otro")  # fmt: skip
    assert prospect.get_lost_reason_display()


def test_appointments_book_the_reps_calendar_without_overlaps(cast):
    prospect = new(cast)
    day = timezone.localdate() + dt.timedelta(days=1)
    booked = services.book_appointment(prospect=prospect, actor=cast.maria, rep=cast.alicia,
                                       day=day, start_time=dt.time(10, 0),
                                       duration_min=60)  # fmt: skip
    assert prospect.status == "appointment"
    other = new(cast, name="Otra bodega")
    with pytest.raises(ValidationError):
        services.book_appointment(prospect=other, actor=cast.alicia, rep=cast.alicia, day=day,
                                  start_time=dt.time(10, 30))  # fmt: skip
    services.book_appointment(prospect=other, actor=cast.alicia, rep=cast.alicia, day=day,
                              start_time=dt.time(11, 0))  # fmt: skip
    services.settle_appointment(appointment=booked, actor=cast.alicia, status="done",
                                result_notes="Le interesa")  # fmt: skip
    prospect.refresh_from_db()
    assert prospect.status == "contacted" and prospect.touches.get().kind == "visit"


def test_converting_keeps_the_history_on_the_new_accounts_timeline(cast, client):
    prospect = new(cast, contact_name="Nelly Ramos", phone="987654321")
    services.log_touch(prospect=prospect, actor=cast.alicia, kind="call", outcome="interested",
                       notes="Quiere lista de precios")  # fmt: skip
    account = services.convert_prospect(
        prospect=prospect, actor=cast.alicia, territory=cast.territories["ln1"],
        legal_name="Bodega La Esquina E.I.R.L.", trade_name="Bodega La Esquina",
    )  # fmt: skip
    prospect.refresh_from_db()
    assert (prospect.status, prospect.account) == ("won", account)
    assert account.contacts.get().name == "Nelly Ramos" and account.channel == cast.channel
    entries = timeline(cast.alicia, account, TimelineFilters()).object_list
    assert [(e.source, e.kind, e.detail) for e in entries] == [
        ("lead", "call", "Quiere lista de precios")
    ]
    client.force_login(cast.alicia)
    html = client.get(reverse("customers:account_detail", args=[account.pk])).content.decode()
    assert "data-origin" in html and "Quiere lista de precios" in html
    with pytest.raises(ValidationError):
        services.convert_prospect(prospect=prospect, actor=cast.alicia, territory=None,
                                  legal_name="Otra vez")  # fmt: skip


def test_the_cold_call_list_has_open_prospects_with_a_phone_best_first(cast):
    best = new(cast, name="Con teléfono", phone="999")
    new(cast, name="Sin teléfono")
    called = new(cast, name="Ya llamada", phone="998")
    services.log_touch(prospect=called, actor=cast.alicia, kind="call", outcome="call_back")
    Prospect.objects.filter(pk=best.pk).update(score=99)
    assert [p.name for p in cold_calls(cast.alicia, cast.alicia)] == ["Con teléfono"]
    assert list(cold_calls(cast.bruno, cast.alicia)) == []


def test_the_pages_create_show_act_and_convert(cast, client):
    client.force_login(cast.alicia)
    response = client.post(reverse("prospects:new"), {
        "name": "Bodega Central", "distrito": SMP, "channel": cast.channel.pk, "source": "field",
        "phone": "987000111", "lat": "-12.02", "lon": "-77.06",
    })  # fmt: skip
    prospect = Prospect.objects.get(name="Bodega Central")
    assert response.status_code == 302 and prospect.location_precision == "exact"
    detail = reverse("prospects:detail", args=[prospect.pk])
    assert "Bodega Central" in client.get(detail).content.decode()
    action = reverse("prospects:action", args=[prospect.pk])
    client.post(action, {"action": "touch", "kind": "call", "outcome": "interested"})
    day = timezone.localdate()
    client.post(action, {"action": "book", "rep": cast.alicia.pk, "day": day, "start_time": "16:00",
                         "duration_min": 30})  # fmt: skip
    assert prospect.appointments.count() == 1
    plan = client.get(reverse("interactions:day_plan", args=[cast.alicia.rep_profile.pk]))
    assert "Bodega Central" in plan.content.decode()
    bad = client.post(reverse("prospects:new"), {"name": "X", "distrito": "999999"})
    assert bad.status_code == 200 and "999999" in bad.content.decode()
    convert = reverse("prospects:convert", args=[prospect.pk])
    response = client.post(convert, {"legal_name": "Bodega Central S.A.C.", "tax_id": "",
                                     "territory": cast.territories["ln1"].pk})  # fmt: skip
    prospect.refresh_from_db()
    assert response.status_code == 302 and prospect.account is not None


def test_bruno_gets_404_on_alicias_prospect_and_a_viewer_only_reads(cast, client):
    prospect = new(cast)
    client.force_login(cast.bruno)
    assert client.get(reverse("prospects:detail", args=[prospect.pk])).status_code == 404
    client.force_login(cast.vera)
    assert client.get(reverse("prospects:detail", args=[prospect.pk])).status_code == 200
    assert client.get(reverse("prospects:list")).context["page"].paginator.count == 1


def test_a_manager_gives_prospects_to_a_rep(cast, client):
    first, second = (
        new(cast, actor=cast.maria, name="Uno", territory=cast.territories["lima"]),
        new(cast, actor=cast.maria, name="Dos", territory=cast.territories["lima"]),
    )
    client.force_login(cast.maria)
    client.post(reverse("prospects:assign"), {"owner": cast.bruno.pk,
                                              "prospects": [first.pk, second.pk]})  # fmt: skip
    assert set(Prospect.objects.values_list("owner", flat=True)) == {cast.bruno.pk}
    client.force_login(cast.alicia)
    assert client.post(reverse("prospects:assign"), {}).status_code == 404
