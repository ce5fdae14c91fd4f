"""Fast inserts of big generated tables: COPY on PostgreSQL, executemany on SQLite.

Columns arrive as numpy arrays already formatted as text (see the helpers below), so one
array per column serves both databases. Primary keys are explicit, so children can point to
parents without reading them back; the sequences are moved past them at the end.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
from django.core.management.color import no_style
from django.db import DatabaseError, connection, models, transaction
from django.db.models import Max
from django.utils import timezone

STR = np.dtypes.StringDType()
NULL = "\\N"
_UNIX_DAY = dt.date(1970, 1, 1).toordinal()
_PAD = {
    places: np.array([f"{i:0{places}d}" for i in range(10**places)], dtype=STR) for places in (2, 4)
}


@dataclass(frozen=True)
class Text:
    """Free text (names, addresses, JSON); None is NULL. Escaped for COPY when needed."""

    values: Sequence[str | None]


@dataclass(frozen=True)
class Stamps:
    """Instants as seconds since 1970-01-01 UTC."""

    seconds: np.ndarray


def ints(values: np.ndarray) -> np.ndarray:
    return np.asarray(values, dtype=np.int64).astype(STR)


def fixed(values: np.ndarray, places: int) -> np.ndarray:
    """Non-negative integers in units of 10^-places as decimal text: 1234 → '12.34'."""
    values = np.asarray(values, dtype=np.int64)
    scale = 10**places
    whole = (values // scale).astype(STR)
    return np.strings.add(np.strings.add(whole, "."), _PAD[places][values % scale])


def dates(ordinals: np.ndarray) -> np.ndarray:
    days = (np.asarray(ordinals, dtype=np.int64) - _UNIX_DAY).astype("datetime64[D]")
    return np.datetime_as_string(days).astype(STR)


def nullable(values: np.ndarray, missing: np.ndarray) -> np.ndarray:
    out = values.astype(STR)
    out[missing] = NULL
    return out


def bools(values: np.ndarray) -> np.ndarray:
    return np.where(np.asarray(values, dtype=bool), "1", "0").astype(STR)


Column = np.ndarray | Text | Stamps | str | int | None


class BulkWriter:
    """Writes whole columns into a model's table, filling unlisted fields with defaults."""

    def __init__(self) -> None:
        self.vendor = connection.vendor
        self.rows: dict[str, int] = {}
        self.seconds: dict[str, float] = {}

    def next_id(self, model: type[models.Model]) -> int:
        return int(model._default_manager.aggregate(m=Max("pk"))["m"] or 0) + 1

    def write(self, model: type[models.Model], n: int, columns: dict[str, Column]) -> None:
        if n == 0:
            return
        began = time.perf_counter()
        names, arrays = [], []
        for f in model._meta.concrete_fields:
            value = columns[f.name] if f.name in columns else _default(f)
            names.append(connection.ops.quote_name(f.column))
            arrays.append(self._format(value, n))
        table = connection.ops.quote_name(model._meta.db_table)
        if self.vendor == "postgresql":
            self._copy(table, names, arrays)
        else:
            self._executemany(table, names, arrays)
        label = model._meta.label
        self.rows[label] = self.rows.get(label, 0) + n
        self.seconds[label] = self.seconds.get(label, 0.0) + time.perf_counter() - began

    def _format(self, value: Column, n: int) -> np.ndarray | Sequence[Any]:
        if isinstance(value, Text):
            if self.vendor != "postgresql":
                return value.values
            return [NULL if v is None else _escape(v) for v in value.values]
        if isinstance(value, Stamps):
            seconds = np.broadcast_to(np.asarray(value.seconds, dtype=np.int64), (n,))
            text = np.datetime_as_string(seconds.astype("datetime64[s]"))
            text = np.strings.replace(text.astype(STR), "T", " ")
            return np.strings.add(text, "+00") if self.vendor == "postgresql" else text
        if isinstance(value, np.ndarray):
            if len(value) != n:
                raise ValueError(f"column of {len(value)} rows, expected {n}")
            return value
        constant = NULL if value is None else _escape(str(value))
        return np.full(n, constant, dtype=STR)

    def _copy(self, table: str, names: list[str], arrays: list[Any]) -> None:
        columns = [np.asarray(a, dtype=STR) for a in arrays]
        lines = columns[0]
        for column in columns[1:]:
            lines = np.strings.add(np.strings.add(lines, "\t"), column)
        payload = "\n".join(lines.tolist()) + "\n"
        sql = f"COPY {table} ({', '.join(names)}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            copy.write(payload)

    def _executemany(self, table: str, names: list[str], arrays: list[Any]) -> None:
        lists = []
        for a in arrays:
            values = a.tolist() if isinstance(a, np.ndarray) else list(a)
            if isinstance(a, np.ndarray) and np.any(a == NULL):
                values = [None if v == NULL else v for v in values]
            lists.append(values)
        sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join(['%s'] * len(names))})"
        with connection.cursor() as cursor:
            cursor.executemany(sql, list(zip(*lists, strict=True)))

    def reset_sequences(self, model_list: list[type[models.Model]]) -> None:
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), model_list):
                cursor.execute(sql)


def _escape(text: str) -> str:
    if connection.vendor != "postgresql":
        return text
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _default(field: models.Field) -> Any:
    """The value Django would store for a field the generator does not set."""
    if isinstance(field, models.DateTimeField) and (
        field.auto_now or field.auto_now_add or field.default is timezone.now
    ):
        return Stamps(np.array([int(timezone.now().timestamp())]))
    if field.has_default():
        value = field.get_default()
    elif field.null:
        return None
    elif field.blank and isinstance(field, models.CharField | models.TextField):
        return ""
    else:
        raise ValueError(f"No demo value for {field.model._meta.label}.{field.name}")
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dict | list):
        return json.dumps(value)
    if isinstance(value, Decimal | int | float | str) or value is None:
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    raise ValueError(f"Cannot write the default of {field.model._meta.label}.{field.name}")


@contextlib.contextmanager
def tuned_for_loading() -> Iterator[None]:
    """Database settings for one big load; wrap it around the load's transaction (SQLite
    refuses them inside one, so a load nested in a transaction runs untuned)."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous = OFF")
        cursor.execute("PRAGMA cache_size = -262144")
        cursor.execute("PRAGMA temp_store = MEMORY")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute("PRAGMA cache_size = -2000")


def tune_transaction() -> None:
    """Inside the load's transaction, on PostgreSQL: skip the per-row foreign-key triggers
    when allowed (as pg_restore does; the generator writes parents before children and the
    tests check every reference on SQLite, which keeps enforcing them), otherwise check them
    per statement rather than queueing millions until the commit."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit TO OFF")
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        try:
            with transaction.atomic():
                cursor.execute("SET LOCAL session_replication_role = replica")
        except DatabaseError:
            pass  # not a superuser: keep the checks


_PLAIN_INDEXES = {
    "postgresql": """
SELECT i.relname, pg_get_indexdef(i.oid)
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class t ON t.oid = x.indrelid
WHERE t.relname = %s AND t.relnamespace = to_regnamespace(current_schema())
  AND NOT x.indisprimary AND NOT x.indisunique
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)
ORDER BY i.relname
""",
    "sqlite": """
SELECT name, sql FROM sqlite_master
WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%%'
ORDER BY name
""",
}


@contextlib.contextmanager
def plain_indexes_set_aside(model_list: list[type[models.Model]]) -> Iterator[None]:
    """Drop the non-unique indexes of the big tables while they fill and build them again
    afterwards (one sort each instead of millions of scattered inserts). Inside the load's
    transaction, so a failure leaves the indexes as they were."""
    query = _PLAIN_INDEXES.get(connection.vendor)
    if query is None:
        yield
        return
    saved: list[str] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for model in model_list:
            cursor.execute(query, [model._meta.db_table])
            for name, definition in cursor.fetchall():
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
                saved.append(definition)
    yield
    with connection.cursor() as cursor:
        for definition in saved:
            cursor.execute(definition)
