"""Cut the small slices of AdventureWorks and Northwind that the import tests load.

Run by hand, from the repository root, when the slices must change:

    .venv/bin/python rumbo/imports/tests/data/build_slices.py /work/shared/data

Rows are copied as they are (same files, same columns, same text), only fewer of them. The one
derived file, northwind/derived_customer_locations.csv, is described in northwind/README.md.
"""

from __future__ import annotations

import csv
import shutil
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).parent
AW_REPS = {
    "292",
    "293",
    "295",
}  # Ranjit Varkey Chudukatil (France), Tete Mensa-Annan, Rachel Valdez
AW_MONTHS = ("2019-10", "2019-12")
NW_CUSTOMERS = {"ALFKI", "LETSS", "TRAIH", "MORGK", "LACOR"}
COUNTRIES = {"Germany": "DE", "USA": "US", "UK": "GB", "France": "FR"}


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


def adventureworks(data: Path) -> None:
    src, out = data / "adventureworks_reseller_sales", HERE / "adventureworks"
    sales = rows(src / "FactResellerSales.csv")
    window = [
        r for r in sales
        if r["EmployeeKey"] in AW_REPS and AW_MONTHS[0] <= r["OrderDate"][:7] <= AW_MONTHS[1]
    ]  # fmt: skip
    orders = sorted({r["SalesOrderNumber"] for r in window})[::2]  # every other order
    kept = [r for r in window if r["SalesOrderNumber"] in set(orders)]
    resellers = {r["ResellerKey"] for r in kept}
    products = {r["ProductKey"] for r in kept}
    located = {
        r["ResellerKey"] for r in rows(src / "derived_reseller_locations.csv") if r["Latitude"]
    }
    assert resellers <= located, "every reseller of the slice must have coordinates"
    geography = {
        r["GeographyKey"]
        for r in rows(src / "dw2014/DimReseller.csv")
        if r["ResellerKey"] in resellers
    }
    reps = {r["EmployeeKey"]: r for r in rows(src / "derived_salesperson_key_map.csv")}
    national = {reps[k]["EmployeeNationalIDAlternateKey"] for k in AW_REPS}
    kept_orders = set(orders)
    keep: dict[str, Callable[[dict[str, str]], bool]] = {
        "FactResellerSales.csv": lambda r: r["SalesOrderNumber"] in kept_orders,
        "Resellers.csv": lambda r: r["ResellerKey"] in resellers,
        "derived_reseller_locations.csv": lambda r: r["ResellerKey"] in resellers,
        "dw2014/DimReseller.csv": lambda r: r["ResellerKey"] in resellers,
        "dw2014/DimGeography.csv": lambda r: r["GeographyKey"] in geography,
        "dw2014/DimSalesTerritory.csv": lambda r: True,
        "Product.csv": lambda r: r["ProductKey"] in products,
        "derived_salesperson_key_map.csv": lambda r: r["EmployeeKey"] in AW_REPS,
        "DimEmployeeSalesTerritory.csv": lambda r: r["EmployeeKey"] in AW_REPS,
        "ResellerSalesTargets.csv": lambda r: r["EmployeeID"] in national,
    }
    counts = {name: copy_rows(src / name, out / name, test) for name, test in keep.items()}
    shutil.copy(src / "LICENSE-MicrosoftLearning-PL-300", out / "LICENSE-MicrosoftLearning-PL-300")
    print("adventureworks:", counts, f"{len(orders)} orders")  # noqa: T201


def city_centres(data: Path) -> dict[tuple[str, str], tuple[float, float, int]]:
    """(city, country code) → mean latitude and longitude of the AdventureWorks addresses there
    (addresses at 0,0, which have no known location, left out)."""
    oltp = data / "adventureworks_oltp_territories"
    country_of = {
        r["StateProvinceID"]: r["CountryRegionCode"] for r in rows(oltp / "StateProvince.csv")
    }
    where = {
        r["AddressID"]: (r["City"], country_of[r["StateProvinceID"]])
        for r in rows(oltp / "Address.csv")
    }
    points: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for r in rows(oltp / "Address_latlon.csv"):
        lat, lon = float(r["Latitude"] or 0), float(r["Longitude"] or 0)
        if (lat, lon) != (0.0, 0.0) and r["AddressID"] in where:  # 0,0: no known location
            points[where[r["AddressID"]]].append((lat, lon))
    return {
        key: (sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts), len(pts))
        for key, pts in points.items()
    }


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
    centres = city_centres(data)
    with (out / "derived_customer_locations.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["customer_id", "city", "country", "latitude", "longitude", "addresses"])
        for r in rows(out / "customers.csv"):
            lat, lon, n = centres[(r["city"], COUNTRIES[r["country"]])]
            writer.writerow(
                [r["customer_id"], r["city"], r["country"], f"{lat:.6f}", f"{lon:.6f}", n]
            )
    shutil.copy(src / "LICENSE", out / "LICENSE")
    shutil.copy(
        data / "adventureworks_oltp_territories/LICENSE-AdventureWorks-for-Postgres",
        out / "LICENSE-AdventureWorks-for-Postgres",
    )
    print("northwind:", counts)  # noqa: T201


if __name__ == "__main__":
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data")
    adventureworks(root)
    northwind(root)
