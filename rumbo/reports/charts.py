"""The data behind the charts, as plain JSON for rumbo/static/js/charts/performance.js. Each
chart has the same figures in a table on the page (shown when there is no JavaScript)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils import formats
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from rumbo.reports.gap import Bridge
    from rumbo.reports.performance import Dashboard


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _month(m: Any) -> str:
    return formats.date_format(m, "M Y")


def dashboard_charts(data: Dashboard) -> dict[str, Any]:
    total, months = data.total, data.window
    trend = {
        "months": [_month(m) for m in months],
        "series": {
            _("Sales"): [_num(total.monthly.get(m, Decimal(0))) for m in months],
            _("Same month last year"): [
                _num(total.monthly.get(m.replace(year=m.year - 1), Decimal(0))) for m in months
            ],
            _("Target"): [_num(total.monthly_target.get(m)) for m in months],
        },
    }
    rows = [r for r in data.rows if r.target]
    attainment = {
        "labels": [r.label for r in rows],
        "values": [_num(r.attainment) for r in rows],
        "threshold": _num(data.ctx.threshold),
        "name": _("Attainment (%)"),
    }
    return {
        "trend": trend,
        "attainment": attainment if rows else None,
        "heatmap": _heatmap(data, months),
    }


def _heatmap(data: Dashboard, months: list[Any]) -> dict[str, Any] | None:
    """Attainment by row and month; None when no row has monthly targets (a rep's hundreds
    of accounts have none, and the page shows no heat map for them)."""
    if not any(r.monthly_target for r in data.rows):
        return None
    return {
        "rows": [r.label for r in data.rows],
        "months": [_month(m) for m in months],
        "values": [
            [x, y, _num(r.month_attainment(m))]
            for y, r in enumerate(data.rows)
            for x, m in enumerate(months)
            if r.month_attainment(m) is not None
        ],
        "name": _("Attainment (%)"),
    }


def bridge_chart(bridge: Bridge) -> dict[str, Any]:
    steps = bridge.steps
    return {
        "bridge": {
            "labels": [p.label for p in steps],
            "values": [_num(p.value) for p in steps],
            "totals": [p.code in ("target", "actual") for p in steps],
            "name": _("Amount"),
        }
        if steps
        else None
    }


def table_rows(data: Dashboard) -> dict[str, Any]:
    """The rows of the trend and heat map tables, as the templates show them."""
    total, months = data.total, data.window
    trend = [
        {
            "month": m,
            "sales": total.monthly.get(m, Decimal(0)),
            "last_year": total.monthly.get(m.replace(year=m.year - 1), Decimal(0)),
            "target": total.monthly_target.get(m),
            "attainment": total.month_attainment(m),
        }
        for m in months
    ]
    heat = [(r, [r.month_attainment(m) for m in months]) for r in data.rows if r.monthly_target]
    return {"trend_rows": trend, "heat_rows": heat}
