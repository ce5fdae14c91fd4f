"""Versions of groups of tables, kept by the database itself, for copies cached in a process.

Rows that every request of a busy endpoint reads and people rarely change (the catalogue that
prices each order) can be kept in the process that reads them, with the version of their group
read before loading them: while the group's version stays the same, the copy is current, and
one small query tells.

Triggers on the tables give the version a new value in the same transaction as any change of
their rows, whoever makes it: a service, the admin, an import, SQL typed by hand. The value is
one never given before (a sequence on PostgreSQL, a random 63-bit number on SQLite), so a
rolled-back change never brings back a version that a copy holds with rows that did not
survive. An app names its tables in `AppConfig.ready` (`watch`); the triggers and the version
rows are made after every `migrate` and `flush` (post_migrate), so that SQLite, which drops a
table's triggers when a migration rebuilds it, gets them back; a row made again (after a
flush) starts from a new value too. No version row reads as None: then nothing may be cached.
"""

from __future__ import annotations

from typing import Any

from django.db import models

VERSION_TABLE = "core_tableversion"
_SEQUENCE = "core_tableversion_value_seq"
_watched: dict[str, set[type[models.Model]]] = {}


def watch(name: str, *tables: type[models.Model]) -> None:
    """Give the tables of these models a trigger that changes version `name`."""
    _watched.setdefault(name, set()).update(tables)


def watched() -> dict[str, list[str]]:
    """Each version's tables, by name."""
    return {name: sorted(m._meta.db_table for m in found) for name, found in _watched.items()}


def read(name: str, connection: Any) -> int | None:
    """The version's current value (None when it has no row: cache nothing)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {VERSION_TABLE} WHERE name = %s", [name])
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def _postgresql(table: str, name: str, existing: set[str]) -> list[str]:
    trigger = f"{table}_version"
    if trigger in existing:
        return []
    return [
        f'CREATE TRIGGER "{trigger}" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" '
        f"FOR EACH STATEMENT EXECUTE FUNCTION rumbo_new_version('{name}')"
    ]


def _sqlite(table: str, name: str, existing: set[str]) -> list[str]:
    del existing  # CREATE TRIGGER IF NOT EXISTS
    return [
        f'CREATE TRIGGER IF NOT EXISTS "{table}_version_{event.lower()}" AFTER {event} '
        f'ON "{table}" BEGIN UPDATE {VERSION_TABLE} SET value = abs(random()) '
        f"WHERE name = '{name}'; END"
        for event in ("INSERT", "UPDATE", "DELETE")
    ]


def install(connection: Any) -> None:
    """Make the version rows and the triggers that are missing (idempotent)."""
    statements: list[str] = []
    if connection.vendor == "postgresql":
        statements += [
            f"CREATE SEQUENCE IF NOT EXISTS {_SEQUENCE}",
            "CREATE OR REPLACE FUNCTION rumbo_new_version() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN UPDATE {VERSION_TABLE} SET value = nextval('{_SEQUENCE}') "
            "WHERE name = TG_ARGV[0]; RETURN NULL; END $$",
        ]
        make = _postgresql
        insert = (
            f"INSERT INTO {VERSION_TABLE} (name, value) VALUES (%s, nextval('{_SEQUENCE}')) "
            "ON CONFLICT DO NOTHING"
        )
        triggers = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
    elif connection.vendor == "sqlite":
        make = _sqlite
        insert = f"INSERT OR IGNORE INTO {VERSION_TABLE} (name, value) VALUES (%s, abs(random()))"
        triggers = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    else:
        return
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
        cursor.execute(triggers)
        made = {row[0] for row in cursor.fetchall()}
        for name, tables in watched().items():
            cursor.execute(insert, [name])
            for table in tables:
                if table in existing:
                    for sql in make(table, name, made):
                        cursor.execute(sql)
