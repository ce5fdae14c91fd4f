"""Which column of the file feeds which Rumbo field: the mapping, stored as JSON.

    {"columns": {"legal_name": "Razón social",                   # a column
                 "channel": {"value": "bodega"},                  # the same value on every row
                 "username": {"template": "aw{EmployeeKey}"},     # a text built from columns
                 "value": {"column": "Meta", "scale": "1000"},    # a number times a factor
                 "role": {"column": "Title", "map": {"Sales Manager": "manager", "*": "rep"}}},
     "options": {"valid_from": "2024-01-01"}}

A plain {"field": "column"} object is read as {"columns": {...}} too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from rumbo.imports.readers import Cell, Row, Table
from rumbo.imports.values import is_blank, normalise, shown

# "{Column name}" in a template stands for that column's value (any characters but braces).
PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


class MappingError(Exception):
    """The mapping itself is wrong (not one row): unknown field, missing column, bad JSON."""


@dataclass(frozen=True)
class Source:
    """Where one field's value comes from."""

    column: str = ""
    value: str | None = None
    template: str = ""
    scale: Decimal | None = None
    map: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: Any) -> Source:
        if isinstance(data, str):
            return cls(column=data)
        if not isinstance(data, dict) or not ({"column", "value", "template"} & set(data)):
            raise MappingError(
                _("A field needs a column, a value or a template: %(d)s") % {"d": data}
            )
        scale = None
        if data.get("scale") not in (None, ""):
            try:
                scale = Decimal(str(data["scale"]))
            except InvalidOperation:
                raise MappingError(_("'%(s)s' is not a factor.") % {"s": data["scale"]}) from None
        return cls(
            column=str(data.get("column") or ""),
            value=None if data.get("value") is None else str(data["value"]),
            template=str(data.get("template") or ""),
            scale=scale,
            map={str(k): str(v) for k, v in (data.get("map") or {}).items()},
        )

    def to_json(self) -> str | dict[str, Any]:
        if self.column and not (self.scale or self.map):
            return self.column
        data: dict[str, Any] = {}
        if self.column:
            data["column"] = self.column
        if self.value is not None:
            data["value"] = self.value
        if self.template:
            data["template"] = self.template
        if self.scale is not None:
            data["scale"] = str(self.scale)
        if self.map:
            data["map"] = self.map
        return data

    def columns_used(self) -> list[str]:
        if self.column:
            return [self.column]
        if self.template:
            return PLACEHOLDER.findall(self.template)
        return []

    def label(self, default: str) -> str:
        """What the user calls this source in messages: the column's header, else the field."""
        return self.column or self.template or default

    def raw(self, table: Table, row: Row) -> Cell:
        if self.value is not None:
            value: Cell = self.value
        elif self.template:
            parts = {name: table.value(row, name) for name in self.columns_used()}
            if all(is_blank(v) for v in parts.values()):
                return None
            text = {k: "" if is_blank(v) else shown(v) for k, v in parts.items()}
            value = PLACEHOLDER.sub(lambda m: text[m.group(1)], self.template)
        else:
            value = table.value(row, self.column)
        return self.translate(value)

    def translate(self, value: Cell) -> Cell:
        if not self.map or is_blank(value):
            return value
        text = shown(value)
        if text in self.map:
            return self.map[text]
        wanted = normalise(text)
        for key, replacement in self.map.items():
            if normalise(key) == wanted:
                return replacement
        return self.map.get("*", value)


@dataclass
class Mapping:
    sources: dict[str, Source] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: Any) -> Mapping:
        if data in (None, ""):
            return cls()
        if not isinstance(data, dict):
            raise MappingError(_("A mapping is a JSON object of fields and columns."))
        columns = (
            data["columns"]
            if "columns" in data
            else {k: v for k, v in data.items() if k != "options"}
        )
        if not isinstance(columns, dict):
            raise MappingError(_("“columns” must be an object of fields and columns."))
        options = data.get("options") or {}
        if not isinstance(options, dict):
            raise MappingError(_("“options” must be an object."))
        sources = {str(name): Source.from_json(spec) for name, spec in columns.items() if spec}
        return cls(sources=sources, options=dict(options))

    def to_json(self) -> dict[str, Any]:
        return {
            "columns": {name: source.to_json() for name, source in self.sources.items()},
            "options": self.options,
        }

    def check(self, field_names: Iterable[str], table: Table) -> list[str]:
        """Problems of the mapping against this kind and file, in the user's language."""
        known = set(field_names)
        problems = []
        for name, source in self.sources.items():
            if name not in known:
                problems.append(_("“%(field)s” is not a field of this import.") % {"field": name})
            for column in source.columns_used():
                if column not in table.index:
                    problems.append(_("The file has no column “%(column)s”.") % {"column": column})
        return problems


def suggest(fields: Iterable[tuple[str, list[str]]], headers: list[str]) -> dict[str, Source]:
    """Guess the column of each field from header names (Spanish or English, any accents)."""
    by_name = {normalise(h): h for h in headers}
    taken: set[str] = set()
    result: dict[str, Source] = {}
    for name, synonyms in fields:
        for candidate in synonyms:
            header = by_name.get(normalise(candidate))
            if header and header not in taken:
                result[name] = Source(column=header)
                taken.add(header)
                break
    return result
