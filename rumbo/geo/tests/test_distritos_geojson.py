import pytest
from django.urls import reverse

from rumbo.geo.models import Distrito
from rumbo.geo.selectors import MAX_FEATURES, BBox, parse_ubigeos

pytestmark = pytest.mark.django_db
URL = reverse("geo:distritos")


def test_districts_by_ubigeo_come_with_names_and_census(cast, client):
    client.force_login(cast.alicia)
    response = client.get(URL, {"ubigeo": "150135,150101"})
    assert response.status_code == 200
    assert "max-age" in response["Cache-Control"]
    data = response.json()
    assert [f["id"] for f in data["features"]] == ["150101", "150135"]
    props = data["features"][1]["properties"]
    assert props["name"] == "San Martin de Porres"
    assert props["departamento"] == "Lima"
    assert props["population_2017"] > 600_000
    assert data["truncated"] is False


def test_districts_in_a_map_box(cast, client):
    client.force_login(cast.alicia)
    # A box around Miraflores and Barranco.
    data = client.get(URL, {"bbox": "-77.04,-12.16,-77.01,-12.11"}).json()
    ids = {f["id"] for f in data["features"]}
    assert {"150122", "150104"} <= ids  # Miraflores, Barranco
    assert not any(i.startswith("13") for i in ids)  # nothing from La Libertad


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"ubigeo": "15013"},
        {"ubigeo": "150135,abc"},
        {"bbox": "1,2,3"},
        {"bbox": "a,b,c,d"},
        {"bbox": "-70,-12,-77,-11"},
    ],
)
def test_bad_requests_get_a_clear_400(cast, client, params):
    client.force_login(cast.alicia)
    response = client.get(URL, params)
    assert response.status_code == 400
    assert response.json()["error"]


def test_signing_in_is_required(client):
    assert client.get(URL, {"ubigeo": "150135"}).status_code == 302


def test_all_of_peru_fits_in_one_answer(cast, client):
    client.force_login(cast.alicia)
    data = client.get(URL, {"bbox": "-82,-19,-68,0"}).json()
    with_shape = Distrito.objects.filter(boundary__isnull=False).count()
    assert len(data["features"]) == with_shape <= MAX_FEATURES
    assert data["truncated"] is False


def test_a_huge_answer_is_cut_at_the_feature_limit(cast, client, monkeypatch):
    monkeypatch.setattr("rumbo.geo.selectors.MAX_FEATURES", 10)
    client.force_login(cast.alicia)
    data = client.get(URL, {"bbox": "-82,-19,-68,0"}).json()
    assert len(data["features"]) == 10
    assert data["truncated"] is True


def test_parsing_boxes_and_ubigeos():
    assert BBox.parse("-77.2,-12.3,-76.8,-11.9") == BBox(-77.2, -12.3, -76.8, -11.9)
    assert BBox.parse("-76.8,-12.3,-77.2,-11.9") is None
    assert BBox.parse("nan,1,2,3") is None
    assert parse_ubigeos(" 150135 ,010101,150135") == ["010101", "150135"]
    assert parse_ubigeos("15-135") is None
