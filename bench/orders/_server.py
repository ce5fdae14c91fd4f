"""The bench's server side: a PostgreSQL database with the small demo company, gunicorn serving
rumbo.wsgi in its own process group (so it can be killed whole), and the clients' tokens and
order bodies."""

from __future__ import annotations

import http.client
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import psycopg

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")


def _env(url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "RUMBO_DEBUG": "0",
        "RUMBO_SECRET_KEY": "bench-orders-not-a-secret",
        "RUMBO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "RUMBO_CONN_MAX_AGE": "600",
        "RUMBO_LOG_LEVEL": "ERROR",
    }


def _manage(url: str, *args: str) -> str:
    done = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=_env(url), capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def prepare_database(url: str) -> None:
    """Create the database if needed, migrate it, and load the small demo company once."""
    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    started = time.perf_counter()
    _manage(url, "migrate", "--no-input", "-v", "0")
    _manage(url, "createcachetable")
    out = _manage(url, "load_demo", "--size", "small", "--seed", "1", "--if-empty")
    print(f"database {name} ready in {time.perf_counter() - started:.0f} s: {out.strip()[:120]}")


class Server:
    def __init__(self, url: str, *, port: int, workers: int) -> None:
        self.url, self.port, self.workers = url, port, workers
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [
            GUNICORN, "rumbo.wsgi", "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(self.workers), "--worker-class", "sync", "--log-level", "warning",
            "--timeout", "60", "--backlog", "256",
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=_env(self.url), start_new_session=True
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if self.get("/api/health")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer within 60 s")

    def kill(self) -> None:
        """A crash: every process of the server dies at once, mid-request."""
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(30)
            self.process = None

    def cpu_s(self) -> float:
        """CPU seconds used so far by the server's live processes (its process group)."""
        if self.process is None:
            return 0.0
        return _cpu_s(lambda fields, name: int(fields[2]) == self.process.pid)

    def get(self, path: str, token: str = "") -> tuple[int, Any]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        conn.close()
        return response.status, json.loads(body) if body else None


def _cpu_s(keep: Any) -> float:
    """utime + stime, in seconds, of the processes whose /proc stat fields (after the name)
    `keep` accepts."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            name, fields = stat.read_text().rsplit(")", 1)
        except OSError:  # the process ended meanwhile
            continue
        values = fields.split()
        if keep(values, name):
            total += int(values[11]) + int(values[12])
    return total / os.sysconf("SC_CLK_TCK")


def postgres_cpu_s() -> float:
    """CPU seconds used so far by the live PostgreSQL processes of this machine."""
    return _cpu_s(lambda fields, name: name.endswith("(postgres"))


TOKENS_SCRIPT = """
import json, django
django.setup()
from rumbo.core.models import Role, User
from rumbo.core.services import create_api_token
from rumbo.territories.models import Assignment
covering = Assignment.objects.active_on().filter(role="rep").values("user_id")
reps = User.objects.filter(role=Role.REP, is_active=True, organisation__slug="andina",
                           pk__in=covering).order_by("pk")[:{n}]
print(json.dumps([create_api_token(user=u, name="bench")[1] for u in reps]))
"""


def tokens_and_bodies(url: str, server: Server, clients: int, lines: int) -> list[Any]:
    """One active rep per client (a token each), with 200 order bodies on its own accounts."""
    from _clients import Client

    script = TOKENS_SCRIPT.replace("{n}", str(clients))
    env = {**_env(url), "DJANGO_SETTINGS_MODULE": "rumbo.settings"}
    done = subprocess.run(
        [PYTHON, "-c", script], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    tokens = json.loads(done.stdout.strip().splitlines()[-1])
    status, catalogue = server.get("/api/catalogue", tokens[0])
    sellable = [p["id"] for p in catalogue["products"] if not p["discontinued"]]
    built = []
    rng = random.Random(1)
    for token in tokens:
        status, accounts = server.get("/api/orders/accounts?limit=5000", token)
        if status != 200 or not accounts["items"]:
            sys.exit(f"a bench rep has no accounts ({status})")
        ids = [a["id"] for a in accounts["items"]]
        bodies = [
            json.dumps({
                "account": rng.choice(ids),
                "lines": [{"product": p, "quantity": str(rng.randint(1, 12))}
                          for p in rng.sample(sellable, lines)],
            }).encode()
            for _ in range(200)
        ]  # fmt: skip
        built.append(Client(token=token, bodies=bodies))
    return built
