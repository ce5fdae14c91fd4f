"""Model rows read and written in SQL of our own, for the statements that run on every request
of a busy endpoint (writing an order: the caller's token, the account, the products, the order,
its lines, its history, its audit entry).

Building a query through the ORM costs more CPU than PostgreSQL takes to run these small
statements, and so does the ORM's preparation of each value. Here:
- `build` makes a new instance by its constructor's positional path;
- `select` runs a statement that names the columns of one or more models (`columns`) and builds
  the instances as the ORM would (the same converters, `Model.from_db`);
- `insert` takes the instances' attribute values as they are, converts only the types the
  database driver cannot take directly (dates on SQLite, UUIDs, JSON), and sets the primary
  keys from `RETURNING`. The instances come complete from their model's constructor (defaults
  filled in); `auto_now` and `auto_now_add` fields are set here, as `save` would. No signals
  are sent, as with `bulk_create`;
- `Writes` gathers inserts and other writes and sends them as one statement on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, partial
from typing import Any, TypeAlias, TypeVar

from django.db import connection, models
from django.db.models.fields import AutoFieldMixin
from psycopg import _queries

# psycopg keeps its parse of a statement's %s parameter markers only for statements of up to
# 4 KB with up to 50 parameters; one order's writes (`Writes`) are one statement of about 4 KB with
# about 100, otherwise parsed again on every order. The limits are psycopg's own module
# settings: if a later version drops them, this changes nothing.
_queries.MAX_CACHED_STATEMENT_LENGTH = 32_768
_queries.MAX_CACHED_STATEMENT_PARAMS = 1_000

M = TypeVar("M", bound=models.Model)

# Field types whose values the drivers take as they are (Decimal included: Django registers it
# with sqlite3, and psycopg adapts it).
_PLAIN = frozenset(
    {
        "AutoField", "BigAutoField", "BigIntegerField", "BooleanField", "CharField",
        "DecimalField", "FloatField", "ForeignKey", "IntegerField", "OneToOneField",
        "PositiveBigIntegerField", "PositiveIntegerField", "PositiveSmallIntegerField",
        "SlugField", "SmallIntegerField", "TextField",
    }
)  # fmt: skip

Adapter = Callable[[Any], Any] | None


Converter = Callable[[Any, Any, Any], Any]


Spec: TypeAlias = "type[models.Model] | models.Field[Any, Any]"


@cache
def _reader(spec: Spec, vendor: str) -> tuple[list[str], list[tuple[int, Converter, Any]], int]:
    """What `select` reads for a model (its concrete fields' attribute names) or for one field
    (its name), with the converters to apply to the values (value index, converter, column),
    as the ORM's compiler applies them, and where the primary key is among the values."""
    del vendor  # part of the cache key: the converters depend on the backend (and settings)
    fields: list[Any] = (
        [spec] if isinstance(spec, models.Field) else list(spec._meta.concrete_fields)
    )
    names, converters = [], []
    for i, field in enumerate(fields):
        column = field.get_col(field.model._meta.db_table)
        names.append(field.attname)
        for convert in [
            *connection.ops.get_db_converters(column),
            *field.get_db_converters(connection),
        ]:
            converters.append((i, convert, column))
    pk = 0 if isinstance(spec, models.Field) else fields.index(spec._meta.pk)
    return names, converters, pk


def columns(model: type[models.Model], alias: str) -> str:
    """The model's columns in the order `select` reads them, qualified by the table alias."""
    return _columns(model, alias, connection.vendor)


@cache
def _columns(model: type[models.Model], alias: str, vendor: str) -> str:
    del vendor  # part of the cache key: quoting depends on the backend
    quote = connection.ops.quote_name
    return ", ".join(f"{alias}.{quote(f.column)}" for f in model._meta.concrete_fields)


def select(sql: str, params: Sequence[Any], *specs: Spec) -> list[tuple[Any, ...]]:
    """Run `sql`, whose rows hold, for each spec in turn, the columns of a model (`columns`)
    or one field's column; each row comes back as a tuple with an instance per model and a
    value per field, converted as the ORM would. A model whose columns are all NULL (a LEFT
    JOIN that found nothing) gives None; a joined model (not the first spec) met again with
    the same primary key is the same instance."""
    readers = [_reader(spec, connection.vendor) for spec in specs]
    alias = connection.alias
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    found = []
    seen: dict[tuple[int, Any], models.Model] = {}
    for row in rows:
        built: list[Any] = []
        start = 0
        for n, (spec, (names, converters, pk)) in enumerate(zip(specs, readers, strict=True)):
            raw = row[start : start + len(names)]
            start += len(names)
            if isinstance(spec, models.Field):
                value = raw[0]
                for _, convert, column in converters:
                    value = convert(value, column, connection)
                built.append(value)
                continue
            if all(value is None for value in raw):
                built.append(None)
                continue
            key = (n, raw[pk])
            if n and key in seen:
                built.append(seen[key])
                continue
            values = list(raw)
            for i, convert, column in converters:
                values[i] = convert(values[i], column, connection)
            instance = spec.from_db(alias, names, values)
            if n:
                seen[key] = instance
            built.append(instance)
        found.append(tuple(built))
    return found


@cache
def _builder(model: type[models.Model]) -> list[tuple[Any, bool]]:
    """The model's concrete fields, in the constructor's order, each with whether it is a
    relation."""
    return [(field, field.is_relation) for field in model._meta.concrete_fields]


def build(model: type[M], **values: Any) -> M:
    """A new instance, as `model(**values)` makes it, by the constructor's positional path: the
    keyword path costs about three times more, and a busy path builds many (an order's lines).
    A related row given by its field's name (`product=...`) sets the key and is kept as the
    ORM keeps it; fields not given take their default."""
    args: list[Any] = []
    related: list[tuple[Any, models.Model]] = []
    for field, relation in _builder(model):
        if relation and field.name in values:
            row = values[field.name]
            args.append(None if row is None else row.pk)
            if row is not None:
                related.append((field, row))
        elif field.attname in values:
            args.append(values[field.attname])
        else:
            args.append(field.get_default())
    instance = model(*args)
    for field, row in related:
        field.set_cached_value(instance, row)
    return instance


@dataclass(frozen=True)
class _Plan:
    head: str  # INSERT INTO table (columns)
    fields: list[Any]
    adapters: list[Adapter]  # how to convert each field's value (None: as it is)
    timed: list[Any]  # the fields that take the time of the insert (auto_now)
    unnest: str  # on PostgreSQL: SELECT * FROM unnest(%s::type[], ...), one array per column
    returning: str


def _prepared(field: Any, value: Any) -> Any:
    return field.get_db_prep_save(value, connection)


@cache
def _plan(model: type[models.Model], vendor: str, with_pk: bool) -> _Plan:
    """How to insert the model's rows; `with_pk`: with the primary keys they already have."""
    del vendor  # part of the cache key: the adapters and SQL depend on the backend
    meta = model._meta
    fields: list[Any] = [
        f for f in meta.concrete_fields if with_pk or not isinstance(f, AutoFieldMixin)
    ]
    quote = connection.ops.quote_name
    adapters: list[Adapter] = []
    for field in fields:
        if field.get_internal_type() in _PLAIN and not (
            field.is_relation and field.target_field.get_internal_type() not in _PLAIN
        ):
            adapters.append(None)
        else:
            adapters.append(partial(_prepared, field))
    arrays = ", ".join(f"%s::{field.db_type(connection)}[]" for field in fields)
    assert meta.pk is not None
    return _Plan(
        head=f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) ",
        fields=fields,
        adapters=adapters,
        timed=[f for f in fields if getattr(f, "auto_now", 0) or getattr(f, "auto_now_add", 0)],
        unnest=f"SELECT * FROM unnest({arrays})",
        returning=f" RETURNING {quote(meta.pk.column)}",
    )


def _insert_sql(objs: Sequence[models.Model]) -> tuple[str, list[Any]]:
    """The INSERT of the instances (without RETURNING), with `auto_now` fields set."""
    with_pk = objs[0].pk is not None
    plan = _plan(type(objs[0]), connection.vendor, with_pk)
    rows = []
    for obj in objs:
        if (obj.pk is not None) != with_pk:
            raise ValueError("Insert rows that all have a primary key, or none.")
        for field in plan.timed:
            field.pre_save(obj, add=True)
        rows.append([
            value if adapt is None or value is None else adapt(value)
            for value, adapt in zip(
                [getattr(obj, field.attname) for field in plan.fields], plan.adapters, strict=True
            )
        ])  # fmt: skip
    if len(rows) > 1 and connection.vendor == "postgresql":
        return plan.head + plan.unnest, [_array(list(column)) for column in zip(*rows, strict=True)]
    row = f"({', '.join(['%s'] * len(plan.fields))})"
    return f"{plan.head}VALUES {', '.join([row] * len(rows))}", [v for r in rows for v in r]


_NUMBERS = frozenset({int, bool, Decimal, type(None)})


def _array(values: list[Any]) -> Any:
    """A column's values for `unnest`: PostgreSQL's array text when all are numbers, booleans or
    NULL (a tenth of the time psycopg's general list dumper takes, and an order's lines are
    eleven such columns); else the list, for psycopg."""
    if all(type(value) in _NUMBERS for value in values):
        return "{" + ",".join("NULL" if v is None else str(v) for v in values) + "}"
    return values


def _saved(objs: Sequence[models.Model], keys: Sequence[Any]) -> None:
    for obj, key in zip(objs, keys, strict=True):
        obj.pk = key
        obj._state.adding = False
        obj._state.db = connection.alias


def insert(objs: Sequence[models.Model]) -> None:
    """Insert the instances, all of one model, in one statement, and give them their keys
    (or keep the keys they have: all or none of them may have one).

    On PostgreSQL several rows go as one array per column (`unnest`): the statement's text is
    the same whatever the number of rows, so the server prepares it once per connection."""
    if not objs:
        return
    sql, params = _insert_sql(objs)
    with connection.cursor() as cursor:
        cursor.execute(sql + _plan(type(objs[0]), connection.vendor, False).returning, params)
        keys = cursor.fetchall()
    _saved(objs, [key for (key,) in keys])


def next_id(model: type[models.Model]) -> str:
    """SQL for the next value of the model's primary key (on PostgreSQL): to give a row its key
    before it is written."""
    table = model._meta.db_table
    assert model._meta.pk is not None
    return f"nextval(pg_get_serial_sequence('{table}', '{model._meta.pk.column}'))"


class Writes:
    """Statements that write, all sent as one on PostgreSQL: each becomes a part of one
    `WITH ... SELECT`, which saves a round trip and the per-statement cost of Django, psycopg
    and the server for each of them. Elsewhere each runs when it is added.

    The parts run on one snapshot of the database, so none sees what another writes, and no
    two parts may change the same row (PostgreSQL keeps only one of the changes): a part
    that must not insert a row that exists already (see orders/summary.py) tests the rows from
    before the statement, which is right for an UPDATE of existing rows beside an INSERT of the
    missing ones. Foreign keys are checked at commit (Django makes them deferred). Rows keep
    the primary keys they were given (see `next_id`) or get theirs when `send` runs."""

    def __init__(self) -> None:
        self.batch = connection.vendor == "postgresql"
        self._parts: list[tuple[str, list[Any], Sequence[models.Model]]] = []

    def insert(self, objs: Sequence[models.Model]) -> None:
        if not objs:
            return
        if not self.batch:
            insert(objs)
            return
        sql, params = _insert_sql(objs)
        self._parts.append((sql + _plan(type(objs[0]), connection.vendor, False).returning,
                            params, objs))  # fmt: skip

    def execute(self, sql: str, params: Sequence[Any]) -> None:
        """A statement (INSERT, UPDATE or DELETE, without WITH or RETURNING)."""
        if not self.batch:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
            return
        self._parts.append((sql, list(params), ()))

    def send(self) -> None:
        """Run what waits (PostgreSQL) and give the inserted rows their keys."""
        parts, self._parts = self._parts, []
        if not parts:
            return
        with_sql = ", ".join(f"w{n} AS ({sql})" for n, (sql, _, _) in enumerate(parts))
        keyed = [n for n, (_, _, objs) in enumerate(parts) if objs]
        quote = connection.ops.quote_name
        selects = " UNION ALL ".join(
            f"SELECT {n}, {quote(parts[n][2][0]._meta.pk.column)} FROM w{n}" for n in keyed
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH {with_sql} {selects or 'SELECT 0, 0'}",
                [value for _, params, _ in parts for value in params],
            )
            rows = cursor.fetchall()
        keys: dict[int, list[Any]] = {}
        for n, key in rows:
            keys.setdefault(n, []).append(key)
        for n in keyed:
            _saved(parts[n][2], keys.get(n, []))
