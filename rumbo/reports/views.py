"""The home page and the performance pages: dashboard, drill-down, gap bridge, rep view,
downloads. Each page reads through rumbo.reports.context, which answers 404 outside the scope.

Every table downloads as CSV or Excel with `?export=<table>&format=csv|xlsx`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from rumbo.core.http import AuthedRequest
from rumbo.core.models import Role
from rumbo.customers.models import Account
from rumbo.reports import charts, context, tables
from rumbo.reports.accounts import account_page, owner_summary, rep_dashboard
from rumbo.reports.categories import category_lines
from rumbo.reports.forms import SettingsForm
from rumbo.reports.gap import bridge, label_accounts
from rumbo.reports.pdf import review_pdf
from rumbo.reports.performance import ACCOUNTS, Dashboard, dashboard, query_string
from rumbo.reports.periods import quick_periods
from rumbo.reports.repview import rep_view
from rumbo.reports.selectors import home_summary
from rumbo.reports.services import save_settings
from rumbo.targets.models import Measure


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    return render(request, "reports/home.html", {"summary": home_summary(request.user)})


def _context(request: AuthedRequest, **kwargs: Any) -> context.Context:
    return context.build(request.user, request.GET, **kwargs)


def _page(request: AuthedRequest, data: Dashboard) -> HttpResponse:
    ctx = data.ctx
    if data.level != ACCOUNTS:
        data.categories = category_lines(ctx) if ctx.sees_amounts else []
    wanted = request.GET.get("export")
    if wanted:
        return _download(data, wanted, request.GET.get("format", "csv"))
    latest = context.latest_month(ctx.user, ctx.today)
    # A rep's accounts (hundreds) a page at a time, biggest sales first; totals and downloads
    # cover them all.
    page = None
    if data.level == ACCOUNTS:
        page = Paginator(data.rows, ACCOUNTS_PER_PAGE).get_page(request.GET.get("page"))
    extra = {
        "data": data,
        "rows": page.object_list if page else data.rows,
        "page": page,
        "ctx": ctx,
        "quick": quick_periods(latest),
        "measures": Measure.choices,
        "charts": charts.dashboard_charts(data) if ctx.sees_amounts else {},
        "query": query_string(ctx),
        "row_label": ROW_LABELS[data.level],
        **charts.table_rows(data),
    }
    return render(request, "reports/performance.html", extra)


ACCOUNTS_PER_PAGE = 50

ROW_LABELS = {
    "territories": gettext_lazy("Territory"),
    "reps": gettext_lazy("Rep"),
    "accounts": gettext_lazy("Account"),
}


def _download(data: Dashboard, wanted: str, fmt: str) -> HttpResponse:
    amounts = data.ctx.sees_amounts
    label = str(ROW_LABELS[data.level])
    found: dict[str, Any] = {
        "rows": lambda: tables.lines_table(
            "rows", data.title, label, data.rows, data.total, amounts
        ),
    }
    if amounts:
        found |= {
            "categories": lambda: tables.category_table(data.categories),
            "trend": lambda: tables.trend_table(data.total, data.window),
            "heatmap": lambda: tables.heatmap_table(data.rows, data.window),
        }
    if wanted not in found:
        raise Http404
    return tables.response(found[wanted](), fmt, _filename(data))


def _filename(data: Dashboard) -> str:
    name = "".join(c if c.isalnum() else "-" for c in data.title.lower()).strip("-")
    return f"{name or 'rumbo'}-{data.ctx.period.param}"


@login_required
@require_GET
def index(request: AuthedRequest) -> HttpResponse:
    """The user's own starting point: a rep's own page, everyone else's top territory."""
    if request.user.role == Role.REP:
        return redirect("reports:performance:me")
    return _page(request, dashboard(_context(request)))


@login_required
@require_GET
def territory(request: AuthedRequest, territory_id: int) -> HttpResponse:
    return _page(request, dashboard(_context(request, territory_id=territory_id)))


@login_required
@require_GET
def territory_rep(request: AuthedRequest, territory_id: int, rep_id: int) -> HttpResponse:
    ctx = _context(request, territory_id=territory_id, rep_id=rep_id)
    return _page(request, rep_dashboard(ctx))


@login_required
@require_GET
def rep(request: AuthedRequest, rep_id: int) -> HttpResponse:
    ctx = _context(request, rep_id=rep_id)
    return _page(request, rep_dashboard(ctx))


@login_required
@require_GET
def account(request: AuthedRequest, account_id: int) -> HttpResponse:
    found = get_object_or_404(Account.objects.visible_to(request.user), pk=account_id)
    ctx = _context(request, account=found)
    page = account_page(ctx)
    if request.GET.get("export") == "orders":
        return tables.response(_orders_table(page), request.GET.get("format", "csv"),
                               f"{found.pk}-{ctx.period.param}")  # fmt: skip
    return render(request, "reports/account.html", {"page": page, "ctx": ctx,
                                                    "query": query_string(ctx)})  # fmt: skip


def _orders_table(page: Any) -> tables.Table:
    amounts = page.ctx.sees_amounts
    headers = [_("Order"), _("Date"), _("Rep"), _("Status")]
    headers += [_("Net amount")] if amounts else []
    rows = []
    for o in page.orders:
        row = [o.number, o.ordered_on, str(o.rep or ""), o.get_status_display()]
        rows.append(row + ([o.net_amount] if amounts else []))
    return tables.Table("orders", _("Orders"), headers, rows)


def _gap(request: AuthedRequest, ctx: context.Context) -> HttpResponse:
    if not ctx.sees_amounts:
        raise Http404
    ctx.measure = Measure.AMOUNT  # the bridge is in amounts
    data = owner_summary(ctx)
    result = bridge(ctx, data.total.target)
    accounts = label_accounts(result, 12, ctx)
    wanted = request.GET.get("export")
    if wanted:
        return _gap_download(result, accounts, wanted, request.GET.get("format", "csv"), data)
    result.visits = data.total.visits
    context_ = {
        "data": data, "ctx": ctx, "bridge": result, "accounts": accounts,
        "charts": charts.bridge_chart(result), "query": query_string(ctx),
    }  # fmt: skip
    return render(request, "reports/gap.html", context_)


def _gap_download(result: Any, accounts: Any, wanted: str, fmt: str, data: Any) -> HttpResponse:
    if wanted == "bridge":
        rows = [[p.label, p.value, p.accounts or None] for p in result.steps]
        table = tables.Table("bridge", _("Gap bridge"), [_("Step"), _("Amount"), _("Accounts")],
                             rows)  # fmt: skip
    elif wanted == "accounts":
        headers = [_("Account"), _("Kind"), _("Same period last year"), _("Sales"),
                   _("Expected"), _("Contribution to the gap"), _("Visits"),
                   _("Visits last year")]  # fmt: skip
        rows = [[a.label, a.kind, a.last_year, a.actual, a.expected.quantize(a.actual.__class__(
            "0.01")), a.contribution, a.visits, a.visits_ly] for a in accounts]  # fmt: skip
        table = tables.Table("accounts", _("Accounts that contribute most"), headers, rows)
    elif wanted == "categories":
        headers = [_("Category"), _("Same period last year"), _("Sales"), _("Expected"),
                   _("Contribution to the gap")]  # fmt: skip
        rows = [[c.label, c.last_year, c.actual, c.expected.quantize(c.actual.__class__("0.01")),
                 c.contribution] for c in result.categories]  # fmt: skip
        table = tables.Table("categories", _("Categories"), headers, rows)
    else:
        raise Http404
    return tables.response(table, fmt, _filename(data) + "-gap")


@login_required
@require_GET
def territory_gap(request: AuthedRequest, territory_id: int) -> HttpResponse:
    return _gap(request, _context(request, territory_id=territory_id))


@login_required
@require_GET
def rep_gap(request: AuthedRequest, rep_id: int) -> HttpResponse:
    return _gap(request, _context(request, rep_id=rep_id))


@login_required
@require_GET
def me(request: AuthedRequest) -> HttpResponse:
    """My month: a rep's standing, accounts ranked by change, gap and what would close it."""
    user = request.user
    if user.role != Role.REP:
        return redirect("reports:performance:index")
    ctx = _context(request, rep_id=user.pk)
    view = rep_view(ctx)
    return render(request, "reports/me.html", {"view": view, "ctx": ctx,
                                               "query": query_string(ctx)})  # fmt: skip


@login_required
@require_GET
def review(request: AuthedRequest, territory_id: int) -> HttpResponse:
    """The one-page monthly review of a territory, as PDF."""
    ctx = _context(request, territory_id=territory_id)
    if not ctx.sees_amounts:
        raise Http404
    content = review_pdf(ctx)
    out = HttpResponse(content, content_type="application/pdf")
    name = f"review-{ctx.node.code if ctx.node else 'all'}-{ctx.period.param}.pdf"
    out["Content-Disposition"] = f'attachment; filename="{name}"'
    return out


@login_required
@require_http_methods(["GET", "POST"])
def settings(request: AuthedRequest) -> HttpResponse:
    """Administrators choose the attainment below which rows are flagged."""
    user = request.user
    if user.role != Role.ADMIN:
        raise Http404
    form = SettingsForm(
        request.POST or None, initial={"flag_below_pct": context.threshold_of(user)}
    )
    if request.method == "POST" and form.is_valid():
        save_settings(organisation=user.organisation, actor=user,
                      flag_below_pct=form.cleaned_data["flag_below_pct"])  # fmt: skip
        messages.success(request, _("Saved."))
        return redirect("reports:performance:index")
    return render(request, "reports/settings.html", {"form": form})
