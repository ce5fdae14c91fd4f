"""A rep's profile: territories, mix, sales against target this month and this year, coaching
and training, each for whom may read them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from rumbo.interactions.profiles import rep_profile
from rumbo.orders.models import MonthlySales
from rumbo.targets.models import Measure, Target
from rumbo.team.models import CoachingNote, Rep, TrainingRecord
from rumbo.testing import make_order

pytestmark = pytest.mark.django_db


def alicia(cast):
    return Rep.objects.select_related("user").get(user=cast.alicia)


def test_territories_and_the_mix_of_accounts(cast):
    profile = rep_profile(cast.maria, alicia(cast))
    assert [a.territory.code for a in profile.territories] == ["LN1"]
    assert [(m.channel, m.counts, m.total) for m in profile.mix] == [("Bodega", {"active": 2}, 2)]


def test_sales_against_target_this_month_and_this_year(cast):
    today = timezone.localdate()
    month = today.replace(day=1)
    rosita = cast.accounts["alicia_1"]
    make_order(rosita, cast.catalog["cola"], "100", on=today)  # 100 × 2.00 = 200.00 net
    credited = MonthlySales.objects.filter(month=month, account=rosita).values_list(
        "rep", flat=True
    )
    assert list(credited) == [cast.alicia.pk]
    Target.objects.create(organisation=cast.org, rep=cast.alicia, month=month,
                          measure=Measure.AMOUNT, value=Decimal("800"))  # fmt: skip
    earlier = []
    if month.month > 1:
        first = month.replace(month=1)
        Target.objects.create(organisation=cast.org, rep=cast.alicia, month=first,
                              measure=Measure.AMOUNT, value=Decimal("1000"))  # fmt: skip
        make_order(rosita, cast.catalog["cola"], "250", on=first)  # 500.00
        earlier = [Decimal("500")]
    performance = rep_profile(cast.maria, alicia(cast)).performance
    assert performance is not None and performance.target_source == "rep"
    assert (performance.month.actual, performance.month.target) == (Decimal("200"), Decimal("800"))
    assert performance.month.attainment_pct == Decimal("25.0")
    year = performance.year
    assert year.actual == Decimal("200") + sum(earlier, Decimal(0))
    assert year.target == Decimal("800") + (Decimal("1000") if earlier else 0)


def test_without_rep_targets_the_territory_targets_count(cast):
    month = timezone.localdate().replace(day=1)
    Target.objects.create(organisation=cast.org, territory=cast.territories["ln1"], month=month,
                          measure=Measure.AMOUNT, value=Decimal("500"))  # fmt: skip
    performance = rep_profile(cast.alicia, alicia(cast)).performance
    assert performance is not None
    assert performance.target_source == "territory" and performance.month.target == Decimal("500")


def test_a_viewer_sees_no_amounts_and_no_coaching(cast, client):
    CoachingNote.objects.create(organisation=cast.org, rep=cast.alicia, author=cast.maria,
                                topic="visits", note="Mejorar el cierre")  # fmt: skip
    profile = rep_profile(cast.vera, alicia(cast))
    assert profile.performance is None and profile.coaching is None and profile.training is None
    client.force_login(cast.vera)
    html = client.get(reverse("interactions:rep_profile", args=[alicia(cast).pk])).content.decode()
    assert "Mejorar el cierre" not in html and "S/" not in html


def test_a_private_note_is_for_managers_only(cast):
    CoachingNote.objects.create(organisation=cast.org, rep=cast.alicia, author=cast.maria,
                                topic="visits", note="Compartida")  # fmt: skip
    CoachingNote.objects.create(organisation=cast.org, rep=cast.alicia, author=cast.maria,
                                topic="selling", note="Privada", shared_with_rep=False)  # fmt: skip
    TrainingRecord.objects.create(organisation=cast.org, rep=cast.alicia, course="Ventas 1",
                                  day=dt.date(2025, 1, 10), result="passed")  # fmt: skip
    own = rep_profile(cast.alicia, alicia(cast))
    assert own.coaching is not None and own.training is not None
    assert [n.note for n in own.coaching] == ["Compartida"] and len(own.training) == 1
    assert not own.may_coach
    boss = rep_profile(cast.maria, alicia(cast))
    assert boss.coaching is not None
    assert sorted(n.note for n in boss.coaching) == ["Compartida", "Privada"] and boss.may_coach


def test_the_profile_page_runs_a_fixed_number_of_queries(
    cast, client, django_assert_max_num_queries
):
    rep = alicia(cast)
    client.force_login(cast.maria)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("interactions:rep_profile", args=[rep.pk])).status_code == 200


def test_the_profile_shows_the_reps_accounts_by_segment(cast, client):
    from rumbo.coverage.adapters import compute_segments

    compute_segments(organisation=cast.org, month=dt.date(2024, 7, 1), months=1)
    client.force_login(cast.maria)
    bruno = Rep.objects.get(user=cast.bruno)
    response = client.get(reverse("interactions:rep_profile", args=[bruno.pk]))
    segments = dict(response.context["profile"].segments)
    assert sum(segments.values()) == 2  # bruno's two accounts, nobody else's
    assert b"data-segment-mix" in response.content
