"""Cut the small slices of AdventureWorks and Northwind that the import tests load.

Run by hand, from the repository root, when the slices must change:

    .venv/bin/python rumbo/imports/tests/data/build_slices.py /work/shared/data

Rows are copied as they are (same files, same columns, same text), only fewer of them.
"""

from __future__ import annotations

import csv
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).parent
# Ranjit Varkey Chudukatil (France), Tete Mensa-Annan (Northwest US), Rachel Valdez (Germany)
AW_REPS = {"292", "293", "295"}
AW_MONTHS = ("2019-10", "2019-12")
# Tsvi Reiter's order for Bike Goods, one of the resellers without coordinates.
AW_EXTRA_ORDERS = {"SO58989"}
NW_CUSTOMERS = {"ALFKI", "LETSS", "TRAIH", "MORGK", "LACOR"}


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def copy_rows(source: Path, target: Path, keep: Callable[[dict[str, str]], bool]) -> int:
    """Copy the header and the lines whose row `keep` accepts, byte for byte."""
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    header = next(csv.reader([lines[0]]))
    kept = [
        line for line in lines[1:] if keep(dict(zip(header, next(csv.reader([line])), strict=True)))
    ]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(lines[0] + "".join(kept), encoding="utf-8")
    return len(kept)


def chain_of_command(employees: list[dict[str, str]], keys: set[str]) -> set[str]:
    """`keys` and everyone above them in the Sales department."""
    parent = {r["EmployeeKey"]: r["ParentEmployeeKey"] for r in employees}
    found = set()
    for key in keys:
        while key in parent and key not in found:
            found.add(key)
            key = parent[key]
    return found


def adventureworks(data: Path) -> None:
    src, out = data / "adventureworks_reseller_sales", HERE / "adventureworks"
    sales = rows(src / "FactResellerSales.csv")
    window = [
        r for r in sales
        if r["EmployeeKey"] in AW_REPS and AW_MONTHS[0] <= r["OrderDate"][:7] <= AW_MONTHS[1]
    ]  # fmt: skip
    orders = set(sorted({r["SalesOrderNumber"] for r in window})[::2]) | AW_EXTRA_ORDERS
    kept = [r for r in sales if r["SalesOrderNumber"] in orders]
    resellers = {r["ResellerKey"] for r in kept}
    products = {r["ProductKey"] for r in kept}
    located = {
        r["ResellerKey"] for r in rows(src / "derived_reseller_locations.csv") if r["Latitude"]
    }
    assert resellers - located, "the slice must have a reseller without coordinates"
    geography = {
        r["GeographyKey"]
        for r in rows(src / "dw2014/DimReseller.csv")
        if r["ResellerKey"] in resellers
    }
    sales_dept = [r for r in rows(src / "dw2014/DimEmployee.csv") if r["DepartmentName"] == "Sales"]
    people = chain_of_command(sales_dept, {r["EmployeeKey"] for r in kept})
    national = {
        r["EmployeeNationalIDAlternateKey"] for r in sales_dept if r["EmployeeKey"] in people
    }
    keep: dict[str, Callable[[dict[str, str]], bool]] = {
        "FactResellerSales.csv": lambda r: r["SalesOrderNumber"] in orders,
        "Resellers.csv": lambda r: r["ResellerKey"] in resellers,
        "derived_reseller_locations.csv": lambda r: r["ResellerKey"] in resellers,
        "dw2014/DimReseller.csv": lambda r: r["ResellerKey"] in resellers,
        "dw2014/DimGeography.csv": lambda r: r["GeographyKey"] in geography,
        "dw2014/DimSalesTerritory.csv": lambda r: True,
        "dw2014/DimEmployee.csv": lambda r: r["EmployeeKey"] in people,
        "Product.csv": lambda r: r["ProductKey"] in products,
        "DimEmployeeSalesTerritory.csv": lambda r: r["EmployeeKey"] in people,
        "ResellerSalesTargets.csv": lambda r: r["EmployeeID"] in national,
    }
    counts = {name: copy_rows(src / name, out / name, test) for name, test in keep.items()}
    shutil.copy(src / "LICENSE-MicrosoftLearning-PL-300", out / "LICENSE-MicrosoftLearning-PL-300")
    print("adventureworks:", counts, f"{len(orders)} orders")  # noqa: T201


def northwind(data: Path) -> None:
    src, out = data / "northwind", HERE / "northwind"
    orders = {r["order_id"] for r in rows(src / "orders.csv") if r["customer_id"] in NW_CUSTOMERS}
    products = {r["product_id"] for r in rows(src / "order_details.csv") if r["order_id"] in orders}
    keep: dict[str, Callable[[dict[str, str]], bool]] = {
        "customers.csv": lambda r: r["customer_id"] in NW_CUSTOMERS,
        "orders.csv": lambda r: r["order_id"] in orders,
        "order_details.csv": lambda r: r["order_id"] in orders,
        "products.csv": lambda r: r["product_id"] in products,
    }
    counts = {name: copy_rows(src / name, out / name, test) for name, test in keep.items()}
    for name in (
        "categories.csv",
        "employees.csv",
        "region.csv",
        "territories.csv",
        "employee_territories.csv",
    ):
        counts[name] = copy_rows(src / name, out / name, lambda r: True)
    shutil.copy(src / "LICENSE", out / "LICENSE")
    print("northwind:", counts)  # noqa: T201


if __name__ == "__main__":
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data")
    adventureworks(root)
    northwind(root)
