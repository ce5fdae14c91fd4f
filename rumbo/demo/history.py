"""The sales history, month by month: visits and calls, the orders they bring, the timeline,
and the actual sales per rep and territory that the targets are set around.

Each month draws from its own generator and is written before the next is made, so memory
stays flat however long the history and however big the company.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from rumbo.core.models import Organisation
from rumbo.demo.accounts import Accounts
from rumbo.demo.activity import Coverage, month_events, work_days
from rumbo.demo.baskets import Baskets
from rumbo.demo.bulk import BulkWriter
from rumbo.demo.catalog import Catalog
from rumbo.demo.orders import History, Ids, Sales, write_orders
from rumbo.demo.people import Staff
from rumbo.demo.seasons import holidays, season_factor
from rumbo.demo.sizes import add_months, generator
from rumbo.demo.targets import Actuals
from rumbo.demo.timeline import write_tickets, write_timeline
from rumbo.interactions.models import CampaignTouch, Interaction, Ticket
from rumbo.orders.models import Order, OrderLine, OrderStatusChange

MONTH_STREAMS = 1000  # months draw from generator(seed, 1000 + month index)


@dataclass
class Company:
    """Everything the history is made from."""

    org: Organisation
    seed: int
    months: list[dt.date]
    end: dt.date
    accounts: Accounts
    baskets: Baskets
    catalog: Catalog
    staff: Staff
    territory_ids: np.ndarray
    campaigns: dict[int, int] = field(default_factory=dict)  # month index → Campaign id


def _rules(c: Company, days_off: set[int]) -> History:
    first, end = c.months[0].toordinal(), c.end.toordinal()
    season = np.ones((13, len(c.catalog.product_ids)))
    for m in range(1, 13):
        season[m] = [season_factor(m, code) for code in c.catalog.category_code]
    return History(
        org_id=c.org.pk,
        first_day=first,
        end_day=end,
        work_days=work_days(first, end + 30, days_off),
        season=season,
        tax_bp=int(c.org.tax_rate * 10_000),
        territory_ids=c.territory_ids,
    )


def _empty_actuals(c: Company) -> Actuals:
    months, reps, terrs = len(c.months), len(c.staff.rep_users), len(c.territory_ids)
    return Actuals(
        rep_net=np.zeros((months, reps)),
        rep_units=np.zeros((months, reps)),
        territory_net=np.zeros((months, terrs)),
        territory_units=np.zeros((months, terrs)),
        covered=np.zeros((months, reps), dtype=bool),
    )


def _add(
    actuals: Actuals,
    m: int,
    sales: Sales,
    rep_index: dict[int, int],
    days: tuple[int, int],
    coverage: Coverage,
) -> None:
    """Add a month's sales to the actuals, and mark which reps covered a territory."""
    reps = np.array([rep_index[int(r)] for r in sales.rep], dtype=np.int64)
    for table, owner, weights in (
        (actuals.rep_net, reps, sales.net),
        (actuals.rep_units, reps, sales.units),
        (actuals.territory_net, sales.territory, sales.net),
        (actuals.territory_units, sales.territory, sales.units),
    ):
        table[m] += np.bincount(owner, weights=weights, minlength=table.shape[1])
    t = np.arange(len(coverage.current_rep))
    for day in days:
        for user in coverage.rep_on(t, np.full(len(t), day)):
            actuals.covered[m, rep_index[int(user)]] = True


def write_history(
    writer: BulkWriter, c: Company, say: Callable[[str], None]
) -> tuple[Actuals, Ids]:
    """Write every month; returns the actual sales and the ids and numbers used."""
    days_off = {d.toordinal() for d in holidays(range(c.months[0].year, c.end.year + 2))}
    rules = _rules(c, days_off)
    ids = Ids(
        writer.next_id(Order),
        writer.next_id(OrderLine),
        writer.next_id(OrderStatusChange),
        writer.next_id(Interaction),
        number=0,
        ticket=writer.next_id(Ticket),
        campaign_touch=writer.next_id(CampaignTouch),
    )
    first_line = ids.line
    coverage = Coverage(c.staff.previous_rep, c.staff.current_rep, c.staff.switch_day)
    actuals = _empty_actuals(c)
    rep_index = {u.pk: i for i, u in enumerate(c.staff.rep_users)}
    end_s = int(dt.datetime.combine(c.end, dt.time(23, 59), tzinfo=dt.UTC).timestamp())
    for m, start in enumerate(c.months):
        last = min(add_months(start, 1) - dt.timedelta(days=1), c.end).toordinal()
        rng = generator(c.seed, MONTH_STREAMS + m)
        days = work_days(start.toordinal(), last, days_off)
        events = month_events(rng, c.accounts, c.baskets, coverage, days)
        sales = write_orders(
            writer, rng, rules, c.accounts, c.baskets, c.catalog, events, start.month, ids
        )
        write_timeline(
            writer,
            rng,
            c.org.pk,
            c.accounts,
            events,
            start.month,
            start.toordinal() + 9,
            c.staff.marketing.pk,
            c.campaigns.get(m),
            ids,
        )
        write_tickets(writer, rng, c.org.pk, c.accounts, sales, c.staff.service.pk, end_s, ids)
        _add(actuals, m, sales, rep_index, (start.toordinal(), last), coverage)
        if (m + 1) % 6 == 0 or m + 1 == len(c.months):
            progress = {
                "month": start.strftime("%Y-%m"),
                "done": m + 1,
                "months": len(c.months),
                "lines": number_format(ids.line - first_line, force_grouping=True),
            }
            say(_("  … %(month)s: %(done)s of %(months)s months, %(lines)s lines") % progress)
    return actuals, ids
