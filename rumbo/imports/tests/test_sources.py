"""AdventureWorks and Northwind, imported through the generic kinds and their saved mappings.

Every expected figure is computed here from the slice's CSV files with the csv module alone.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db.models import Sum
from django.db.models.functions import TruncMonth

from rumbo.core.models import AuditEntry
from rumbo.customers.models import Account, Contact
from rumbo.imports.models import MappingPreset
from rumbo.imports.tests.conftest import DATA, load_source, read_csv
from rumbo.orders.models import Order, OrderLine
from rumbo.targets.models import Target
from rumbo.team.models import Rep
from rumbo.territories.models import Assignment, Territory

pytestmark = pytest.mark.django_db
AW = DATA / "adventureworks"
NW = DATA / "northwind"
CENT = Decimal("0.01")
COUNTRY_CODES = {"United States": "US", "Canada": "CA", "France": "FR", "Germany": "DE",
                 "United Kingdom": "GB", "Australia": "AU"}  # fmt: skip


def sales_by(org, key: str) -> dict:
    rows = (
        Order.objects.filter(organisation=org)
        .annotate(month=TruncMonth("ordered_on"))
        .values(key, "month")
        .annotate(total=Sum("net_amount"))
    )
    return {(r[key], r["month"].strftime("%Y-%m")): r["total"] for r in rows}


def test_adventureworks_sales_per_rep_and_month_match_the_csv(company):
    org, admin = company
    load_source("adventureworks", org, admin)
    lines = read_csv(AW / "FactResellerSales.csv")
    expected: dict = defaultdict(Decimal)
    for line in lines:
        expected[("aw" + line["EmployeeKey"], line["OrderDate"][:7])] += Decimal(
            line["SalesAmount"]
        )
    assert sales_by(org, "rep__username") == expected
    assert len(expected) == 10  # three reps over three months, and one order of a fourth
    assert Order.objects.filter(organisation=org).count() == len(
        {line["SalesOrderNumber"] for line in lines}
    )
    assert OrderLine.objects.filter(order__organisation=org).count() == len(lines)
    org.refresh_from_db()
    assert org.currency == "USD"
    assert set(Order.objects.filter(organisation=org).values_list("currency", "source")) == {
        ("USD", "import")
    }


def test_adventureworks_orders_are_credited_to_the_territory_of_the_file(company):
    org, admin = company
    load_source("adventureworks", org, admin)
    expected = {
        (line["SalesOrderNumber"], line["SalesTerritoryKey"])
        for line in read_csv(AW / "FactResellerSales.csv")
    }
    found = set(
        Order.objects.filter(organisation=org).values_list("external_code", "territory__code")
    )
    assert found == expected
    per_territory: dict = defaultdict(Decimal)
    for line in read_csv(AW / "FactResellerSales.csv"):
        per_territory[(line["SalesTerritoryKey"], line["OrderDate"][:7])] += Decimal(
            line["SalesAmount"]
        )
    assert sales_by(org, "territory__code") == per_territory


def test_adventureworks_monthly_targets_are_thousands_of_usd(company):
    org, admin = company
    load_source("adventureworks", org, admin)
    expected = {}
    for row in read_csv(AW / "ResellerSalesTargets.csv"):
        for month in range(1, 13):
            value = row[f"M{month:02d}"]
            if value != "-":
                key = (row["EmployeeID"], dt.date(int(row["Year"]), month, 1))
                expected[key] = Decimal(value) * 1000
    found = {
        (t.rep and t.rep.rep_profile.code, t.month): t.value
        for t in Target.objects.filter(organisation=org).select_related("rep__rep_profile")
    }
    assert found == expected
    assert found[("90836195", dt.date(2019, 10, 1))] == Decimal("300000")
    vice_president = {month for code, month in found if code == "112432117"}
    assert len(vice_president) > 12  # Brian Welcker sells nothing, yet has targets


def test_adventureworks_resellers_keep_their_coordinates_country_and_territory(company):
    org, admin = company
    load_source("adventureworks", org, admin)
    places = {r["ResellerKey"]: r for r in read_csv(AW / "derived_reseller_locations.csv")}
    countries = {r["ResellerKey"]: r["Country_Region"] for r in read_csv(AW / "Resellers.csv")}
    accounts = Account.objects.filter(organisation=org)
    assert accounts.count() == len(countries)
    unknown = 0
    for account in accounts.select_related("territory", "channel"):
        place = places[account.external_code]
        if place["Latitude"]:
            assert (account.lat, account.lon) == (
                float(place["Latitude"]),
                float(place["Longitude"]),
            )
            assert (account.location_precision, account.country) == (
                "exact",
                place["CountryRegionCode"],
            )
        else:  # the file has no coordinates for it, nor its country code: Resellers.csv has it
            unknown += 1
            assert (account.lat, account.lon, account.location_precision) == (None, None, "unknown")
            assert account.country == COUNTRY_CODES[countries[account.external_code]]
        assert account.distrito_id is None
    assert unknown == 1  # Bike Goods
    sold_in = {
        line["ResellerKey"]: line["SalesTerritoryKey"]
        for line in read_csv(AW / "FactResellerSales.csv")
    }
    assert {a.external_code: a.territory and a.territory.code for a in accounts} == sold_in


def test_adventureworks_territories_reps_and_coverage(company):
    org, admin = company
    load_source("adventureworks", org, admin)
    germany = Territory.objects.get(organisation=org, code="8")
    assert [t.name for t in germany.ancestors()] == ["Europe", "Germany"]
    assert germany.level == "territory"
    people = {r["EmployeeKey"]: r for r in read_csv(AW / "dw2014/DimEmployee.csv")}
    bosses = {r["ParentEmployeeKey"] for r in people.values()}
    for key, row in people.items():
        rep = Rep.objects.select_related("user__manager").get(
            organisation=org, user__username=f"aw{key}"
        )
        assert rep.code == row["EmployeeNationalIDAlternateKey"]
        assert rep.user.get_full_name() == f"{row['FirstName']} {row['LastName']}"
        assert rep.user.role == ("manager" if key in bosses else "rep")
        boss = row["ParentEmployeeKey"] if row["ParentEmployeeKey"] in people else None
        assert (rep.user.manager and rep.user.manager.username) == (boss and f"aw{boss}")
    assert Rep.objects.get(organisation=org, code="112432117").user.manager is None
    coverage = {
        (a.user.username, a.territory.code, a.role)
        for a in Assignment.objects.filter(organisation=org).select_related("user", "territory")
    }
    expected = {
        (
            "aw" + r["EmployeeKey"],
            r["SalesTerritoryKey"],
            "manager" if r["EmployeeKey"] in bosses else "rep",
        )
        for r in read_csv(AW / "DimEmployeeSalesTerritory.csv")
    }
    assert coverage == expected
    assert ("aw277", "10", "manager") in coverage
    assert MappingPreset.objects.filter(organisation=org, name="adventureworks-sales").exists()


def test_importing_adventureworks_again_changes_nothing(company):
    org, admin = company
    load_source("adventureworks", org, admin)
    audit = AuditEntry.objects.filter(organisation=org).count()
    stamps = dict(Account.objects.filter(organisation=org).values_list("pk", "updated_at"))
    again = load_source("adventureworks", org, admin)
    assert all(b.counts["created"] == b.counts["updated"] == 0 for b in again)
    assert sum(b.counts["unchanged"] for b in again) > 0
    assert AuditEntry.objects.filter(organisation=org).count() == audit
    assert dict(Account.objects.filter(organisation=org).values_list("pk", "updated_at")) == stamps


def net_of(line: dict[str, str]) -> Decimal:
    """A Northwind line's net amount: the price to four decimals, the discount in percent."""
    quantity = Decimal(line["quantity"])
    price = Decimal(line["unit_price"]).quantize(Decimal("0.0001"), ROUND_HALF_UP)
    pct = (Decimal(line["discount"]) * 100).quantize(CENT, ROUND_HALF_UP)
    gross = quantity * price
    discount = (gross * pct / 100).quantize(CENT, ROUND_HALF_UP)
    return gross.quantize(CENT, ROUND_HALF_UP) - discount


def test_northwind_sales_per_employee_and_month_match_the_csv(company):
    org, admin = company
    load_source("northwind", org, admin)
    header = {o["order_id"]: o for o in read_csv(NW / "orders.csv")}
    expected: dict = defaultdict(Decimal)
    discounts = Decimal("0")
    for line in read_csv(NW / "order_details.csv"):
        order = header[line["order_id"]]
        expected[("nw" + order["employee_id"], order["order_date"][:7])] += net_of(line)
        discounts += Decimal(line["discount"])
    assert discounts > 0, "the slice must have discounted lines"
    assert sales_by(org, "rep__username") == expected
    assert Order.objects.filter(organisation=org).count() == len(header)
    assert OrderLine.objects.filter(order__organisation=org).count() == len(
        read_csv(NW / "order_details.csv")
    )


def test_northwind_employees_report_to_their_managers_and_cover_their_territories(company):
    org, admin = company
    load_source("northwind", org, admin)
    for row in read_csv(NW / "employees.csv"):
        rep = Rep.objects.select_related("user__manager").get(
            organisation=org, code=row["employee_id"]
        )
        manager = rep.user.manager
        assert (manager.rep_profile.code if manager else "") == row["reports_to"]
    fuller = Rep.objects.get(organisation=org, code="2").user
    assert fuller.role == "manager"
    coverage = set(
        Assignment.objects.filter(organisation=org).values_list(
            "user__rep_profile__code", "territory__code"
        )
    )
    expected = {
        (r["employee_id"], r["territory_id"]) for r in read_csv(NW / "employee_territories.csv")
    }
    assert coverage == expected
    regions = {r["territory_id"]: "R" + r["region_id"] for r in read_csv(NW / "territories.csv")}
    found = dict(
        Territory.objects.filter(organisation=org, level="territory").values_list(
            "code", "parent__code"
        )
    )
    assert found == regions


def test_northwind_customers_products_and_contacts(company):
    org, admin = company
    load_source("northwind", org, admin)
    customers = {r["customer_id"]: r for r in read_csv(NW / "customers.csv")}
    accounts = Account.objects.filter(organisation=org)
    assert {a.external_code: (a.legal_name, a.city) for a in accounts} == {
        k: (r["company_name"], r["city"]) for k, r in customers.items()
    }
    alfki = accounts.get(external_code="ALFKI")
    assert (alfki.country, alfki.lat, alfki.location_precision) == ("DE", None, "unknown")
    assert set(accounts.values_list("location_precision", flat=True)) == {"unknown"}
    contacts = Contact.objects.filter(account__organisation=org, is_primary=True)
    assert {(c.account.external_code, c.name) for c in contacts} == {
        (k, r["contact_name"]) for k, r in customers.items()
    }
    categories = {r["category_id"]: r["category_name"] for r in read_csv(NW / "categories.csv")}
    for row in read_csv(NW / "products.csv"):
        product = org.products.select_related("category").get(sku=row["product_id"])
        assert product.category.name == categories[row["category_id"]]
        assert product.discontinued == (row["discontinued"] == "1")
        assert product.list_price == Decimal(row["unit_price"]).quantize(Decimal("0.0001"))


def test_importing_northwind_again_changes_nothing(company):
    org, admin = company
    load_source("northwind", org, admin)
    audit = AuditEntry.objects.filter(organisation=org).count()
    again = load_source("northwind", org, admin)
    assert all(b.counts["created"] == b.counts["updated"] == 0 for b in again)
    assert AuditEntry.objects.filter(organisation=org).count() == audit
