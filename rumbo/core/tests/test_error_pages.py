import pytest

pytestmark = pytest.mark.django_db


def test_a_missing_page_answers_404_inside_the_shell(cast, client, settings):
    settings.DEBUG = False
    client.force_login(cast.alicia)
    response = client.get("/accounts/999999/")
    assert response.status_code == 404
    assert "no está en sus territorios" in response.content.decode()
