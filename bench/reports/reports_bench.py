"""Latency of the performance pages on the large demo company, beside the raw GROUP BY.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/demo_large \
        .venv/bin/python bench/reports/reports_bench.py [--runs 40] [--http http://127.0.0.1:8000]
        [--cold [order|visit|all]]

Needs the large demo (`load_demo --size large --seed 1`, ≥ 10 million order lines) in
PostgreSQL after `migrate` and `createcachetable` (the pages keep figures in the database
cache), and its report rollups (`manage.py rebuild_report_rollups`, then VACUUM ANALYZE, as
after any bulk load). Each page is requested `--runs` times after three warm-ups, through the
Django test client in this process (default) or over HTTP against a running server (--http,
e.g. gunicorn); p50 and p95 are printed beside the time of one plain SQL GROUP BY over the raw
order lines (orders_order ⋈ orders_orderline) that answers the same question, run three times
in the same run (median). Pages: the year's dashboard at region level, a drill-down to a
territory and to its rep, and the gap bridges of that rep and of a region.

The pages keep their heaviest figures in the report cache until the rollups they come from
change: accounts active, won and lost and the gap bridge until the sales change, visit
coverage until the visits change (or an account moves). In a company taking orders the first
look after each order computes the first ones again: --cold (or --cold order) deletes them
before every timed request (not timed) to measure that; --cold visit deletes what a new visit
makes stale, --cold all everything (as after a rebuild). The first look after an order also
brings the rollups up to date: the last line times that, for one order written (and rolled
back) before each run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rumbo.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.core.cache.backends.db import DatabaseCache  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.template import engines  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from rumbo.catalog.models import Product  # noqa: E402
from rumbo.core.models import Organisation, Role, User  # noqa: E402
from rumbo.customers.models import Account  # noqa: E402
from rumbo.orders.models import SALES_STATUSES, OrderLine  # noqa: E402
from rumbo.orders.services import LineInput, create_order  # noqa: E402
from rumbo.reports.rollups import ensure_fresh  # noqa: E402
from rumbo.territories.models import Assignment, Territory  # noqa: E402

YEAR = 2025
PASSWORD = "rumbo2025"


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def sql_ms(sql: str, params: list[Any], repeat: int = 3) -> float:
    """Median wall time of a raw query, all rows fetched."""
    times = []
    with connection.cursor() as cursor:
        for _ in range(repeat):
            start = time.perf_counter()
            cursor.execute(sql, params)
            cursor.fetchall()
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


SALES = "o.status IN ({})".format(", ".join(f"'{s}'" for s in SALES_STATUSES))
LINES = "orders_order o JOIN orders_orderline l ON l.order_id = o.id"
PERIODS = (
    f"SUM(l.net_amount) FILTER (WHERE o.ordered_on >= '{YEAR}-01-01'), "
    f"SUM(l.net_amount) FILTER (WHERE o.ordered_on < '{YEAR}-01-01'), "
    f"COUNT(DISTINCT o.id) FILTER (WHERE o.ordered_on >= '{YEAR}-01-01'), "
    f"COUNT(DISTINCT o.account_id) FILTER (WHERE o.ordered_on >= '{YEAR}-01-01'), "
    f"COUNT(DISTINCT o.account_id) FILTER (WHERE o.ordered_on < '{YEAR}-01-01')"
)
YEARS = f"o.ordered_on >= '{YEAR - 1}-01-01' AND o.ordered_on < '{YEAR + 1}-01-01'"


def raw_queries(org: Organisation, region: Territory, leaf: Territory, rep: User) -> dict:
    """The same questions as the pages, asked of the order lines: sales, orders and buying
    accounts this year and last, per region / per rep of a territory / per account of a rep;
    and the bridge's per-account and per-category sums."""
    org_id = org.pk
    step = len(region.path)
    return {
        "region": (
            f"SELECT substr(t.path, 1, {step}), {PERIODS} FROM {LINES} "
            "JOIN territories_territory t ON t.id = o.territory_id "
            f"WHERE o.organisation_id = %s AND {SALES} AND {YEARS} GROUP BY 1",
            [org_id],
        ),
        "territory": (
            f"SELECT o.rep_id, {PERIODS} FROM {LINES} WHERE o.organisation_id = %s AND "
            f"{SALES} AND {YEARS} AND o.territory_id = %s GROUP BY 1",
            [org_id, leaf.pk],
        ),
        "rep": (
            f"SELECT o.account_id, {PERIODS} FROM {LINES} WHERE o.organisation_id = %s AND "
            f"{SALES} AND {YEARS} AND o.territory_id = %s AND o.rep_id = %s GROUP BY 1",
            [org_id, leaf.pk, rep.pk],
        ),
        "bridge": (
            f"SELECT o.account_id, p.category_id, {PERIODS} FROM {LINES} "
            "JOIN catalog_product p ON p.id = l.product_id WHERE o.organisation_id = %s AND "
            f"{SALES} AND {YEARS} AND o.rep_id = %s GROUP BY 1, 2 UNION ALL "
            f"SELECT NULL, p.category_id, {PERIODS} FROM {LINES} "
            "JOIN catalog_product p ON p.id = l.product_id WHERE o.organisation_id = %s AND "
            f"{SALES} AND {YEARS} GROUP BY 2",
            [org_id, rep.pk, org_id],
        ),
        "region_bridge": (
            f"SELECT o.account_id, p.category_id, {PERIODS} FROM {LINES} "
            "JOIN catalog_product p ON p.id = l.product_id "
            "JOIN territories_territory t ON t.id = o.territory_id WHERE o.organisation_id = %s "
            f"AND {SALES} AND {YEARS} AND t.path LIKE %s GROUP BY 1, 2",
            [org_id, region.path + "%"],
        ),
    }


STALE_AFTER = {"order": "sales:", "visit": "visits:", "all": ""}  # report cache key prefixes


def forget_report_cache(after: str = "all") -> None:
    """Delete what the performance pages keep in the cache (rumbo.reports.context.Context.
    cached) that a new order, a new visit or anything ("all") makes stale; other cache entries
    stay."""
    prefix = "rumbo:reports:" + STALE_AFTER[after]
    found = caches["default"]
    if isinstance(found, DatabaseCache):
        table = connection.ops.quote_name(settings.CACHES["default"]["LOCATION"])
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {table} WHERE cache_key LIKE %s", [found.make_key(prefix) + "%"]
            )
    else:
        found.clear()


def refresh_after_an_order(org: Organisation, leaf: Territory, runs: int) -> list[float]:
    """Times of bringing the rollups up to date after one new order of an account of `leaf`
    this year (the order and the refresh rolled back each time)."""
    account = Account.objects.filter(territory=leaf, status=Account.Status.ACTIVE).first()
    product = Product.objects.filter(organisation=org, is_active=True).order_by("pk").first()
    assert account and product
    times = []
    for _ in range(runs):
        with transaction.atomic():
            create_order(account=account, actor=None, ordered_on=dt.date(YEAR, 12, 15),
                         lines=[LineInput(product=product, quantity=Decimal(3))])  # fmt: skip
            start = time.perf_counter()
            ensure_fresh(org.pk)
            times.append((time.perf_counter() - start) * 1000)
            transaction.set_rollback(True)
    return times


def query_count(url: str, admin: User) -> int:
    """How many SQL statements one request of the page runs, with the report cache as the
    timed requests found it."""
    client = Client(SERVER_NAME="localhost")
    client.force_login(admin)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)


def pick(org: Organisation) -> tuple[User, Territory, Territory, User]:
    """The admin, the biggest region, its first territory with a rep, and that rep."""
    admin = User.objects.filter(organisation=org, role=Role.ADMIN).order_by("pk").first()
    region = Territory.objects.get(organisation=org, code="LIM")
    assignment = (
        Assignment.objects.active_on()
        .filter(territory__path__startswith=region.path, territory__level="territory", role="rep")
        .select_related("territory", "user")
        .order_by("territory__path")
        .first()
    )
    assert admin and assignment
    return admin, region, assignment.territory, assignment.user


def client_getter(admin: User) -> Callable[[str], int]:
    client = Client(SERVER_NAME="localhost")
    client.force_login(admin)

    def get(url: str) -> int:
        return client.get(url).status_code

    return get


def http_getter(base: str, admin: User) -> Callable[[str], int]:
    import http.cookiejar
    import re
    import urllib.parse
    import urllib.request

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    data = {"username": admin.username, "password": PASSWORD,
            "csrfmiddlewaretoken": token.group(1) if token else ""}  # fmt: skip
    request = urllib.request.Request(base + "/login/", urllib.parse.urlencode(data).encode(),
                                     headers={"Referer": base + "/login/"})  # fmt: skip
    opener.open(request).read()

    def get(url: str) -> int:
        with opener.open(base + url) as response:
            response.read()
            return int(response.status)

    return get


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--http", help="base URL of a running server, e.g. http://127.0.0.1:8000")
    parser.add_argument(
        "--cold", nargs="?", const="order", choices=list(STALE_AFTER),
        help="before every timed request, delete from the report cache what a new order "
        "(default), a new visit or anything makes stale",
    )  # fmt: skip
    args = parser.parse_args()
    settings.DEBUG = False  # no query log, as in production
    engines["django"].engine.debug = False  # type: ignore[attr-defined]  # RUMBO_DEBUG=0 does both
    if connection.vendor != "postgresql":
        sys.exit("Run against PostgreSQL (DATABASE_URL=postgres://…).")
    org = Organisation.objects.get(slug="andina")
    lines = OrderLine.objects.filter(order__organisation=org).count()
    admin, region, leaf, rep = pick(org)
    load = os.getloadavg()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    print(f"{org.name}: {lines:,} order lines; PostgreSQL {version}; {os.cpu_count()} CPUs")
    print(f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"pages through {'HTTP at ' + args.http if args.http else 'the Django test client'}, "
          f"{args.runs} runs each after 3 warm-ups; raw SQL: median of 3")  # fmt: skip
    print("report cache: " + (f"cold: emptied before every request of what a new {args.cold} "
                              "makes stale" if args.cold in ("order", "visit") else
                              "cold: emptied before every request" if args.cold else
                              "kept between requests (warm)"))  # fmt: skip
    get = http_getter(args.http, admin) if args.http else client_getter(admin)
    q = f"?period={YEAR}"
    pages = [
        ("dashboard, year, by region", "/performance/" + q, "region"),
        ("drill-down to a territory", f"/performance/territory/{leaf.pk}/" + q, "territory"),
        ("drill-down to its rep", f"/performance/territory/{leaf.pk}/rep/{rep.pk}/" + q, "rep"),
        ("gap bridge of the rep", f"/performance/rep/{rep.pk}/gap/" + q, "bridge"),
        ("gap bridge of a region", f"/performance/territory/{region.pk}/gap/" + q,
         "region_bridge"),
    ]  # fmt: skip
    raw = raw_queries(org, region, leaf, rep)
    rows = []
    for label, url, question in pages:
        for _ in range(3):
            assert get(url) == 200, url
        times = []
        for _ in range(args.runs):
            if args.cold:
                forget_report_cache(args.cold)
            start = time.perf_counter()
            get(url)
            times.append((time.perf_counter() - start) * 1000)
        sql, params = raw[question]
        raw_ms = sql_ms(sql, params)
        p50, p95 = statistics.median(times), percentile(times, 95)
        if args.cold:
            forget_report_cache(args.cold)
        queries = query_count(url, admin)
        rows.append((label, p50, p95, raw_ms, raw_ms / p95, queries))
    print()
    header = ("page", "p50 ms", "p95 ms", "raw GROUP BY ms", "raw / p95", "queries")
    widths = [28, 8, 8, 16, 10, 7]
    print(
        "  ".join(
            h.ljust(w) if i == 0 else h.rjust(w)
            for i, (h, w) in enumerate(zip(header, widths, strict=True))
        )
    )
    for label, p50, p95, raw_ms, ratio, queries in rows:
        cells = [label.ljust(28), f"{p50:8.0f}", f"{p95:8.0f}", f"{raw_ms:16.0f}", f"{ratio:9.1f}x",
                 f"{queries:7d}"]  # fmt: skip
        print("  ".join(cells))
    if not args.http:
        refresh = refresh_after_an_order(org, leaf, 10)
        print(f"\nrollups brought up to date after one new order: p50 "
              f"{statistics.median(refresh):.0f} ms, p95 {percentile(refresh, 95):.0f} ms "
              "(10 runs; paid by the first look after it)")  # fmt: skip
    load = os.getloadavg()
    print(f"\nload average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    worst = max(r[2] for r in rows)
    verdict = "met" if worst < 300 else "NOT met"
    print(f"goal: every page p95 < 300 ms: {verdict} (worst {worst:.0f} ms)")


if __name__ == "__main__":
    main()
