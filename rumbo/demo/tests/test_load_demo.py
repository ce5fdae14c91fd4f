"""The tiny demo company: its numbers add up and its story holds together."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from decimal import Decimal

import numpy as np
import pytest
from django.db.models import Count, F, Min, Q, Sum

from rumbo.catalog.models import PriceList, Product
from rumbo.catalog.pricing import PriceBook, money
from rumbo.core.models import Counter, Role, User
from rumbo.customers.models import Account, Alignment, Channel, Contact
from rumbo.demo.geography import METRES_PER_DEGREE, spread_radius_m
from rumbo.demo.services import LoadReport
from rumbo.geo.models import CentroPoblado, Distrito
from rumbo.interactions.models import Interaction
from rumbo.orders.models import (
    SALES_STATUSES,
    MonthlyCategorySales,
    MonthlySales,
    Order,
    OrderLine,
    OrderStatusChange,
)
from rumbo.orders.services import LineInput, create_order
from rumbo.targets.models import Target
from rumbo.team.models import Rep
from rumbo.territories.models import Assignment, AssignmentRole, Territory

pytestmark = pytest.mark.django_db


def test_the_tiny_company_has_accounts_reps_and_a_year_of_orders(demo: LoadReport) -> None:
    org = demo.organisation
    assert Account.objects.filter(organisation=org).count() == 60
    assert User.objects.filter(organisation=org, role=Role.REP, is_active=True).count() == 5
    assert Order.objects.filter(organisation=org).count() > 500
    assert OrderLine.objects.filter(order__organisation=org).count() > 2_000
    assert demo.rows["orders.Order"] == Order.objects.filter(organisation=org).count()


def test_no_order_falls_outside_its_accounts_life(demo: LoadReport) -> None:
    orders = Order.objects.filter(organisation=demo.organisation)
    assert not orders.filter(account__status=Account.Status.PROSPECT).exists()
    assert not orders.filter(ordered_on__lt=F("account__opened_on")).exists()
    assert not orders.filter(ordered_on__gte=F("account__closed_on")).exists()
    lost = Account.objects.filter(organisation=demo.organisation, closed_on__isnull=False)
    assert lost.exists()
    assert not lost.exclude(status=Account.Status.INACTIVE).exists()


def test_every_line_has_the_price_the_price_book_gives(demo: LoadReport) -> None:
    org = demo.organisation
    periods = list(
        PriceList.objects.filter(organisation=org).values_list("pk", "valid_from", "valid_to")
    )
    lines = defaultdict(list)
    for line in OrderLine.objects.filter(order__organisation=org).select_related("product"):
        lines[line.order_id].append(line)
    books: dict[tuple[int, frozenset[int]], PriceBook] = {}
    checked = 0
    for order in Order.objects.filter(organisation=org).select_related("account"):
        # Orders on days when the same lists are valid share one price book.
        valid = frozenset(
            pk
            for pk, start, end in periods
            if (start is None or start <= order.ordered_on)
            and (end is None or end >= order.ordered_on)
        )
        key = (order.account_id, valid)
        if key not in books:
            books[key] = PriceBook(order.account, org.tax_rate, on=order.ordered_on)
        for line in lines[order.pk]:
            expected = books[key].price(line.product).net_unit_price
            assert line.unit_price == expected.quantize(Decimal("0.0001")), order.number
            checked += 1
    assert checked == sum(len(v) for v in lines.values()) > 0


def test_the_generators_price_table_agrees_with_the_price_book(demo: LoadReport) -> None:
    """For every account, product and price period, including negotiated lists."""
    org, prices = demo.organisation, demo.prices
    assert prices is not None and demo.account_ids is not None
    products = list(Product.objects.filter(organisation=org).order_by("pk"))
    accounts = Account.objects.in_bulk(demo.account_ids.tolist())
    assert Account.objects.filter(organisation=org, price_lists__isnull=False).exists()
    for a, account_id in enumerate(demo.account_ids.tolist()):
        for e, day in enumerate(prices.epochs):
            book = PriceBook(accounts[account_id], org.tax_rate, on=day)
            table = prices.unit_price(
                np.full(len(products), a), np.full(len(products), e), np.arange(len(products))
            )
            for product, price4 in zip(products, table.tolist(), strict=True):
                assert book.price(product).net_unit_price == Decimal(price4).scaleb(-4)


def test_order_amounts_are_the_sums_of_their_lines(demo: LoadReport) -> None:
    orders = (
        Order.objects.filter(organisation=demo.organisation)
        .annotate(
            lines_net=Sum("lines__net_amount"),
            lines_tax=Sum("lines__tax_amount"),
            lines_discount=Sum("lines__discount_amount"),
            n_lines=Count("lines"),
        )
        .values()
    )
    for order in orders:
        assert order["n_lines"] >= 1
        assert order["net_amount"] == order["lines_net"]
        assert order["tax_amount"] == order["lines_tax"]
        assert order["discount_amount"] == order["lines_discount"]
        assert order["total_amount"] == order["net_amount"] + order["tax_amount"]
        # Rounded per line, so within half a céntimo per line of 18 % of the net.
        off = abs(order["tax_amount"] - order["net_amount"] * Decimal("0.18"))
        assert off <= Decimal("0.005") * order["n_lines"]


def test_line_tax_is_igv_on_the_net_after_discount(demo: LoadReport) -> None:
    lines = OrderLine.objects.filter(order__organisation=demo.organisation)
    discounted = 0
    for line in lines:
        gross = line.quantity * line.unit_price
        assert line.net_amount == money(gross) - line.discount_amount
        assert line.tax_amount == money(line.net_amount * Decimal("0.18"))
        discounted += line.discount_amount > 0
    assert discounted > 0


def _monthly_sales(report: LoadReport) -> dict[tuple[int, int], Decimal]:
    rows = (
        Order.objects.filter(organisation=report.organisation, status__in=SALES_STATUSES)
        .values_list("ordered_on__year", "ordered_on__month")
        .annotate(net=Sum("net_amount"))
    )
    return {(y, m): net for y, m, net in rows}


def test_december_sells_more_than_the_average_month(demo: LoadReport) -> None:
    months = _monthly_sales(demo)
    assert len(months) == 14
    mean = sum(months.values(), Decimal(0)) / len(months)
    assert months[(2024, 12)] > mean * Decimal("1.15")


def test_a_fifth_of_the_accounts_brings_most_of_the_revenue(demo: LoadReport) -> None:
    per_account = sorted(
        Order.objects.filter(organisation=demo.organisation, status__in=SALES_STATUSES)
        .values("account")
        .annotate(net=Sum("net_amount"))
        .values_list("net", flat=True),
        reverse=True,
    )
    top = per_account[: math.ceil(len(per_account) / 5)]
    assert sum(top) / sum(per_account) >= Decimal("0.6")


def test_accounts_sit_on_urban_towns_of_their_territorys_districts(demo: LoadReport) -> None:
    accounts = Account.objects.filter(organisation=demo.organisation)
    towns: dict[str, list[CentroPoblado]] = defaultdict(list)
    for town in CentroPoblado.objects.filter(urban=True, distrito__in=accounts.values("distrito")):
        towns[town.distrito_id].append(town)
    households = dict(Distrito.objects.values_list("ubigeo", "households_2017"))
    for account in accounts:
        assert account.territory_id is not None and account.distrito_id is not None
        assert account.lat is not None and account.lon is not None
        assert account.location_precision == Account.LocationPrecision.EXACT
        assert account.country == "PE"
        assert account.distrito_id in demo.territory_districts[account.territory_id]
        in_district = households[account.distrito_id] or 0
        radius = spread_radius_m(in_district / len(towns[account.distrito_id]))
        nearest = min(
            math.hypot(
                (account.lat - t.lat) * METRES_PER_DEGREE,
                (account.lon - t.lon) * METRES_PER_DEGREE * math.cos(math.radians(t.lat)),
            )
            for t in towns[account.distrito_id]
        )
        assert nearest <= radius + 1
    alignments = Alignment.objects.filter(account__organisation=demo.organisation)
    assert alignments.count() == accounts.count()
    assert not alignments.exclude(territory=F("account__territory")).exists()


def test_every_active_rep_has_a_profile_and_covers_a_territory(demo: LoadReport) -> None:
    reps = User.objects.filter(organisation=demo.organisation, role=Role.REP)
    for rep in reps:
        profile = Rep.objects.get(user=rep)
        home = profile.home_distrito
        assert home is not None
        assert home.ubigeo in set().union(*demo.territory_districts.values())
        assert (profile.home_lat, profile.home_lon) == (home.lat, home.lon)
        current = Assignment.objects.filter(user=rep, role=AssignmentRole.REP, valid_to=None)
        assert current.exists() == rep.is_active == profile.is_active
    managers = User.objects.filter(organisation=demo.organisation, role=Role.MANAGER)
    assert managers.count() == 4
    for manager in managers:
        assert Assignment.objects.filter(
            user=manager, role=AssignmentRole.MANAGER, territory__level="region"
        ).exists()


def test_orders_are_credited_to_the_rep_covering_the_territory_that_day(
    demo: LoadReport,
) -> None:
    org = demo.organisation
    history: dict[int, list[Assignment]] = defaultdict(list)
    for a in Assignment.objects.filter(organisation=org, role=AssignmentRole.REP):
        history[a.territory_id].append(a)
    orders = Order.objects.filter(organisation=org).select_related("account", "rep")
    former = 0
    for order in orders:
        assert order.territory_id is not None and order.rep is not None
        assert order.territory_id == order.account.territory_id
        covering = [
            a
            for a in history[order.territory_id]
            if a.valid_from <= order.ordered_on
            and (a.valid_to is None or a.valid_to > order.ordered_on)
        ]
        assert [a.user_id for a in covering] == [order.rep_id]
        former += not order.rep.is_active
    assert former > 0  # a rep left during the history, and their orders stay theirs


def test_most_orders_come_from_a_visit_of_their_rep(demo: LoadReport) -> None:
    org = demo.organisation
    visits = set(
        Interaction.objects.filter(organisation=org, kind="visit", outcome="order").values_list(
            "account_id", "occurred_at__date", "user_id"
        )
    )
    orders = Order.objects.filter(organisation=org)
    from_visits = sum(
        (o.account_id, o.created_at.date(), o.rep_id) in visits
        for o in orders.only("account_id", "created_at", "rep_id")
    )
    assert from_visits / orders.count() > 0.85
    assert Interaction.objects.filter(organisation=org, kind="call").exists()
    assert Interaction.objects.filter(organisation=org, kind="visit", outcome="no_order").exists()


def test_every_order_has_a_status_history(demo: LoadReport) -> None:
    orders = Order.objects.filter(organisation=demo.organisation)
    changes = OrderStatusChange.objects.filter(order__organisation=demo.organisation)
    assert changes.filter(from_status="", to_status="submitted").count() == orders.count()
    delivered = orders.filter(status="delivered").count()
    assert changes.filter(to_status="delivered").count() == delivered > 0
    assert orders.filter(status="cancelled").exists()
    assert orders.exclude(source=Order.Source.DEMO).count() == 0
    last = changes.values("order").annotate(last=Min("at"))
    assert last.count() == orders.count()


def test_targets_exist_for_every_rep_and_territory_month(demo: LoadReport) -> None:
    org = demo.organisation
    targets = Target.objects.filter(organisation=org)
    sold = set(
        Order.objects.filter(organisation=org)
        .values_list("rep_id", "ordered_on__year", "ordered_on__month")
        .distinct()
    )
    with_target = set(
        targets.filter(rep__isnull=False, measure="amount").values_list(
            "rep_id", "month__year", "month__month"
        )
    )
    assert sold <= with_target
    for rep in User.objects.filter(organisation=org, role=Role.REP, is_active=True):
        months = set(targets.filter(rep=rep, measure="units").values_list("month", flat=True))
        assert {dt.date(2025, m, 1) for m in range(6, 10)} <= months  # the last and the next
    territories = len(demo.territory_districts)
    assert targets.filter(territory__isnull=False, measure="amount").count() == territories * 17
    assert targets.filter(territory__isnull=False, measure="units").count() == territories * 17
    # Targets follow the actuals, so some reps beat them and some miss them.
    beat = missed = 0
    sales = Order.objects.filter(organisation=org, status__in=SALES_STATUSES)
    actual = {
        (r, y, m): net
        for r, y, m, net in sales.values_list(
            "rep_id", "ordered_on__year", "ordered_on__month"
        ).annotate(net=Sum("net_amount"))
    }
    for t in targets.filter(rep__isnull=False, measure="amount", month__lte="2025-06-01"):
        net = actual.get((t.rep_id, t.month.year, t.month.month), Decimal(0))
        beat += net >= t.value
        missed += net < t.value
    assert beat > 0 and missed > 0


def test_new_orders_continue_the_order_numbering(demo: LoadReport) -> None:
    org = demo.organisation
    numbers = Order.objects.filter(organisation=org).values_list("number", flat=True)
    highest = max(int(n[1:]) for n in numbers)
    assert Counter.objects.get(organisation=org, name="order").value == highest == len(numbers)
    account = Account.objects.filter(organisation=org, status=Account.Status.ACTIVE).first()
    product = Product.objects.filter(organisation=org, discontinued=False).first()
    assert account is not None and product is not None
    order = create_order(
        account=account, lines=[LineInput(product=product, quantity=Decimal(2))], actor=None
    )
    assert order.number == f"P{highest + 1:07d}"


def test_accounts_are_valid_and_channels_realistic(demo: LoadReport) -> None:
    accounts = Account.objects.filter(organisation=demo.organisation).select_related("distrito")
    for account in accounts:
        account.full_clean()  # RUC check digits, DNI, opening hours, dates
        assert account.contacts.filter(is_primary=True).count() == 1
    by_channel = dict(accounts.values_list("channel__code").annotate(n=Count("id")))
    assert by_channel["bodega"] == max(by_channel.values())
    assert accounts.filter(Q(tax_id_type="dni") | Q(tax_id__startswith="10")).exists()
    assert accounts.filter(tax_id__startswith="20").exists()


def test_every_reference_points_to_an_existing_row(demo: LoadReport) -> None:
    """The loader may skip per-row foreign-key triggers on PostgreSQL; nothing dangles."""
    users, accounts = User.objects.values("pk"), Account.objects.values("pk")
    territories = Territory.objects.values("pk")
    references = [
        (OrderLine, "order", Order.objects.values("pk")),
        (OrderLine, "product", Product.objects.values("pk")),
        (Order, "account", accounts),
        (Order, "territory", territories),
        (Order, "rep", users),
        (Order, "created_by", users),
        (OrderStatusChange, "order", Order.objects.values("pk")),
        (OrderStatusChange, "by", users),
        (Interaction, "account", accounts),
        (Interaction, "user", users),
        (Target, "rep", users),
        (Target, "territory", territories),
        (Account, "territory", territories),
        (Account, "channel", Channel.objects.values("pk")),
        (Account, "distrito", Distrito.objects.values("pk")),
        (Alignment, "account", accounts),
        (Contact, "account", accounts),
    ]
    for model, field, parents in references:
        rows = model._default_manager.filter(**{f"{field}__isnull": False})
        assert not rows.exclude(**{f"{field}__in": parents}).exists(), (model, field)
    assert OrderLine.objects.filter(order__organisation=demo.organisation).exists()


def test_the_monthly_summaries_add_up_to_the_sales_orders(demo: LoadReport) -> None:
    org = demo.organisation
    sales = Order.objects.filter(organisation=org).sales().aggregate(n=Sum("net_amount"))["n"]
    kept = MonthlySales.objects.filter(organisation=org).aggregate(n=Sum("net_amount"))["n"]
    by_category = MonthlyCategorySales.objects.filter(organisation=org).aggregate(
        n=Sum("net_amount")
    )["n"]
    assert sales == kept == by_category
    orders = Order.objects.filter(organisation=org).sales().count()
    assert MonthlySales.objects.filter(organisation=org).aggregate(n=Sum("orders"))["n"] == orders
