"""How the API says no: JSON bodies with 401, 404 and 422, never a 500 or an HTML page."""

import pytest

from rumbo.core.api import router as core_router

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/accounts",
    "/api/territories",
    "/api/reps",
    "/api/products",
    "/api/me",
    "/api/tokens",
]


@pytest.mark.parametrize("url", LISTS)
def test_every_endpoint_but_health_answers_401_without_credentials(cast, client, url):
    response = client.get(url)
    assert response.status_code == 401
    assert response.json() == {"detail": "Inicie sesión o envíe un token de API válido."}
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_health_answers_without_credentials(db, client):
    response = client.get("/api/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


@pytest.mark.parametrize("kind", ["accounts", "territories", "reps", "products", "tokens"])
def test_an_unknown_id_answers_404_in_json(cast, client, kind):
    client.force_login(cast.admin)
    method = client.delete if kind == "tokens" else client.get
    response = method(f"/api/{kind}/987654321")
    assert response.status_code == 404
    assert response.json() == {"detail": "No encontrado."}


@pytest.mark.parametrize("kind", ["accounts", "territories", "reps", "products"])
def test_an_id_that_is_not_a_number_answers_422_naming_the_parameter(cast, client, kind):
    client.force_login(cast.admin)
    response = client.get(f"/api/{kind}/abc")
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"][0] == "path"


def test_a_method_the_endpoint_does_not_have_answers_405(cast, client):
    client.force_login(cast.admin)
    assert client.post("/api/accounts", {}).status_code == 405


def test_the_core_router_documents_every_operation_with_a_summary():
    operations = [op for view in core_router.path_operations.values() for op in view.operations]
    assert operations and all(op.summary for op in operations)
