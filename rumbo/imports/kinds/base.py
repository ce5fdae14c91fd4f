"""What every import kind shares: fields, parsed rows, the problems found, the planned writes.

An import runs in two passes. `Kind.plan` reads every row, checks it against the database (through
the importing user's organisation and scope) and returns one `Op` per object, or records
problems. Only when no row has a problem does `Op.run` write, all in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.utils import translation
from django.utils.translation import gettext as _

from rumbo.core.models import Organisation, Role, User
from rumbo.imports.kinds.refs import Refs
from rumbo.imports.mapping import Mapping, Source, suggest
from rumbo.imports.readers import Table
from rumbo.imports.values import CellError, Parser, decimal, is_blank
from rumbo.territories.scoping import Scope, forget_scope, scope_for

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MAX_STORED_PROBLEMS = 500


@dataclass(frozen=True)
class Field:
    name: str
    label: StrOrPromise
    parse: Parser
    required: bool = False  # on every row; else only where the kind says (e.g. to create)
    synonyms: tuple[str, ...] = ()
    help: StrOrPromise = ""

    def names(self) -> list[str]:
        """Header names that suggest this field: its name, its label in Spanish and English."""
        labels = []
        for language in ("es", "en"):
            with translation.override(language):
                labels.append(str(self.label))
        return [self.name, *labels, *self.synonyms]


@dataclass(frozen=True)
class Option:
    """A setting of the whole import (not of a row), e.g. the date territory moves start."""

    name: str
    label: StrOrPromise
    help: StrOrPromise = ""
    choices: tuple[tuple[str, StrOrPromise], ...] = ()


@dataclass(frozen=True)
class Problem:
    row: int  # 0: the mapping or the file as a whole
    column: str
    message: str
    text: str  # the full sentence, in the language of the user who ran the import

    @classmethod
    def make(cls, row: int, column: str, message: str) -> Problem:
        if row and column:
            text = _("Row %(row)s, column %(column)s: %(message)s")
        elif row:
            text = _("Row %(row)s: %(message)s")
        else:
            text = "%(message)s"
        sentence = text % {"row": row, "column": column, "message": message}
        return cls(row, column, message, sentence)

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message, "text": self.text}


@dataclass
class Record:
    """One row as Rumbo will read it: parsed values of the fields that are mapped and not blank."""

    row: int
    values: dict[str, Any]
    columns: dict[str, str]  # field → the column name to show in messages
    failed: set[str] = field(default_factory=set)  # fields whose cell could not be read

    def __contains__(self, name: str) -> bool:
        return name in self.values

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)


@dataclass
class Context:
    organisation: Organisation
    actor: User | None
    mapping: Mapping
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    problem_count: int = 0
    state: dict[str, Any] = field(default_factory=dict)  # what a kind remembers while planning
    scope: Scope = field(init=False)

    def __post_init__(self) -> None:
        if self.actor is None:  # a command run without a user: the whole organisation
            self.scope = Scope(self.organisation.pk, Role.ADMIN, None, None)
        else:  # computed afresh: an earlier import may have changed who is in the team
            forget_scope(self.actor)
            self.scope = scope_for(self.actor)

    @property
    def options(self) -> dict[str, Any]:
        return self.mapping.options

    def option(self, name: str, parse: Parser, default: Any = None) -> Any:
        """An option of the mapping, parsed like a cell; a bad one is a problem of the file."""
        raw = self.options.get(name)
        if is_blank(raw):
            return default
        try:
            return parse(raw)
        except CellError as exc:
            self.error(
                0, "", _("Option “%(name)s”: %(message)s") % {"name": name, "message": exc.message}
            )
            return default

    @cached_property
    def refs(self) -> Refs:
        return Refs(self)

    def error(self, record: Record | int, name: str, message: str) -> None:
        """Note a problem in a row (and the column of field `name`, if any)."""
        row = record if isinstance(record, int) else record.row
        column = record.columns.get(name, name) if isinstance(record, Record) else name
        self.problem_count += 1
        if len(self.problems) < MAX_STORED_PROBLEMS:
            self.problems.append(Problem.make(row, column, message))

    def require(self, record: Record, names: Iterable[str], fields: dict[str, Field]) -> bool:
        """Every field in `names` has a value in this row; says which one is missing if not."""
        ok = True
        for name in names:
            if name not in record.values and name not in record.failed:
                label = record.columns.get(name) or str(fields[name].label)
                self.error(record.row, label, _("a value is required."))
                ok = False
        return ok and not record.failed

    def territory_in_scope(self, territory_id: int | None) -> bool:
        ids = self.scope.territory_ids
        return ids is None or territory_id in ids

    def user_in_scope(self, user_id: int | None) -> bool:
        ids = self.scope.user_ids
        return ids is None or user_id in ids


@dataclass
class Op:
    """One planned write: a row creates or updates an object, or leaves it as it is."""

    row: int
    action: str  # "create", "update" or "unchanged"
    run: Callable[[], Any] | None = None
    extra: str = ""  # for writes besides the kind's own objects: what to count them as


class Later:
    """An object that an import creates at write time and that later writes of the same import
    use (a new price list, the category of new products); `resolve` gives it once made."""

    def __init__(self) -> None:
        self.obj: Any = None

    def made_by(self, make: Callable[[], Any]) -> Callable[[], Any]:
        """`make`, keeping what it returns for `resolve`."""

        def run() -> Any:
            self.obj = make()
            return self.obj

        return run


def resolve(value: Any) -> Any:
    """A planned reference as it stands at write time: a `Later` by then made, or the value."""
    return value.obj if isinstance(value, Later) else value


class Kind:
    """An import kind: its fields, how rows become records, how records become writes."""

    code = ""
    label: StrOrPromise = ""
    fields: tuple[Field, ...] = ()
    admin_only = False
    layout_help: StrOrPromise = ""
    options: tuple[Option, ...] = ()

    @property
    def by_name(self) -> dict[str, Field]:
        return {f.name: f for f in self.fields}

    def suggest(self, table: Table) -> Mapping:
        return Mapping(sources=suggest([(f.name, f.names()) for f in self.fields], table.headers))

    def records(self, table: Table, mapping: Mapping, ctx: Context) -> list[Record]:
        fields = self.by_name
        for f in self.fields:
            if f.required and f.name not in mapping.sources:
                ctx.error(0, "", _("Say which column holds “%(f)s”.") % {"f": f.label})
        result = []
        for row in table.rows:
            record = Record(row=row.number, values={}, columns={})
            for name, source in mapping.sources.items():
                self.read(record, fields[name], source, source.raw(table, row), ctx)
            for f in self.fields:
                missing = f.name not in record.values and f.name not in record.failed
                if f.required and f.name in mapping.sources and missing:
                    fail(record, f.name, _("a value is required."), ctx)
            result.append(record)
        return result

    def read(self, record: Record, f: Field, source: Source, raw: Any, ctx: Context) -> None:
        """Parse one cell into the record, or note why it cannot be read."""
        record.columns[f.name] = source.label(str(f.label))
        if is_blank(raw):
            return
        try:
            if source.scale is not None:  # a number times the factor, then the field's rules
                raw = decimal(raw, negative=True) * source.scale
            value = f.parse(raw)
        except CellError as exc:
            ctx.error(record, f.name, exc.message)
            record.failed.add(f.name)
            return
        record.values[f.name] = value

    def plan(self, records: list[Record], ctx: Context) -> list[Op]:
        raise NotImplementedError

    def allowed(self, user: User | None) -> bool:
        if user is None:
            return True
        if self.admin_only:
            return user.role == Role.ADMIN
        return user.role in (Role.ADMIN, Role.MANAGER)


def fail(record: Record, name: str, message: str, ctx: Context) -> None:
    """A problem with one field of a row: noted, and the row will not be written."""
    ctx.error(record, name, message)
    record.failed.add(name)


def duplicates(
    records: Iterable[Record],
    key: Callable[[Record], Any],
    name: str,
    ctx: Context,
    message: str = "",
) -> set[int]:
    """Rows whose key appeared in an earlier row: each is a problem; returns their row numbers."""
    first: dict[Any, int] = {}
    repeated: set[int] = set()
    for record in records:
        value = key(record)
        if value is None:
            continue
        if value in first:
            text = message or _("repeats row %(row)s of this file.")
            ctx.error(record, name, text % {"row": first[value]})
            repeated.add(record.row)
        else:
            first[value] = record.row
    return repeated


def changed(obj: Any, wanted: dict[str, Any]) -> dict[str, Any]:
    """The subset of `wanted` whose value differs from the object's current one."""
    return {name: value for name, value in wanted.items() if getattr(obj, name) != value}


def parents_first(
    records: list[Record],
    key: Callable[[Record], Any],
    parent: Callable[[Record], Any],
    name: str,
    ctx: Context,
) -> list[Record]:
    """Rows ordered so a parent defined in the file is written before its children.

    A row that is (through other rows) its own parent is a problem and left out."""
    by_key = {key(r): r for r in records if key(r) is not None}
    state: dict[int, str] = {}
    ordered: list[Record] = []

    def visit(record: Record) -> bool:
        if state.get(record.row) in ("done", "failed"):
            return state[record.row] == "done"
        if state.get(record.row) == "visiting":
            return False
        state[record.row] = "visiting"
        above = by_key.get(parent(record))
        ok = above is None or visit(above)
        if not ok:
            fail(record, name, _("the rows of this file form a loop of parents."), ctx)
        state[record.row] = "done" if ok else "failed"
        if ok:
            ordered.append(record)
        return ok

    for record in records:
        visit(record)
    return ordered
