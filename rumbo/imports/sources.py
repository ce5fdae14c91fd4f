"""Ready mappings (presets) for two public sample companies, AdventureWorks and Northwind.

Each source is a list of steps in the order they must run (territories before the reps who cover
them, accounts before their orders). A step is a generic import kind with a saved mapping, plus at
most a thin reshaping of the source's files where their layout differs from one file per kind:

- AdventureWorks: the territory tree is spread over columns (group → country → region); the
  resellers' coordinates and territory sit in other files (joined by key; the 4 resellers
  without coordinates get an unknown location). The team is the Sales department of
  DimEmployee. The organisation works in US dollars without sales tax. Rep code = national ID
  (what the targets file uses), username = "aw" + EmployeeKey (what the sales file uses).
  Targets are in thousands of USD.
- Northwind: the order lines and their orders are two files (joined by order_id). Customers
  have a city and country but no coordinates: their location is unknown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from rumbo.core.models import Organisation, User
from rumbo.customers.models import Channel
from rumbo.imports.mapping import Mapping
from rumbo.imports.models import MappingPreset
from rumbo.imports.readers import Row, Table, read_table
from rumbo.imports.reshape import Level, filter_rows, left_join, rows_of, to_csv, tree_from_levels
from rumbo.imports.services import save_preset
from rumbo.imports.values import shown

Builder = Callable[[Path], tuple[str, bytes]]


def as_is(name: str) -> Builder:
    def build(folder: Path) -> tuple[str, bytes]:
        return name, (folder / name).read_bytes()

    return build


def table(folder: Path, name: str) -> Table:
    return read_table((folder / name).read_bytes(), name)


@dataclass(frozen=True)
class Step:
    preset: str
    kind: str
    mapping: dict[str, Any]
    build: Builder


def aw_territories(folder: Path) -> tuple[str, bytes]:
    levels = [
        Level("SalesTerritoryGroup", "region"),
        Level("SalesTerritoryCountry", "country"),
        Level("SalesTerritoryRegion", "territory", code="SalesTerritoryKey"),
    ]
    tree = tree_from_levels(table(folder, "dw2014/DimSalesTerritory.csv"), levels)
    return "territories.csv", to_csv(tree)


def aw_resellers(folder: Path) -> tuple[str, bytes]:
    """Resellers with their main office's address and coordinates, phone and sales territory."""
    accounts = left_join(
        table(folder, "Resellers.csv"), table(folder, "derived_reseller_locations.csv"),
        on="ResellerKey", columns=["AddressLine1", "PostalCode", "Latitude", "Longitude"],
    )  # fmt: skip
    accounts = left_join(
        accounts, table(folder, "dw2014/DimReseller.csv"), on="ResellerKey",
        columns=["GeographyKey", "Phone"],
    )  # fmt: skip
    accounts = left_join(
        accounts, table(folder, "dw2014/DimGeography.csv"), on="GeographyKey",
        columns=["SalesTerritoryKey"],
    )  # fmt: skip
    return "resellers.csv", to_csv(accounts)


def aw_sales_people(folder: Path) -> Table:
    """DimEmployee's Sales department: the 17 sales people (SalesPersonFlag = 1) and their vice
    president, who sells nothing but covers territories and has targets. Added columns:
    ReportsTo, the manager's EmployeeKey when the manager is in Sales too (the vice president's
    is not: left empty), and Role, manager for whoever someone reports to, else rep."""
    people = filter_rows(table(folder, "dw2014/DimEmployee.csv"), "DepartmentName", ["Sales"])

    def cell(row: Row, column: str) -> str:
        return shown(people.value(row, column))

    keys = {cell(row, "EmployeeKey") for row in people.rows}
    bosses = {cell(row, "ParentEmployeeKey") for row in people.rows} & keys
    rows = []
    for row in people.rows:
        boss = cell(row, "ParentEmployeeKey")
        role = "manager" if cell(row, "EmployeeKey") in bosses else "rep"
        cells = [row.get(i) for i in range(len(people.headers))]
        rows.append([*cells, boss if boss in keys else "", role])
    return rows_of([*people.headers, "ReportsTo", "Role"], rows)


def aw_reps(folder: Path) -> tuple[str, bytes]:
    return "sales_people.csv", to_csv(aw_sales_people(folder))


def aw_coverage(folder: Path) -> tuple[str, bytes]:
    """Who covers which territory, with the person's role (a manager covers as a manager)."""
    coverage = left_join(
        table(folder, "DimEmployeeSalesTerritory.csv"), aw_sales_people(folder),
        on="EmployeeKey", columns=["Role"],
    )  # fmt: skip
    return "coverage.csv", to_csv(coverage)


ADVENTUREWORKS = [
    Step("adventureworks-territories", "territories",
         {"code": "code", "name": "name", "level": "level", "parent": "parent"}, aw_territories),
    Step("adventureworks-reps", "reps", {
        "username": {"template": "aw{EmployeeKey}"}, "code": "EmployeeNationalIDAlternateKey",
        "first_name": "FirstName", "last_name": "LastName", "phone": "Phone", "role": "Role",
        "manager": {"template": "aw{ReportsTo}"},
    }, aw_reps),
    Step("adventureworks-assignments", "assignments", {
        "territory": "SalesTerritoryKey", "rep": {"template": "aw{EmployeeKey}"}, "role": "Role",
        "valid_from": {"value": "2017-07-01"},
    }, aw_coverage),
    Step("adventureworks-resellers", "accounts", {
        "external_code": "ResellerKey", "legal_name": "ResellerName", "channel": "BusinessType",
        "address": "AddressLine1", "city": "City", "country": "Country_Region",
        "lat": "Latitude", "lon": "Longitude", "territory": "SalesTerritoryKey", "phone": "Phone",
        "options": {"valid_from": "2017-07-01"},
    }, aw_resellers),
    Step("adventureworks-products", "products", {
        "sku": "ProductKey", "name": "Product", "category": "EnglishProductCategoryName",
        "cost": "StandardCost",
    }, as_is("Product.csv")),
    Step("adventureworks-sales", "orders", {
        "order": "SalesOrderNumber", "ordered_on": "OrderDate", "account": "ResellerKey",
        "rep": {"template": "aw{EmployeeKey}"}, "territory": "SalesTerritoryKey",
        "sku": "ProductKey", "quantity": "OrderQuantity", "unit_price": "UnitPrice",
        "status": {"value": "delivered"},
    }, as_is("FactResellerSales.csv")),
    Step("adventureworks-targets", "targets", {
        "rep": "EmployeeID", "year": "Year", "measure": {"value": "amount"},
        "options": {"layout": "wide", "scale": "1000"},
    }, as_is("ResellerSalesTargets.csv")),
]  # fmt: skip


def nw_order_lines(folder: Path) -> tuple[str, bytes]:
    """Each line of order_details with the customer, employee and date of its order."""
    lines = left_join(
        table(folder, "order_details.csv"), table(folder, "orders.csv"), on="order_id",
        columns=["customer_id", "employee_id", "order_date"],
    )  # fmt: skip
    return "order_lines.csv", to_csv(lines)


NORTHWIND = [
    Step("northwind-regions", "territories", {
        "code": {"template": "R{region_id}"}, "name": "region_description",
        "level": {"value": "region"},
    }, as_is("region.csv")),
    Step("northwind-territories", "territories", {
        "code": "territory_id", "name": "territory_description", "level": {"value": "territory"},
        "parent": {"template": "R{region_id}"},
    }, as_is("territories.csv")),
    Step("northwind-employees", "reps", {
        "username": {"template": "nw{employee_id}"}, "code": "employee_id",
        "first_name": "first_name", "last_name": "last_name", "manager": "reports_to",
        "phone": "home_phone",
        "role": {"column": "title", "map": {
            "Vice President, Sales": "manager", "Sales Manager": "manager", "*": "rep",
        }},
    }, as_is("employees.csv")),
    Step("northwind-employee-territories", "assignments", {
        "territory": "territory_id", "rep": "employee_id", "valid_from": {"value": "1996-07-01"},
    }, as_is("employee_territories.csv")),
    Step("northwind-categories", "categories",
         {"code": "category_id", "name": "category_name"}, as_is("categories.csv")),
    Step("northwind-products", "products", {
        "sku": "product_id", "name": "product_name", "category": "category_id",
        "list_price": "unit_price", "discontinued": "discontinued",
    }, as_is("products.csv")),
    Step("northwind-customers", "accounts", {
        "external_code": "customer_id", "legal_name": "company_name", "address": "address",
        "city": "city", "country": "country", "phone": "phone", "channel": {"value": "importer"},
        "options": {"valid_from": "1996-07-01"},
    }, as_is("customers.csv")),
    Step("northwind-contacts", "contacts", {
        "account": "customer_id", "name": "contact_name", "position": "contact_title",
        "is_primary": {"value": "yes"},
    }, as_is("customers.csv")),
    Step("northwind-orders", "orders", {
        "order": "order_id", "ordered_on": "order_date", "account": "customer_id",
        "rep": "employee_id", "sku": "product_id", "quantity": "quantity",
        "unit_price": "unit_price", "discount_pct": {"column": "discount", "scale": "100"},
        "status": {"value": "delivered"},
    }, nw_order_lines),
]  # fmt: skip


@dataclass(frozen=True)
class Source:
    name: str
    currency: str
    tax_rate: Decimal
    channels: tuple[tuple[str, str], ...]
    steps: list[Step]


SOURCES = {
    "adventureworks": Source(
        "AdventureWorks", "USD", Decimal("0"),
        (("value-added-reseller", "Value Added Reseller"),
         ("specialty-bike-shop", "Specialty Bike Shop"), ("warehouse", "Warehouse")),
        ADVENTUREWORKS,
    ),
    "northwind": Source(
        "Northwind Traders", "USD", Decimal("0"), (("importer", "Importer"),), NORTHWIND
    ),
}  # fmt: skip


@transaction.atomic
def prepare_organisation(
    *, organisation: Organisation, source: str, user: User | None = None
) -> list[MappingPreset]:
    """Set the organisation up as the source works (currency, tax, channels) and save the
    source's mappings as presets named after it."""
    spec = SOURCES[source]
    organisation.currency, organisation.tax_rate = spec.currency, spec.tax_rate
    organisation.save(update_fields=["currency", "tax_rate"])
    for code, name in spec.channels:
        Channel.objects.get_or_create(organisation=organisation, code=code, defaults={"name": name})
    return [
        save_preset(organisation=organisation, user=user, name=step.preset, kind=step.kind,
                    mapping=Mapping.from_json(step.mapping))
        for step in spec.steps
    ]  # fmt: skip
