import csv
import io

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def csv_rows(response):
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_the_csv_export_holds_the_filtered_list_in_scope(cast, client):
    client.force_login(cast.maria)
    response = client.get(reverse("customers:account_export"), {"q": "bodega"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0][:3] == ["Código externo", "Nombre comercial", "Razón social"]
    assert sorted(r[1] for r in rows[1:]) == ["Bodega Don Lucho", "Bodega Rosita"]
    assert rows[0][-1] == "Ventas últimos 12 meses"


def test_the_csv_export_of_a_viewer_has_no_amounts(cast, client):
    client.force_login(cast.vera)
    rows = csv_rows(client.get(reverse("customers:account_export")))
    assert "Ventas últimos 12 meses" not in rows[0]
    assert len(rows) == 6


def test_the_csv_export_cannot_widen_the_scope(cast, client):
    client.force_login(cast.alicia)
    response = client.get(
        reverse("customers:account_export"), {"territory": cast.territories["ls1"].pk}
    )
    assert len(csv_rows(response)) == 1


def test_the_csv_export_defuses_spreadsheet_formulas(cast, client):
    rosita = cast.accounts["alicia_1"]
    rosita.address = '=HYPERLINK("http://x")'
    rosita.save()
    client.force_login(cast.alicia)
    rows = csv_rows(client.get(reverse("customers:account_export"), {"q": "rosita"}))
    assert rows[1][6].startswith("'=")


def test_map_points_are_scoped_and_filtered(cast, client):
    client.force_login(cast.maria)
    data = client.get(reverse("customers:account_points")).json()
    assert data["count"] == 4
    ids = {p["id"] for p in data["points"]}
    assert cast.accounts["trujillo_1"].pk not in ids
    only_sur = client.get(
        reverse("customers:account_points"), {"territory": cast.territories["lima_sur"].pk}
    ).json()
    assert {p["name"] for p in only_sur["points"]} == {"Bodega Don Lucho", "Market Surco"}
    assert set(only_sur["points"][0]) == {"id", "lat", "lon", "name", "status", "approx"}


def test_map_points_of_an_out_of_scope_territory_are_empty(cast, client):
    client.force_login(cast.alicia)
    data = client.get(
        reverse("customers:account_points"), {"territory": cast.territories["ls1"].pk}
    ).json()
    assert data == {"count": 0, "points": []}


def test_the_districts_of_the_filtered_accounts_come_as_geojson(cast, client):
    client.force_login(cast.alicia)
    data = client.get(reverse("customers:account_distritos")).json()
    assert data["type"] == "FeatureCollection"
    assert [f["id"] for f in data["features"]] == ["150135"]
    assert data["features"][0]["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    client.force_login(cast.maria)
    data = client.get(reverse("customers:account_distritos")).json()
    assert sorted(f["id"] for f in data["features"]) == ["150135", "150140", "150143"]
