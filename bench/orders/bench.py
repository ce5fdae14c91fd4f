"""Order submission through the API under load, against PostgreSQL and gunicorn.

    .venv/bin/python bench/orders/bench.py [--seconds 20] [--clients 8] [--workers 4]

1. Sustained load: 8 clients each POST /api/orders (20 lines, a new Idempotency-Key each)
   as fast as they can; orders/s and p50/p99 latency, beside the same 8 clients on
   GET /api/health, the floor of the server stack (gunicorn + Django + one SELECT 1).
2. Fault run: the same clients drop 10 % of the responses (they close the socket before
   reading) and send again with the same key, and the server is killed (SIGKILL) and started
   again halfway; at the end, orders acknowledged = orders stored and duplicates = 0.

The database (`bench_orders` unless --database) is created on first use with the small demo
company (`load_demo --size small --seed 1`); orders written by earlier runs stay.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _clients import fault_load, sustained_load
from _server import Server, prepare_database, tokens_and_bodies


def _row(name: str, stats: dict[str, float]) -> str:
    return (
        f"| {name} | {stats['clients']:.0f} | {stats['done']:.0f} | {stats['rate']:.0f} | "
        f"{stats['p50']:.1f} | {stats['p99']:.1f} | {stats['errors']:.0f} | "
        f"{stats['client_ms']:.2f} / {stats['server_ms']:.2f} / {stats['postgres_ms']:.2f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="bench_orders")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--lines", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8787)
    parser.add_argument("--skip-fault", action="store_true")
    args = parser.parse_args()

    url = f"{args.pg}/{args.database}"
    prepare_database(url)
    server = Server(url, port=args.port, workers=args.workers)
    load_before = os.getloadavg()
    server.start()
    try:
        clients = tokens_and_bodies(url, server, args.clients, args.lines)
        health = sustained_load(server, clients, args.seconds, health=True)
        orders = sustained_load(server, clients, args.seconds, health=False)
        fault = None if args.skip_fault else fault_load(server, clients, args.seconds, url)
    finally:
        server.stop()
    load_after = os.getloadavg()

    print(f"\nOrders API on {os.cpu_count()} cores, gunicorn {args.workers} sync workers, "
          f"PostgreSQL database {args.database}; {args.seconds:.0f} s per run; "
          f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} "
          "(the machine is shared)")  # fmt: skip
    print("\n| load | clients | requests | per second | p50 ms | p99 ms | errors "
          "| CPU ms per request: client / gunicorn / PostgreSQL |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|")
    print(_row("GET /api/health (floor)", health))
    print(_row(f"POST /api/orders ({args.lines} lines)", orders))
    if fault is not None:
        print("\nFault run: 10 % of responses dropped and sent again with the same key; "
              "server killed (SIGKILL) and restarted halfway")  # fmt: skip
        for name, value in fault.items():
            print(f"  {name:<40} {value}")
        # The same orders, not only as many: none lost, none stored unacknowledged.
        ok = (
            fault["acknowledged but not stored (lost)"] == 0
            and fault["stored but never acknowledged"] == 0
            and fault["duplicates"] == 0
        )
        print("  " + ("OK: every acknowledged order stored once" if ok else "FAILED"))
        if not ok:
            sys.exit(1)


if __name__ == "__main__":
    main()
