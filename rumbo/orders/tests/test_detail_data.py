"""The order a POST /api/orders answers (and stores for replays) is built without the schema,
for speed: it must stay what `OrderDetailOut` gives, byte for byte, whatever the order holds
(promotions, free units, approvals, notes, amounts hidden), fresh or read back."""

import datetime as dt
import json
import uuid
from decimal import Decimal

import pytest
from django.test import RequestFactory
from ninja.responses import NinjaJSONEncoder

from rumbo.catalog.models import Promotion
from rumbo.catalog.services import create_promotion
from rumbo.orders.schemas import OrderDetailOut, order_detail_data
from rumbo.orders.selectors import order_detail
from rumbo.orders.services import LineInput, create_order

pytestmark = pytest.mark.django_db
D = Decimal
WRITTEN = dt.datetime(2025, 3, 10, 9, 15, 30, 123456, tzinfo=dt.UTC)


def post(client, user, body):
    client.force_login(user)
    headers = {"Idempotency-Key": str(uuid.uuid4())}
    return client.post(
        "/api/orders", data=json.dumps(body), content_type="application/json", headers=headers
    )


def promotions(cast):
    create_promotion(
        organisation=cast.org, code="COLA", name="Cola por volumen", kind=Promotion.Kind.VOLUME,
        product=cast.catalog["cola"], tiers=[(D("10"), D("5")), (D("24"), D("10"))],
    )  # fmt: skip
    create_promotion(
        organisation=cast.org, code="PAPAS", name="Papas 10 + 1", kind=Promotion.Kind.BUY_GET,
        product=cast.catalog["chips"], buy_quantity=10, free_quantity=1,
    )  # fmt: skip


def schema_json(user, order):
    request = RequestFactory().get("/")
    request.user = user
    schema = OrderDetailOut.model_validate(order, context={"request": request})
    return json.dumps(schema.model_dump(), cls=NinjaJSONEncoder)


def mine(order, sees_amounts=True):
    return json.dumps(order_detail_data(order, sees_amounts=sees_amounts), cls=NinjaJSONEncoder)


@pytest.mark.parametrize(
    "lines, extra",
    [
        ([("cola", "24", "2"), ("chips", "25", "0")], {}),  # a tier, and free units
        ([("cola", "10", "8")], {"notes": "Entregar el lunes ñ", "source": "offline"}),  # approval
        ([("chips", "3.5", "0")], {"status": "draft", "written_at": WRITTEN}),
    ],
)
def test_a_new_order_and_the_same_read_back_give_what_the_schema_gives(cast, lines, extra):
    promotions(cast)
    order = create_order(
        account=cast.accounts["alicia_1"], actor=cast.alicia, idempotency_key=uuid.uuid4(),
        lines=[LineInput(cast.catalog[name], D(q), D(d)) for name, q, d in lines], **extra,
    )  # fmt: skip
    assert mine(order) == schema_json(cast.alicia, order)  # as the POST answers it
    again = order_detail(cast.alicia, order.pk)
    assert mine(again) == schema_json(cast.alicia, again)  # as GET answers it


def test_the_answer_to_a_post_is_what_get_answers(cast, client):
    body = {
        "account": cast.accounts["alicia_1"].pk,
        "lines": [{"product": cast.catalog["cola"].pk, "quantity": "10", "discount_pct": "8"}],
        "notes": "Pedido ñ",
        "written_at": "2025-03-10T09:15:30.123456Z",
    }
    response = post(client, cast.alicia, body)
    assert response.status_code == 201, response.content
    assert response.content == client.get(response["Location"]).content


def test_without_amounts_the_data_hides_them_as_the_schema_does(cast):
    order = order_detail(cast.alicia, cast.orders["alicia_1"].pk)
    assert mine(order, sees_amounts=False) == schema_json(cast.vera, order)
    assert json.loads(mine(order, sees_amounts=False))["total_amount"] is None


def test_the_data_of_an_order_read_back_is_the_schemas(cast):
    order = order_detail(cast.alicia, cast.orders["alicia_1"].pk)
    order.written_at = dt.datetime(2025, 3, 10, 9, 15, 30, tzinfo=dt.UTC)
    assert mine(order) == schema_json(cast.alicia, order)
