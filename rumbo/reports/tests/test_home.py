import datetime as dt
from decimal import Decimal

import pytest

from rumbo.reports.selectors import home_summary
from rumbo.targets.services import set_target
from rumbo.testing import make_order

pytestmark = pytest.mark.django_db
TODAY = dt.date(2024, 6, 20)


def test_the_home_page_speaks_spanish_by_default(cast, client):
    client.force_login(cast.alicia)
    html = client.get("/").content.decode()
    for words in [
        "Inicio",
        "Cuentas",
        "Territorios",
        "Cuentas activas",
        "Salir",
        "Últimos pedidos",
    ]:
        assert words in html


def test_the_home_page_speaks_english_when_asked(cast, client):
    client.force_login(cast.alicia)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert "Active accounts" in html and "Latest orders" in html


def test_alicias_month_counts_only_her_orders_and_her_target(cast):
    make_order(cast.accounts["alicia_2"], cast.catalog["cola"], "5", on=dt.date(2024, 6, 3))
    make_order(cast.accounts["alicia_1"], cast.catalog["cola"], "10", on=dt.date(2023, 6, 10))
    set_target(
        organisation=cast.org, month=dt.date(2024, 6, 1), measure="amount", value=Decimal("60"),
        rep=cast.alicia,
    )  # fmt: skip
    summary = home_summary(cast.alicia, today=TODAY)
    # The cast's two June 15th orders (10 × 2.00 each) and the one above (5 × 2.00).
    assert summary.orders_this_month == 3
    assert summary.sales_this_month == Decimal("50.00")
    assert summary.sales_same_month_last_year == Decimal("20.00")
    assert summary.growth_pct == Decimal("150.0")
    assert summary.attainment_pct == Decimal("83.3")
    assert summary.active_accounts == 2


def test_a_viewer_sees_activity_but_no_amounts(cast):
    summary = home_summary(cast.vera, today=TODAY)
    assert summary.active_accounts == 5 and summary.orders_this_month == 5
    assert summary.sales_this_month is None and summary.target_this_month is None
