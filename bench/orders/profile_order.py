"""CPU and SQL statements of one POST /api/orders, measured in-process (no gunicorn, no sockets).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_orders RUMBO_DEBUG=0 \
        .venv/bin/python bench/orders/profile_order.py [--orders 200] [--lines 20] [--profile]

The same clients as bench.py (active reps of the demo with a personal token, 20 lines on their
own accounts, a new Idempotency-Key each) post through django.test.Client; it prints the
worker's CPU ms per order (process time: Python, psycopg), the CPU of the PostgreSQL backend
serving it when that runs on this machine (/proc), and the statements per order as Django runs
them (BEGIN and COMMIT not counted); with --profile, the functions where the worker's time goes
(cProfile, process time). Each run makes 8 API tokens named "profile".
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rumbo.settings")
os.environ.setdefault("RUMBO_DEBUG", "0")
os.environ.setdefault("RUMBO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("RUMBO_CONN_MAX_AGE", "600")
os.environ.setdefault("RUMBO_SECRET_KEY", "profile-orders-not-a-secret")
os.environ.setdefault("RUMBO_LOG_LEVEL", "ERROR")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from rumbo.catalog.models import Product  # noqa: E402
from rumbo.core.models import Role, User  # noqa: E402
from rumbo.core.services import create_api_token  # noqa: E402
from rumbo.orders import form_data  # noqa: E402
from rumbo.territories.models import Assignment  # noqa: E402


def _clients(n: int, lines: int) -> list[tuple[str, list[bytes]]]:
    """As bench/orders/_server.py: one token per active rep, bodies on its own accounts."""
    covering = Assignment.objects.active_on().filter(role="rep").values("user_id")
    reps = User.objects.filter(
        role=Role.REP, is_active=True, organisation__slug="andina", pk__in=covering
    ).order_by("pk")[:n]
    rng = random.Random(1)
    built = []
    for user in reps:
        token = create_api_token(user=user, name="profile")[1]
        sellable = list(
            Product.objects.filter(
                organisation_id=user.organisation_id, discontinued=False, is_active=True
            ).values_list("pk", flat=True)
        )
        ids = list(form_data.order_accounts_qs(user).values_list("pk", flat=True))
        bodies = [
            json.dumps({
                "account": rng.choice(ids),
                "lines": [{"product": p, "quantity": str(rng.randint(1, 12))}
                          for p in rng.sample(sellable, lines)],
            }).encode()
            for _ in range(50)
        ]  # fmt: skip
        built.append((token, bodies))
    return built


def _backend_cpu_s() -> float | None:
    """CPU seconds used so far by the PostgreSQL process behind Django's connection, if local."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        row = cursor.fetchone()
    try:
        fields = Path(f"/proc/{row[0]}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _post(client: Client, token: str, body: bytes) -> int:
    response = client.post(
        "/api/orders",
        data=body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": str(uuid.uuid4())},
    )
    if response.status_code != 201:
        raise SystemExit(f"{response.status_code}: {response.content[:500]!r}")
    return response.status_code


def _run(orders: int, clients: list[tuple[str, list[bytes]]], post: Callable[..., Any]) -> None:
    client = Client()
    rng = random.Random(2)
    for i in range(orders):
        token, bodies = clients[i % len(clients)]
        post(client, token, rng.choice(bodies))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=200)
    parser.add_argument("--lines", type=int, default=20)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=45)
    parser.add_argument("--dump", default="", help="also write the profile to this file")
    args = parser.parse_args()

    clients = _clients(args.clients, args.lines)
    _run(30, clients, _post)  # warm up: imports, translations, connections
    statements = [0]

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements[0] += 1
        return execute(sql, params, many, context)

    profiler = cProfile.Profile(time.process_time) if args.profile else None
    backend = _backend_cpu_s()
    with connection.execute_wrapper(count):
        cpu, wall = time.process_time(), time.perf_counter()
        if profiler is not None:
            profiler.enable()
        _run(args.orders, clients, _post)
        if profiler is not None:
            profiler.disable()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    after = _backend_cpu_s()
    in_pg = (
        ""
        if backend is None or after is None
        else f", {1000 * (after - backend) / args.orders:.2f} ms CPU in PostgreSQL"
    )
    print(
        f"{args.orders} orders of {args.lines} lines: {1000 * cpu / args.orders:.2f} ms CPU "
        f"in the worker{in_pg} and {1000 * wall / args.orders:.2f} ms wall per order, "
        f"{statements[0] / args.orders:.1f} statements per order"
        + (" (under cProfile)" if profiler else "")
    )
    if profiler is not None:
        if args.dump:
            profiler.dump_stats(args.dump)
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(args.top)
        stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
