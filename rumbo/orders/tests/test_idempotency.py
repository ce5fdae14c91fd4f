"""One order per Idempotency-Key: replays, conflicts, refusals that keep the key free, and two
requests with one key at the same moment (PostgreSQL, real threads)."""

import json
import threading
import time
import uuid

import pytest
from django.db import connection

from rumbo.browser import BROWSER_APPS
from rumbo.orders import services
from rumbo.orders.models import IdempotencyKey, Order
from rumbo.testing import build_cast

pytestmark = pytest.mark.django_db


def body_for(cast, quantity="10"):
    return {
        "account": cast.accounts["alicia_1"].pk,
        "lines": [{"product": cast.catalog["cola"].pk, "quantity": quantity}],
    }


def send(client, user, key, data):
    client.force_login(user)
    raw = data if isinstance(data, str) else json.dumps(data)
    return client.post(
        "/api/orders", data=raw, content_type="application/json",
        headers={"Idempotency-Key": str(key)},
    )  # fmt: skip


def test_the_same_key_and_body_replay_the_first_answer(cast, client):
    key = uuid.uuid4()
    first = send(client, cast.alicia, key, body_for(cast))
    again = send(client, cast.alicia, key, body_for(cast))
    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert Order.objects.filter(idempotency_key=key).count() == 1


def test_the_same_json_with_other_spacing_and_key_order_is_the_same_request(cast, client):
    key = uuid.uuid4()
    data = body_for(cast)
    send(client, cast.alicia, key, data)
    respaced = json.dumps({"lines": data["lines"], "account": data["account"]}, indent=4)
    assert send(client, cast.alicia, key, respaced)["Idempotent-Replayed"] == "true"


def test_the_same_key_with_another_body_is_a_409(cast, client):
    key = uuid.uuid4()
    send(client, cast.alicia, key, body_for(cast))
    response = send(client, cast.alicia, key, body_for(cast, quantity="11"))
    assert response.status_code == 409
    assert "Idempotency-Key" in response.json()["detail"]
    assert Order.objects.filter(idempotency_key=key).count() == 1


def test_another_users_key_is_a_409_and_reveals_nothing(cast, client):
    key = uuid.uuid4()
    send(client, cast.alicia, key, body_for(cast))
    response = send(client, cast.maria, key, body_for(cast))
    assert response.status_code == 409
    assert "Rosita" not in response.content.decode()


def test_a_refused_order_leaves_the_key_free_for_the_fixed_order(cast, client):
    key = uuid.uuid4()
    cola = cast.catalog["cola"]
    cola.discontinued = True
    cola.save()
    refused = send(client, cast.alicia, key, body_for(cast))
    assert refused.status_code == 400 and refused.json()["code"] == "discontinued"
    fixed = body_for(cast)
    fixed["lines"][0]["product"] = cast.catalog["chips"].pk
    assert send(client, cast.alicia, key, fixed).status_code == 201
    stored = IdempotencyKey.objects.select_related("order").get(key=key)
    assert stored.order is not None
    assert stored.order.lines.get().product == cast.catalog["chips"]


# ----- two requests at the same moment ---------------------------------------------------


def _slow_pricing(monkeypatch):
    """Hold each request inside its transaction long enough for the other to catch up."""
    original = services.price_lines

    def slow(**kwargs):
        time.sleep(0.3)
        return original(**kwargs)

    monkeypatch.setattr(services, "price_lines", slow)


def _race(cast, bodies):
    from django.test import Client

    key, barrier, answers = uuid.uuid4(), threading.Barrier(len(bodies)), []

    def run(data):
        try:
            client = Client()
            client.force_login(cast.alicia)
            barrier.wait()
            answers.append(send(client, cast.alicia, key, data))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(b,)) for b in bodies]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return key, answers


on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs concurrent writers: SQLite serialises every write transaction",
)


@on_postgresql
@pytest.mark.django_db(transaction=True, available_apps=BROWSER_APPS)
def test_two_threads_sending_one_key_at_once_make_exactly_one_order(monkeypatch):
    cast = build_cast()
    _slow_pricing(monkeypatch)
    key, answers = _race(cast, [body_for(cast), body_for(cast)])
    assert [a.status_code for a in answers] == [201, 201]
    assert answers[0].json() == answers[1].json()
    assert sorted(a.get("Idempotent-Replayed", "") for a in answers) == ["", "true"]
    assert Order.objects.filter(idempotency_key=key).count() == 1
    assert IdempotencyKey.objects.filter(key=key).count() == 1


@on_postgresql
@pytest.mark.django_db(transaction=True, available_apps=BROWSER_APPS)
def test_two_threads_sending_one_key_with_different_bodies_make_one_order_and_a_409(monkeypatch):
    cast = build_cast()
    _slow_pricing(monkeypatch)
    key, answers = _race(cast, [body_for(cast), body_for(cast, quantity="12")])
    assert sorted(a.status_code for a in answers) == [201, 409]
    assert Order.objects.filter(idempotency_key=key).count() == 1


def test_a_forgotten_key_sent_again_is_refused_not_written_twice(cast, client):
    import datetime as dt

    from django.core.management import call_command
    from django.utils import timezone

    key = uuid.uuid4()
    send(client, cast.alicia, key, body_for(cast))
    IdempotencyKey.objects.update(created_at=timezone.now() - dt.timedelta(days=40))
    call_command("prune_idempotency_keys", "--days", "30")
    assert not IdempotencyKey.objects.exists()
    assert send(client, cast.alicia, key, body_for(cast)).status_code == 409
    assert Order.objects.filter(idempotency_key=key).count() == 1
