"""Personal API tokens: who they authenticate, when they stop working, how they are stored."""

import hashlib

import pytest
from django.test import Client

from rumbo.core.models import ApiToken
from rumbo.core.services import create_api_token, revoke_api_token

pytestmark = pytest.mark.django_db


def bearer(key):
    return {"Authorization": f"Bearer {key}"}


def test_a_bearer_token_authenticates_as_its_user_with_that_users_scope(cast, client):
    _token, key = create_api_token(user=cast.alicia, name="ERP")
    me = client.get("/api/me", headers=bearer(key))
    assert me.status_code == 200
    assert (me.json()["username"], me.json()["role"]) == ("alicia", "rep")
    accounts = client.get("/api/accounts", headers=bearer(key)).json()
    assert sorted(a["name"] for a in accounts["items"]) == ["Bodega Rosita", "Minimarket El Sol"]
    lucho = cast.accounts["bruno_1"].pk
    assert client.get(f"/api/accounts/{lucho}", headers=bearer(key)).status_code == 404


def test_the_x_api_key_header_works_like_a_bearer_token(cast, client):
    _token, key = create_api_token(user=cast.otto, name="BI")
    response = client.get("/api/accounts", headers={"X-API-Key": key})
    assert [a["name"] for a in response.json()["items"]] == ["Tienda Ajena"]


def test_a_revoked_token_answers_401(cast, client):
    token, key = create_api_token(user=cast.bruno, name="old")
    revoke_api_token(token=token)
    assert client.get("/api/me", headers=bearer(key)).status_code == 401
    assert client.get("/api/me", headers={"X-API-Key": key}).status_code == 401


def test_an_inactive_users_token_answers_401(cast, client):
    _token, key = create_api_token(user=cast.bruno, name="ERP")
    cast.bruno.is_active = False
    cast.bruno.save()
    assert client.get("/api/me", headers=bearer(key)).status_code == 401


def test_an_unknown_or_malformed_token_answers_401(cast, client):
    _token, key = create_api_token(user=cast.bruno, name="ERP")
    for header in (bearer(key[:-1] + "x"), bearer(""), {"Authorization": key}):
        assert client.get("/api/me", headers=header).status_code == 401


def test_the_token_secret_is_never_stored_in_clear(cast):
    token, key = create_api_token(user=cast.alicia, name="ERP")
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert not any(key in str(value) for value in row.values())
    assert row["key_hash"] == hashlib.sha256(key.encode()).hexdigest()
    assert key.startswith(row["key_prefix"]) and len(row["key_prefix"]) < len(key) // 3


def test_using_a_token_records_when_it_was_last_used(cast, client):
    token, key = create_api_token(user=cast.alicia, name="ERP")
    assert token.last_used_at is None
    client.get("/api/me", headers=bearer(key))
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_the_token_list_shows_my_tokens_by_prefix_and_never_a_secret(cast, client):
    mine, key = create_api_token(user=cast.alicia, name="ERP")
    create_api_token(user=cast.bruno, name="not mine")
    response = client.get("/api/tokens", headers=bearer(key))
    assert [(t["id"], t["name"], t["key_prefix"]) for t in response.json()] == [
        (mine.pk, "ERP", mine.key_prefix)
    ]
    assert key not in response.content.decode()


def test_a_token_made_on_the_profile_page_works_until_revoked_there(cast, client):
    client.force_login(cast.bruno)
    client.post("/me/", {"name": "Power BI"})
    key = client.get("/me/").context["new_key"]
    token = ApiToken.objects.get(user=cast.bruno)
    api = Client()
    assert api.get("/api/me", headers=bearer(key)).json()["username"] == "bruno"
    client.post(f"/me/tokens/{token.pk}/revoke/")
    assert api.get("/api/me", headers=bearer(key)).status_code == 401


def test_a_signed_in_browser_must_send_the_csrf_token_to_revoke(cast):
    token, _key = create_api_token(user=cast.alicia, name="ERP")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(cast.alicia)
    browser.get("/me/")  # a page with a form sets the CSRF cookie
    assert browser.delete(f"/api/tokens/{token.pk}").status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None
    csrf = browser.cookies["csrftoken"].value
    response = browser.delete(f"/api/tokens/{token.pk}", headers={"X-CSRFToken": csrf})
    assert response.status_code == 204
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_token_needs_no_csrf_token_to_write(cast):
    token, key = create_api_token(user=cast.alicia, name="ERP")
    tool = Client(enforce_csrf_checks=True)
    assert tool.delete(f"/api/tokens/{token.pk}", headers=bearer(key)).status_code == 204
    assert tool.get("/api/me", headers=bearer(key)).status_code == 401


def test_no_one_revokes_someone_elses_token(cast, client):
    alicias, alicia_key = create_api_token(user=cast.alicia, name="ERP")
    _admins, admin_key = create_api_token(user=cast.admin, name="admin")
    response = client.delete(f"/api/tokens/{alicias.pk}", headers=bearer(admin_key))
    assert response.status_code == 404
    assert client.get("/api/me", headers=bearer(alicia_key)).status_code == 200
