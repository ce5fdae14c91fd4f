"""The bench's clients: threads that POST orders (or GET /api/health) over fresh connections,
and the fault run that drops responses, retries with the same key and survives a server crash."""

from __future__ import annotations

import http.client
import random
import statistics
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import psycopg

WARMUP_S = 2.0
DROP_SHARE = 0.10


@dataclass
class Client:
    token: str
    bodies: list[bytes]
    user_id: int = 0
    latencies: list[float] = field(default_factory=list)


def _send(
    port: int, method: str, path: str, body: bytes | None, headers: dict[str, str], drop: bool
) -> int | None:
    """One request on a new connection; None when the response is dropped unread."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers)
        if drop:
            return None
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def _headers(client: Client, key: str | None = None) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {client.token}", "Content-Type": "application/json"}
    if key:
        headers["Idempotency-Key"] = key
    return headers


def _run(server: Any, clients: list[Client], seconds: float, health: bool) -> dict[str, float]:
    deadline = time.monotonic() + seconds
    errors = [0]
    expected = 200 if health else 201

    def work(client: Client, seed: int) -> None:
        rng = random.Random(seed)
        while time.monotonic() < deadline:
            began = time.perf_counter()
            if health:
                status = _send(server.port, "GET", "/api/health", None, {}, False)
            else:
                body = rng.choice(client.bodies)
                status = _send(server.port, "POST", "/api/orders", body,
                               _headers(client, str(uuid.uuid4())), False)  # fmt: skip
            if status == expected:
                client.latencies.append((time.perf_counter() - began) * 1000)
            else:
                errors[0] += 1

    from _server import postgres_cpu_s

    for c in clients:
        c.latencies = []
    cpu = (time.process_time(), server.cpu_s(), postgres_cpu_s())
    began = time.monotonic()
    threads = [threading.Thread(target=work, args=(c, i)) for i, c in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - began
    used = [b - a for a, b in zip(cpu, (time.process_time(), server.cpu_s(), postgres_cpu_s()),
                                   strict=True)]  # fmt: skip
    latencies = sorted(x for c in clients for x in c.latencies)
    per = 1000 / max(1, len(latencies))
    return {
        "client_ms": used[0] * per,
        "server_ms": used[1] * per,
        "postgres_ms": used[2] * per,
        "clients": len(clients),
        "done": len(latencies),
        "rate": len(latencies) / elapsed,
        "p50": statistics.median(latencies) if latencies else float("nan"),
        "p99": latencies[int(0.99 * (len(latencies) - 1))] if latencies else float("nan"),
        "errors": errors[0],
    }


def sustained_load(
    server: Any, clients: list[Client], seconds: float, *, health: bool
) -> dict[str, float]:
    """Warm up, then every client sends as fast as it can for `seconds`."""
    _run(server, clients, WARMUP_S, health)
    return _run(server, clients, seconds, health)


@dataclass
class Ledger:
    sent: set[str] = field(default_factory=set)
    acknowledged: set[str] = field(default_factory=set)
    refused: int = 0
    dropped: int = 0
    retries: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def _deliver(server: Any, client: Client, body: bytes, key: str, rng: random.Random,
             ledger: Ledger) -> None:  # fmt: skip
    """Send until the server answers (dropping 10 % of the answers unread), like a phone
    that keeps its order and its key until it hears back."""
    wait = 0.05
    give_up = time.monotonic() + 120
    while time.monotonic() < give_up:
        drop = rng.random() < DROP_SHARE
        try:
            status = _send(server.port, "POST", "/api/orders", body, _headers(client, key), drop)
        except OSError:
            status = -1
        if status is None:
            with ledger.lock:
                ledger.dropped += 1
                ledger.retries += 1
            continue
        if status == 201:
            with ledger.lock:
                ledger.acknowledged.add(key)
            return
        if status in (400, 409, 422):
            with ledger.lock:
                ledger.refused += 1
            return
        with ledger.lock:  # no server (killed, restarting) or 5xx: wait and send again
            ledger.retries += 1
        time.sleep(wait)
        wait = min(wait * 2, 1.0)


def fault_load(server: Any, clients: list[Client], seconds: float, url: str) -> dict[str, Any]:
    ledger = Ledger()
    deadline = time.monotonic() + seconds
    started_at = time.time()

    def work(client: Client, seed: int) -> None:
        rng = random.Random(1000 + seed)
        while time.monotonic() < deadline:
            key = str(uuid.uuid4())
            with ledger.lock:
                ledger.sent.add(key)
            _deliver(server, client, rng.choice(client.bodies), key, rng, ledger)

    threads = [threading.Thread(target=work, args=(c, i)) for i, c in enumerate(clients)]
    for t in threads:
        t.start()
    time.sleep(seconds / 2)
    server.kill()
    time.sleep(1.0)
    server.start()
    for t in threads:
        t.join()
    return _count(url, ledger, started_at)


def _count(url: str, ledger: Ledger, started_at: float) -> dict[str, Any]:
    keys = sorted(ledger.sent)
    with psycopg.connect(url) as conn:
        stored_keys = {
            str(row[0])
            for row in conn.execute(
                "SELECT idempotency_key FROM orders_order WHERE idempotency_key = ANY(%s::uuid[])",
                [keys],
            )
        }
        row = conn.execute(
            "SELECT count(*) FROM orders_order WHERE created_at >= to_timestamp(%s) AND "
            "created_by_id IN (SELECT user_id FROM core_apitoken WHERE name = 'bench')",
            [started_at],
        ).fetchone()
        since = row[0] if row else 0
    return {
        "orders sent (distinct keys)": len(keys),
        "responses dropped, sent again": ledger.dropped,
        "retries in all": ledger.retries,
        "refused": ledger.refused,
        "acknowledged": len(ledger.acknowledged),
        "stored": len(stored_keys),
        "acknowledged but not stored (lost)": len(ledger.acknowledged - stored_keys),
        "stored but never acknowledged": len(stored_keys - ledger.acknowledged),
        "duplicates": max(0, since - len(stored_keys)),
    }
