import pytest
from django.core.cache import cache
from django.test import override_settings

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def test_a_user_signs_in_with_the_right_password(cast, client, password):
    response = client.post("/login/", {"username": "alicia", "password": password})
    assert response.status_code == 302 and response["Location"] == "/"


def test_a_wrong_password_is_refused_with_a_clear_message(cast, client):
    response = client.post(
        "/login/", {"username": "alicia", "password": "nope"}, headers={"Accept-Language": "es"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@override_settings(RUMBO_LOGIN_ATTEMPTS=3)
def test_too_many_failures_lock_the_login_for_a_while(cast, client, password):
    for _ in range(3):
        client.post("/login/", {"username": "bruno", "password": "wrong"})
    response = client.post("/login/", {"username": "bruno", "password": password})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_pages_need_a_signed_in_user(client):
    response = client.get("/accounts/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_an_api_token_is_shown_once_and_stored_hashed(cast, client):
    from rumbo.core.models import ApiToken

    client.force_login(cast.alicia)
    response = client.post("/me/", {"name": "ERP"}, follow=True)
    key = response.context["new_key"]
    assert key.startswith("rmb_")
    token = ApiToken.objects.get(user=cast.alicia)
    assert token.key_hash == ApiToken.hash_key(key) and key not in token.key_hash
    assert key not in client.get("/me/").content.decode()
