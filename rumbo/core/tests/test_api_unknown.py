import pytest

pytestmark = pytest.mark.django_db


def test_an_unknown_api_path_answers_json_404(cast, client):
    client.force_login(cast.alicia)
    response = client.get("/api/no-such-thing")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}
