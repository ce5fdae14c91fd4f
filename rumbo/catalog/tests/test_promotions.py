"""Promotions: volume tiers on a product or a category, "buy N, get M free", who wins, and the
services that write them (audited). Amounts are computed by hand in the comments."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from rumbo.catalog.models import Category, Promotion
from rumbo.catalog.promotions import PromotionBook, free_units
from rumbo.catalog.services import create_promotion, update_promotion
from rumbo.core.models import AuditEntry

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 3, 10)
D = Decimal


def volume(cast, code, tiers, **fields):
    return create_promotion(
        organisation=cast.org, code=code, name=code, kind=Promotion.Kind.VOLUME,
        tiers=[(D(q), D(p)) for q, p in tiers], actor=cast.admin, **fields,
    )  # fmt: skip


def buy_get(cast, code, buy, free, **fields):
    return create_promotion(
        organisation=cast.org, code=code, name=code, kind=Promotion.Kind.BUY_GET,
        buy_quantity=buy, free_quantity=free, actor=cast.admin, **fields,
    )  # fmt: skip


def book(cast, channel=None, on=DAY):
    return PromotionBook(organisation_id=cast.org.pk, channel_id=channel or cast.channel.pk, on=on)


def test_the_highest_tier_reached_gives_its_discount(cast):
    cola = cast.catalog["cola"]
    volume(cast, "COLA", [("10", "5"), ("24", "10")], product=cola)
    given = book(cast).apply(
        [
            (cola, D("9")),
        ]
    )
    assert given[0].discount_pct == 0
    assert [book(cast).apply([(cola, D(q))])[0].discount_pct for q in ("10", "23.5", "24")] == [
        D("5.00"), D("5.00"), D("10.00")
    ]  # fmt: skip


def test_a_category_promotion_counts_every_line_of_the_category_and_its_subcategories(cast):
    drinks = cast.catalog["drinks"]
    light = Category.objects.create(organisation=cast.org, code="L", name="Light", parent=drinks)
    cola = cast.catalog["cola"]
    diet = cola.__class__.objects.create(
        organisation=cast.org, sku="BEB-002", name="Cola light", category=light,
        unit=cast.catalog["unit"], list_price=D("2.2"),
    )  # fmt: skip
    volume(cast, "BEB", [("20", "3")], category=drinks)
    given = book(cast).apply([(cola, D("12")), (diet, D("8")), (cast.catalog["chips"], D("50"))])
    # 12 + 8 = 20 units of drinks reach the tier; chips are not drinks
    assert [g.discount_pct for g in given] == [D("3.00"), D("3.00"), D("0")]


def test_when_two_volume_promotions_reach_a_line_the_higher_discount_wins(cast):
    cola = cast.catalog["cola"]
    volume(cast, "BEB", [("10", "3")], category=cast.catalog["drinks"])
    best = volume(cast, "COLA", [("10", "6")], product=cola)
    given = book(cast).apply([(cola, D("10"))])[0]
    assert (given.discount_pct, given.volume_promotion) == (D("6.00"), best)


def test_buy_ten_get_one_gives_one_free_unit_per_full_ten(cast):
    chips = cast.catalog["chips"]
    promotion = buy_get(cast, "CHIPS", 10, 1, product=chips)
    assert [free_units(promotion, D(q)) for q in ("9", "10", "25", "30")] == [0, 1, 2, 3]
    given = book(cast).apply([(chips, D("25"))])[0]
    assert (given.free_quantity, given.free_promotion) == (D("2"), promotion)


def test_promotions_follow_their_dates_channel_and_active_flag(cast):
    cola = cast.catalog["cola"]
    other = cast.channel.__class__.objects.create(organisation=cast.org, code="may", name="May")
    volume(cast, "OLD", [("1", "9")], product=cola, valid_to=dt.date(2025, 3, 9))
    volume(cast, "LATER", [("1", "8")], product=cola, valid_from=dt.date(2025, 3, 11))
    volume(cast, "MAY", [("1", "7")], product=cola, channel=other)
    volume(cast, "OFF", [("1", "6")], product=cola, is_active=False)
    assert book(cast).apply([(cola, D("5"))])[0].discount_pct == 0
    assert book(cast, channel=other.pk).apply([(cola, D("5"))])[0].discount_pct == D("7.00")


def test_a_promotion_is_checked_before_it_is_written(cast):
    cola = cast.catalog["cola"]
    with pytest.raises(ValidationError):
        volume(cast, "NONE", [], product=cola)  # a volume promotion needs tiers
    with pytest.raises(ValidationError):
        buy_get(cast, "CAT", 10, 1, category=cast.catalog["drinks"])  # buy-get is on a product
    with pytest.raises(ValidationError):
        volume(cast, "BOTH", [("1", "5")], product=cola, category=cast.catalog["drinks"])
    with pytest.raises(ValidationError):
        volume(cast, "BAD", [("1", "100")], product=cola)  # a 100 % tier is a gift, not a tier
    foreign = cast.outsider.products.get(sku="BEB-001")
    with pytest.raises(ValidationError):
        volume(cast, "FOREIGN", [("1", "5")], product=foreign)
    assert not Promotion.objects.exists()


def test_creating_and_changing_a_promotion_is_audited_with_its_tiers(cast):
    promotion = volume(cast, "COLA", [("10", "5")], product=cast.catalog["cola"])
    update_promotion(promotion=promotion, tiers=[(D("12"), D("6"))], actor=cast.admin)
    entries = AuditEntry.objects.filter(object_type="catalog.promotion").order_by("at", "id")
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[1].changes["tiers"] == [[["10.000", "5.00"]], [["12.000", "6.00"]]]
    assert entries[1].actor == cast.admin
