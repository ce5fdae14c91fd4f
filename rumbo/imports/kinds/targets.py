"""Import of targets: territory or rep × month × measure (× category), in two layouts.

Long: one row per target, with a month column and a value column.
Wide: one row per territory or rep and year, one column per month (M01 … M12, Ene … Dic,
Jan … Dec); an empty cell or "-" means no target that month. The option "scale" multiplies every
value (e.g. 1000 when the file is in thousands).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rumbo.imports import values as v
from rumbo.imports.kinds.base import Context, Field, Kind, Op, Option, Record, duplicates, fail
from rumbo.imports.mapping import Mapping
from rumbo.imports.readers import Table
from rumbo.targets.models import Measure, Target
from rumbo.targets.services import set_target

MEASURES = {
    "amount": Measure.AMOUNT, "monto": Measure.AMOUNT, "importe": Measure.AMOUNT,
    "venta": Measure.AMOUNT, "ventas": Measure.AMOUNT, "sales": Measure.AMOUNT,
    "units": Measure.UNITS, "unidades": Measure.UNITS, "cantidad": Measure.UNITS,
}  # fmt: skip
MONTH_NAMES = (
    ("jan", "january", "ene", "enero"), ("feb", "february", "febrero"),
    ("mar", "march", "marzo"), ("apr", "april", "abr", "abril"), ("may", "mayo"),
    ("jun", "june", "junio"), ("jul", "july", "julio"), ("aug", "august", "ago", "agosto"),
    ("sep", "sept", "september", "set", "setiembre", "septiembre"),
    ("oct", "october", "octubre"), ("nov", "november", "noviembre"),
    ("dec", "december", "dic", "diciembre"),
)  # fmt: skip
_M_COLUMN = re.compile(r"^m(\d{1,2})$")
CENT = Decimal("0.01")


def month_columns(headers: list[str]) -> dict[int, str]:
    """Month number → column, for headers like M01, M1, Ene, Enero, Jan or January."""
    found: dict[int, str] = {}
    for header in headers:
        word = v.normalise(header)
        matched = _M_COLUMN.match(word)
        number = int(matched.group(1)) if matched else None
        for n, names in enumerate(MONTH_NAMES, start=1):
            if word in names:
                number = n
        if number is not None and 1 <= number <= 12 and number not in found:
            found[number] = header
    return found


class Targets(Kind):
    code = "targets"
    label = gettext_lazy("Targets")
    fields = (
        Field("territory", gettext_lazy("Territory (code)"), v.text(40),
              synonyms=("territorio", "codigo territorio")),
        Field("rep", gettext_lazy("Rep (code or username)"), v.text(150),
              synonyms=("vendedor", "codigo vendedor", "employee id", "employeeid")),
        Field("month", gettext_lazy("Month"), v.month, synonyms=("mes", "periodo")),
        Field("year", gettext_lazy("Year (wide layout)"), v.year, synonyms=("ano", "anio", "year")),
        Field("measure", gettext_lazy("Measure"),
              v.choice(MEASURES, gettext_lazy("amount, units")),
              synonyms=("medida", "tipo de meta")),
        Field("category", gettext_lazy("Category (code or name)"), v.text(100),
              synonyms=("categoria", "linea")),
        Field("value", gettext_lazy("Target"), v.decimal,
              synonyms=("meta", "cuota", "objetivo", "valor", "quota")),
    )  # fmt: skip
    layout_help = gettext_lazy(
        "One row per target (territory or rep, month, value), or one row per territory or rep "
        "and year with a column per month (M01 … M12). The option “scale” multiplies every value."
    )

    options = (
        Option("layout", gettext_lazy("Layout"), choices=(
            ("long", gettext_lazy("One row per target")),
            ("wide", gettext_lazy("One row per year, a column per month")),
        )),
        Option("scale", gettext_lazy("Multiply every value by"),
               gettext_lazy("For example 1000 when the file is in thousands.")),
    )  # fmt: skip

    def suggest(self, table: Table) -> Mapping:
        mapping = super().suggest(table)
        if len(month_columns(table.headers)) >= 2 and "month" not in mapping.sources:
            mapping.options["layout"] = "wide"
            mapping.sources.pop("value", None)
        return mapping

    def records(self, table: Table, mapping: Mapping, ctx: Context) -> list[Record]:
        wide = mapping.options.get("layout") == "wide"
        needed = ("year",) if wide else ("month", "value")
        for name in needed:
            if name not in mapping.sources:
                ctx.error(
                    0, "", _("Say which column holds “%(f)s”.") % {"f": self.by_name[name].label}
                )
        scale = ctx.option("scale", v.positive_decimal, Decimal("1"))
        rows = super().records(table, mapping, ctx)
        if not wide:
            return [self.scaled(r, scale) for r in rows]
        columns = self.months(mapping, table, ctx)
        result = []
        for row, record in zip(table.rows, rows, strict=True):
            result.extend(self.spread(record, row, columns, table, scale, ctx))
        return result

    def months(self, mapping: Mapping, table: Table, ctx: Context) -> dict[int, str]:
        given = mapping.options.get("months")
        columns = (
            {int(k): str(col) for k, col in given.items()}
            if isinstance(given, dict)
            else month_columns(table.headers)
        )
        for column in columns.values():
            if column not in table.index:
                ctx.error(0, "", _("The file has no column “%(column)s”.") % {"column": column})
        if not columns:
            ctx.error(0, "", _("The file has no month columns (M01 … M12)."))
        return {n: c for n, c in columns.items() if c in table.index and 1 <= n <= 12}

    def spread(
        self, record: Record, row: Any, columns: dict[int, str], table: Table, scale: Decimal,
        ctx: Context,
    ) -> list[Record]:  # fmt: skip
        """One record per month with a value, from one row of the wide layout."""
        year = record.get("year")
        if year is None and "year" not in record.failed:
            fail(record, "year", _("a value is required."), ctx)
        if year is None:
            record.failed.add("month")
        result = []
        for number, column in sorted(columns.items()):
            raw = table.value(row, column)
            if v.is_blank(raw):
                continue
            one = replace(
                record,
                values=dict(record.values),
                columns={**record.columns, "value": column},
                failed=set(record.failed),
            )
            if year is not None:
                one.values["month"] = dt.date(year, number, 1)
            one.columns["month"] = column
            try:
                one.values["value"] = v.decimal(raw)
            except v.CellError as exc:
                fail(one, "value", exc.message, ctx)
            result.append(self.scaled(one, scale))
        return result

    @staticmethod
    def scaled(record: Record, scale: Decimal) -> Record:
        if "value" in record:
            record.values["value"] = (record.values["value"] * scale).quantize(CENT, ROUND_HALF_UP)
        return record

    def plan(self, records: list[Record], ctx: Context) -> list[Op]:
        def key(r: Record) -> Any:
            if "month" not in r:
                return None
            owner = ("territory", r.get("territory")) if "territory" in r else ("rep", r.get("rep"))
            return (owner, r.get("month"), r.get("measure", Measure.AMOUNT), r.get("category"))

        repeated = duplicates(records, key, "value", ctx)
        months = {r.values["month"] for r in records if "month" in r}
        existing = {
            (t.territory_id, t.rep_id, t.month, t.measure, t.category_id): t
            for t in Target.objects.filter(organisation=ctx.organisation, month__in=months)
        }
        ops = []
        for record in records:
            ctx.require(record, ("month", "value"), self.by_name)
            owner = self.owner(record, ctx)
            category = self.category(record, ctx)
            if record.failed or record.row in repeated or owner is None:
                continue
            ops.append(self.plan_row(record, owner, category, existing, ctx))
        return ops

    def owner(self, record: Record, ctx: Context) -> dict[str, Any] | None:
        territory_code, rep_code = record.get("territory"), record.get("rep")
        if (territory_code is None) == (rep_code is None):
            if not record.failed:
                fail(
                    record,
                    "territory",
                    _("a target is for a territory or for a rep, not both."),
                    ctx,
                )
            return None
        if territory_code is not None:
            territory = ctx.refs.territories.get(territory_code)
            if territory is None or not ctx.territory_in_scope(territory.pk):
                fail(
                    record,
                    "territory",
                    _("no territory has the code '%(v)s'.") % {"v": territory_code},
                    ctx,
                )
                return None
            return {"territory": territory}
        user = ctx.refs.person(rep_code)
        if user is None or not ctx.user_in_scope(user.pk):
            fail(record, "rep", _("no user or rep has the code '%(v)s'.") % {"v": rep_code}, ctx)
            return None
        return {"rep": user}

    def category(self, record: Record, ctx: Context) -> Any:
        name = record.get("category")
        if name is None:
            return None
        category = ctx.refs.category(name)
        if category is None:
            fail(
                record,
                "category",
                _("no category has the code or name '%(v)s'.") % {"v": name},
                ctx,
            )
        return category

    def plan_row(
        self, record: Record, owner: dict[str, Any], category: Any, existing: dict[Any, Target],
        ctx: Context,
    ) -> Op:  # fmt: skip
        month, value = record.values["month"], record.values["value"]
        measure = record.get("measure", Measure.AMOUNT)
        territory, rep = owner.get("territory"), owner.get("rep")
        key = (territory and territory.pk, rep and rep.pk, month, measure, category and category.pk)
        target = existing.get(key)
        if target is not None and target.value == value:
            return Op(record.row, "unchanged")

        def run() -> Target:
            return set_target(
                organisation=ctx.organisation, month=month, measure=measure, value=value,
                territory=territory, rep=rep, category=category, actor=ctx.actor,
            )  # fmt: skip

        return Op(record.row, "create" if target is None else "update", run)
