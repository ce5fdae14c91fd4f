"""The target pages: the grid by role, copy and spread, distributions, Excel out and back in."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from rumbo.imports.models import ImportBatch
from rumbo.imports.services import import_file
from rumbo.targets.models import MonthlyDistribution, Target
from rumbo.targets.services import set_target

pytestmark = pytest.mark.django_db
D = Decimal


def grid_url(cast, key: str, query: str = "year=2025&measure=amount") -> str:
    return f"/targets/territory/{cast.territories[key].pk}/?{query}"


def test_maria_saves_a_grid_of_her_zones(cast, client):
    client.force_login(cast.maria)
    zone = cast.territories["lima_norte"].pk
    response = client.post(grid_url(cast, "lima"), {f"territory-{zone}-03": "1.234,50",
                                                     f"territory-{zone}-04": ""})  # fmt: skip
    assert response.status_code == 302 and response["Location"] == grid_url(cast, "lima")
    target = Target.objects.get(territory_id=zone)
    assert (target.month, target.value, target.updated_by) == (dt.date(2025, 3, 1), D("1234.50"),
                                                               cast.maria)  # fmt: skip
    html = client.get(grid_url(cast, "lima")).content.decode()
    assert "Metas de Lima" in html and 'value="1.234,50"' in html


def test_a_negative_cell_is_refused_with_a_message(cast, client):
    client.force_login(cast.maria)
    zone = cast.territories["lima_norte"].pk
    response = client.post(grid_url(cast, "lima"), {f"territory-{zone}-03": "-5"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert not Target.objects.exists()


def test_reps_read_their_targets_but_change_none(cast, client):
    set_target(organisation=cast.org, month=dt.date(2025, 1, 1), measure="amount",
               value=D("777"), rep=cast.alicia)  # fmt: skip
    client.force_login(cast.alicia)
    html = client.get(grid_url(cast, "ln1")).content.decode()
    assert "777" in html and '<input type="text"' not in html
    assert client.post(grid_url(cast, "ln1"), {}).status_code == 404
    assert client.get(grid_url(cast, "ls1")).status_code == 404


def test_a_viewer_without_amounts_sees_no_targets(cast, client):
    client.force_login(cast.vera)
    assert client.get("/targets/").status_code == 404
    assert client.get(grid_url(cast, "lima")).status_code == 404


def test_copy_and_spread_from_the_page(cast, client):
    client.force_login(cast.admin)
    ls1 = cast.territories["ls1"].pk
    response = client.post(
        f"/targets/territory/{ls1}/copy/?year=2025&measure=amount",
        {"owners": [f"territory-{ls1}"], "basis": "sales", "change_pct": "10"},
    )
    assert response.status_code == 302
    # Lima Sur 1 sold 40.00 in June 2024 (the cast's two orders).
    assert Target.objects.get(territory_id=ls1, month=dt.date(2025, 6, 1)).value == D("44.00")
    response = client.post(f"/targets/territory/{ls1}/spread/?year=2025&measure=amount",
                           {"owner": f"rep-{cast.bruno.pk}", "annual": "1200"})  # fmt: skip
    assert response.status_code == 302
    assert Target.objects.filter(rep=cast.bruno, value=D("100")).count() == 12


def test_copying_for_someone_outside_the_grid_is_refused(cast, client):
    client.force_login(cast.maria)
    lima = cast.territories["lima"].pk
    response = client.post(
        f"/targets/territory/{lima}/copy/?year=2025",
        {"owners": [f"territory-{lima}"], "basis": "sales", "change_pct": "5"},
    )
    assert response.status_code == 400 and not Target.objects.exists()


def test_distributions_are_created_checked_and_edited(cast, client):
    client.force_login(cast.maria)
    months = {f"m{m:02d}": "8,33" for m in range(1, 12)}
    response = client.post("/targets/distributions/", {"name": "Plana", **months, "m12": "8,30"})
    assert response.status_code == 200 and not MonthlyDistribution.objects.exists()
    assert "100" in response.content.decode()
    response = client.post("/targets/distributions/", {"name": "Plana", **months, "m12": "8,37"})
    assert response.status_code == 302
    item = MonthlyDistribution.objects.get()
    client.post(
        f"/targets/distributions/{item.pk}/", {"name": "Plana 2026", **months, "m12": "8,37"}
    )
    item.refresh_from_db()
    assert item.name == "Plana 2026"
    client.force_login(cast.alicia)
    assert client.get(f"/targets/distributions/{item.pk}/").status_code == 200
    assert (
        client.post(f"/targets/distributions/{item.pk}/", {"action": "delete"}).status_code == 404
    )


def test_the_excel_export_imports_back_unchanged_and_edits_flow_through(cast, client):
    for month, value in ((1, "1500.25"), (2, "1600")):
        set_target(organisation=cast.org, month=dt.date(2025, month, 1), measure="amount",
                   value=D(value), territory=cast.territories["ln1"])  # fmt: skip
    set_target(organisation=cast.org, month=dt.date(2025, 1, 1), measure="units",
               value=D("300"), rep=cast.alicia, category=cast.catalog["drinks"])  # fmt: skip
    client.force_login(cast.maria)
    content = client.get(
        f"/targets/territory/{cast.territories['lima'].pk}/export.xlsx?year=2025"
    ).content
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("Territorio", "Vendedor", "Año", "Medida", "Categoría")
    assert len(rows) == 3
    batch = import_file(organisation=cast.org, user=cast.maria, kind="targets",
                        file_name="metas.xlsx", content=content)  # fmt: skip
    assert batch.status == ImportBatch.Status.IMPORTED, batch.report
    assert (batch.counts["created"], batch.counts["updated"], batch.counts["unchanged"]) == (
        0,
        0,
        3,
    )
    sheet.cell(row=2, column=7, value=1750)  # February of Lima Norte 1
    edited = io.BytesIO()
    sheet.parent.save(edited)
    import_file(organisation=cast.org, user=cast.maria, kind="targets", file_name="metas.xlsx",
                content=edited.getvalue())  # fmt: skip
    assert Target.objects.get(
        territory=cast.territories["ln1"], month=dt.date(2025, 2, 1)
    ).value == D("1750")
