"""Account screens: the filtered list (HTML and CSV), its map data, and the account page."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from rumbo.core.http import AuthedRequest
from rumbo.core.names import proper
from rumbo.customers import selectors
from rumbo.customers.forms import AccountFilterForm
from rumbo.customers.models import Account, AccountQuerySet
from rumbo.geo.selectors import distrito_collection

PAGE_SIZE = 50


@dataclass(frozen=True)
class Column:
    """A sortable column of the account list."""

    key: str
    label: Any
    numeric: bool = False
    amounts: bool = False
    sortable: bool = True


COLUMNS = (
    Column("name", gettext_lazy("Name")),
    Column("tax_id", gettext_lazy("RUC / DNI")),
    Column("channel", gettext_lazy("Channel")),
    Column("distrito", gettext_lazy("District")),
    Column("territory", gettext_lazy("Territory")),
    Column("rep", gettext_lazy("Rep"), sortable=False),
    Column("status", gettext_lazy("Status")),
    Column("last_order", gettext_lazy("Last order"), numeric=True),
    Column("sales", gettext_lazy("Sales, last 12 months"), numeric=True, amounts=True),
)


def _filtered(request: AuthedRequest) -> tuple[AccountFilterForm, AccountQuerySet, str]:
    """The filter form, the accounts it selects (none when a filter is invalid) and the sort."""
    user = request.user
    form = AccountFilterForm(request.GET, user=user, accounts=Account.objects.visible_to(user))
    sort = selectors.clean_sort(request.GET.get("sort"), amounts=user.sees_amounts)
    valid = form.is_valid()
    accounts = selectors.account_list(
        user, form.filters() if valid else selectors.AccountFilters(), sort=sort
    )
    return form, accounts if valid else accounts.none(), sort


def _headers(sort: str, *, amounts: bool) -> list[dict[str, Any]]:
    """Column headers with the sort each one links to and the arrow it shows now."""
    headers = []
    for col in COLUMNS:
        if col.amounts and not amounts:
            continue
        current = sort.removeprefix("-") == col.key
        descending = sort.startswith("-")
        headers.append(
            {
                "label": col.label,
                "numeric": col.numeric,
                "sortable": col.sortable,
                "sort": f"-{col.key}" if current and not descending else col.key,
                "arrow": ("▼" if descending else "▲") if current else "",
                "aria": ("descending" if descending else "ascending") if current else "none",
            }
        )
    return headers


@login_required
@require_GET
def account_list(request: AuthedRequest) -> HttpResponse:
    form, accounts, sort = _filtered(request)
    counts = selectors.status_counts(accounts)
    page = Paginator(accounts, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "counts": counts,
        "total": sum(counts.values()),
        "statuses": Account.Status,
        "headers": _headers(sort, amounts=request.user.sees_amounts),
        "query_string": request.GET.urlencode(),
    }
    return render(request, "customers/account_list.html", context)


def _csv_safe(value: Any) -> Any:
    """Neutralise text a spreadsheet would run as a formula (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_rows(accounts: AccountQuerySet, *, amounts: bool) -> Iterator[list[Any]]:
    header = [
        _("External code"), _("Trade name"), _("Legal name"), _("RUC / DNI"), _("Channel"),
        _("Status"), _("Address"), _("Ubigeo"), _("District"), _("Territory"), _("Current rep"),
        _("Latitude"), _("Longitude"), _("Approximate location"), _("Last order"),
    ]  # fmt: skip
    yield [*header, _("Sales, last 12 months")] if amounts else header
    for a in accounts.iterator(chunk_size=1000):
        territory = a.territory
        reps = ", ".join(str(r.user) for r in territory.current_reps) if territory else ""  # type: ignore[attr-defined]
        row = [
            a.external_code, a.trade_name, a.legal_name, a.tax_id, a.channel.name,
            a.get_status_display(), a.address, a.distrito_id or "",
            proper(a.distrito.name) if a.distrito else "", territory.name if territory else "",
            reps, a.lat, a.lon, _("yes") if a.location_is_approximate else _("no"),
            a.last_order_on or "",  # type: ignore[attr-defined]
        ]  # fmt: skip
        yield [*row, a.sales_12m] if amounts else row  # type: ignore[attr-defined]


@login_required
@require_GET
def account_export(request: AuthedRequest) -> StreamingHttpResponse:
    """The filtered list as CSV (UTF-8 with BOM, so spreadsheets read the accents)."""
    _form, accounts, _sort = _filtered(request)
    writer = csv.writer(_Echo())
    rows = _csv_rows(accounts, amounts=request.user.sees_amounts)

    def lines() -> Iterator[str]:
        yield "\ufeff"
        for row in rows:
            yield writer.writerow([_csv_safe(v) for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    filename = f"{_('accounts')}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def account_points(request: AuthedRequest) -> JsonResponse:
    """Map points of the filtered accounts."""
    _form, accounts, _sort = _filtered(request)
    points = selectors.account_points(accounts)
    return JsonResponse({"count": len(points), "points": points})


@login_required
@require_GET
def account_distritos(request: AuthedRequest) -> JsonResponse:
    """Polygons of the districts where the filtered accounts are."""
    _form, accounts, _sort = _filtered(request)
    return JsonResponse(distrito_collection(selectors.distritos_of(accounts)))


@login_required
@require_GET
def account_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    detail = selectors.account_detail(request.user, pk)
    account = detail.account
    point = selectors.point_of(account)
    points = {"points": [point] if point else []}
    return render(
        request,
        "customers/account_detail.html",
        {"detail": detail, "account": account, "points": points},
    )
