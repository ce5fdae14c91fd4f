"""Seasons on a made-up history: three years of monthly sales in Alicia's and Bruno's
territories, drinks peaking in the Peruvian summer and snacks at Christmas."""

import datetime as dt
import io
from decimal import Decimal

import numpy as np
import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from rumbo.core.models import Job
from rumbo.orders.models import MonthlyCategorySales
from rumbo.seasons import adapters, selectors
from rumbo.seasons.models import CalendarEvent, ForecastSeries, Profile, SeasonRun

pytestmark = pytest.mark.django_db
DRINKS = [1.6, 1.5, 1.2, 0.9, 0.8, 0.7, 0.7, 0.8, 0.9, 1.0, 1.2, 1.7]
SNACKS = [0.8, 0.8, 0.9, 0.9, 0.9, 0.9, 1.0, 0.9, 0.9, 1.0, 1.2, 2.8]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def history(cast):
    """36 complete months up to last month for both reps' accounts, then one run."""
    last = timezone.localdate().replace(day=1)
    months = [adapters.add_months(last, -36 + i) for i in range(36)]
    rng = np.random.default_rng(7)
    rows = []
    for key, scale in (("alicia_1", 100), ("bruno_1", 60)):
        account = cast.accounts[key]
        for category, shape in ((cast.catalog["drinks"], DRINKS), (cast.catalog["snacks"], SNACKS)):
            for i, month in enumerate(months):
                units = scale * shape[month.month - 1] * (1 + 0.01 * i) * rng.uniform(0.95, 1.05)
                rows.append(MonthlyCategorySales(
                    organisation=cast.org, month=month, account=account,
                    territory=account.territory, category=category,
                    quantity=Decimal(f"{units:.3f}"), net_amount=Decimal(f"{units * 2.5:.2f}"),
                ))  # fmt: skip
    MonthlyCategorySales.objects.bulk_create(rows)
    run = SeasonRun.objects.create(organisation=cast.org)
    adapters.compute(run=run, horizon=6)
    return cast, run


def test_profiles_find_summer_drinks_and_christmas_snacks(history):
    cast, run = history
    drinks = Profile.objects.get(run=run, kind="category", measure="units",
                                 category=cast.catalog["drinks"])  # fmt: skip
    snacks = Profile.objects.get(run=run, kind="category", measure="units",
                                 category=cast.catalog["snacks"])  # fmt: skip
    assert drinks.index[0] > 1.4 and drinks.index[6] < 0.8  # January high, July low
    assert snacks.index[11] == max(snacks.index) and snacks.index[11] > 2.3
    assert all(lo <= v <= hi for v, lo, hi in zip(snacks.index, snacks.lower, snacks.upper,
                                                   strict=True))  # fmt: skip
    assert snacks.growth is not None and 0.05 < snacks.growth < 0.2  # about +12 % a year


def test_forecasts_add_up_from_territories_to_the_company(history):
    cast, run = history
    units = ForecastSeries.objects.filter(run=run, measure="units", category__isnull=True)
    company = units.get(region__isnull=True, territory__isnull=True)
    territories = units.filter(territory__isnull=False)
    assert territories.count() == 3  # with Trujillo, from the cast's one order there
    summed = np.sum([t.mean for t in territories], axis=0)
    assert np.allclose(summed, company.mean, atol=1e-3)  # stored to four decimals
    assert company.mase is not None and company.mase < 1  # beats last year's month
    company_rows = ForecastSeries.objects.filter(run=run, territory__isnull=True,
                                                 region__isnull=True)  # fmt: skip
    peak = company_rows.get(measure="units", category=cast.catalog["snacks"])
    months = [adapters.add_months(run.last_month, i + 1).month for i in range(6)]
    if 12 in months:
        assert peak.mean[months.index(12)] == max(peak.mean)
    assert all(lo <= m <= hi for lo, m, hi in zip(peak.lower80, peak.mean, peak.upper80,
                                                  strict=True))  # fmt: skip


def test_each_role_sees_only_its_own_forecasts_and_profiles(client, history):
    cast, _run = history
    client.force_login(cast.alicia)
    page = client.get(reverse("seasons:forecast"))
    names = {str(s.territory) for s in page.context["rows"]}
    assert names == {"Lima Norte 1"}
    assert "Lima Sur 1" not in page.content.decode()
    profiles = client.get(reverse("seasons:profiles"))
    assert profiles.context["territory"] == cast.territories["ln1"]
    other = cast.territories["ls1"].pk
    assert client.get(reverse("seasons:profiles"), {"territory": other}).status_code == 404
    assert client.get(reverse("seasons:demand"), {"node": other}).status_code == 404
    client.force_login(cast.maria)
    rows = client.get(reverse("seasons:forecast")).context["rows"]
    assert {str(s.territory or s.region) for s in rows} == {"Lima", "Lima Norte 1", "Lima Sur 1"}
    client.force_login(cast.vera)  # a viewer without amounts
    page = client.get(reverse("seasons:forecast"), {"measure": "amount"})
    assert page.context["measure"] == "units"
    client.force_login(cast.otto)
    assert client.get(reverse("seasons:forecast")).context["run"] is None


def test_the_demand_plan_downloads_as_xlsx_with_its_intervals(client, history):
    cast, _run = history
    client.force_login(cast.admin)
    response = client.get(reverse("seasons:demand"), {"months": "3", "format": "xlsx"},
                          headers={"Accept-Language": "en"})  # fmt: skip
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:4] == ("Where", "Category", "Month", "Expected units")
    assert len(rows) == 1 + 2 * 3  # two categories × three months
    assert all(r[4] <= r[3] <= r[5] for r in rows[1:])


def test_only_staff_compute_and_edit_the_calendar(client, cast, django_capture_on_commit_callbacks):
    client.force_login(cast.alicia)
    assert client.post(reverse("seasons:recompute")).status_code == 404
    page = client.get(reverse("seasons:calendar"))
    assert any(e.name == "Fiestas Patrias" for e in page.context["events"])
    add = {"name": "Aniversario", "kind": "event", "month": "9", "day": ""}
    assert client.post(reverse("seasons:calendar"), add).status_code == 404
    client.force_login(cast.maria)
    page = client.post(reverse("seasons:calendar"), {**add, "month": "13"})
    assert page.context["form"].errors["month"]
    client.post(reverse("seasons:calendar"), add)
    assert CalendarEvent.objects.filter(organisation=cast.org, name="Aniversario").exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("seasons:recompute"))
    assert Job.objects.get(kind="seasons").status == Job.Status.SUCCEEDED
    assert SeasonRun.objects.filter(organisation=cast.org, finished_at__isnull=False).exists()
    assert dt.date.today()  # the run with too little history still finishes


def test_timely_visits_list_accounts_whose_season_is_here(client, history):
    cast, run = history
    assert run.last_month is not None
    year = run.last_month.year if run.last_month.month <= 9 else run.last_month.year + 1
    december = dt.date(year, 12, 1)  # snacks peak; nobody bought since the history ended
    ln1, ls1 = cast.territories["ln1"], cast.territories["ls1"]
    mine = selectors.timely_visits(cast.alicia, [ln1, ls1], december)
    found = {(t.account, t.category, t.month) for t in mine}
    assert found == {("Bodega Rosita", "Snacks", 12), ("Bodega Rosita", "Bebidas", 12)}
    everyone = selectors.timely_visits(cast.maria, [ln1, ls1], december)
    assert {t.account for t in everyone} == {"Bodega Rosita", "Bodega Don Lucho"}
    summer = selectors.timely_visits(cast.maria, [ln1, ls1], dt.date(year, 6, 1))
    assert summer == []  # nothing peaks in June or July
