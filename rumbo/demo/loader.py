"""The phases of a demo load, timed: catalogue, territories and people, accounts, history,
targets. Every phase draws from its own generator (see `sizes.generator`)."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from rumbo.catalog.models import PriceList, PriceListItem, Product
from rumbo.core.models import Counter, Organisation, User
from rumbo.coverage.adapters import compute_segments
from rumbo.customers.models import Account, Alignment, Channel, Contact
from rumbo.demo import catalog as demo_catalog
from rumbo.demo.account_rows import write_accounts
from rumbo.demo.accounts import ACTIVE, INACTIVE, draw_accounts
from rumbo.demo.baskets import build_baskets
from rumbo.demo.bulk import BulkWriter, plain_indexes_set_aside
from rumbo.demo.catalog import Prices
from rumbo.demo.engagement import (
    create_policies,
    history_campaigns,
    open_tickets,
    upcoming_campaign,
)
from rumbo.demo.geography import load_geography, zones_for
from rumbo.demo.history import Company, write_history
from rumbo.demo.layout import lay_out
from rumbo.demo.people import create_people
from rumbo.demo.pipeline import PipelineMaker, write_pipeline
from rumbo.demo.plans import PLAN_DAYS, days_ahead, plan_days
from rumbo.demo.seasons import holidays, price_epochs
from rumbo.demo.sizes import Size, add_months, generator, month_starts
from rumbo.demo.targets import FUTURE_MONTHS, write_targets
from rumbo.design.adapters import leaves_under
from rumbo.design.services import create_scenario
from rumbo.interactions.models import (
    Campaign,
    CampaignTouch,
    ContactPolicy,
    Interaction,
    PlannedActivity,
    Ticket,
)
from rumbo.orders.models import Order, OrderLine, OrderStatusChange
from rumbo.orders.summary import rebuild as rebuild_sales_summary
from rumbo.quotas.models import Method, MonthsBy
from rumbo.quotas.selectors import starting_figures
from rumbo.quotas.services import create_plan
from rumbo.seasons.adapters import compute as compute_seasons
from rumbo.seasons.models import SeasonRun
from rumbo.targets.models import Target
from rumbo.team.models import Rep
from rumbo.territories.models import Assignment, Level, Territory

BIG_ACCOUNT_LISTS = 1 / 400  # share of accounts with negotiated prices (at least 2)
NEGOTIATED_PRODUCTS = 25
HISTORY_TABLES = [Order, OrderLine, OrderStatusChange, Interaction, Ticket, CampaignTouch]
BULK_TABLES = [Account, Alignment, Contact, *HISTORY_TABLES, Target]


@dataclass
class LoadReport:
    organisation: Organisation
    seconds: float = 0.0
    phases: list[tuple[str, float]] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    write_seconds: dict[str, float] = field(default_factory=dict)
    territory_districts: dict[int, set[str]] = field(default_factory=dict)
    # The generator's price table and account ids, to check it against PriceBook.
    prices: Prices | None = None
    account_ids: np.ndarray | None = None


class Loader:
    def __init__(
        self, org: Organisation, size: Size, seed: int, end: dt.date, say: Callable[[str], None]
    ) -> None:
        self.org, self.size, self.seed, self.end, self.say = org, size, seed, end, say
        self.months = month_starts(end, size.months)
        self.first = self.months[0]
        # The plans, appointments and open tickets are as of today (or the day after the
        # history, when it ends in the future).
        self.today = max(end + dt.timedelta(days=1), timezone.localdate())
        self.writer = BulkWriter()
        self.report = LoadReport(organisation=org)

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        began = time.perf_counter()
        yield
        took = time.perf_counter() - began
        self.report.phases.append((name, took))
        self.say(_("%(phase)s: %(seconds).1f s") % {"phase": name, "seconds": took})

    def run(self) -> LoadReport:
        began = time.perf_counter()
        with self.phase(_("Catalogue and price lists")):
            self._catalogue()
        with self.phase(_("Territories and people")):
            self._people()
            self.campaigns = history_campaigns(self.org, self.staff, self.months, self.end)
        with self.phase(_("Accounts, contacts and baskets")):
            self._accounts()
        with self.phase(_("Orders, lines and visits")), plain_indexes_set_aside(HISTORY_TABLES):
            actuals, ids = write_history(self.writer, self._company(), self.say)
        with self.phase(_("Targets and counters")):
            months = self.months + [
                add_months(self.months[-1], k + 1) for k in range(FUTURE_MONTHS)
            ]
            reps = self.staff.rep_users
            write_targets(
                self.writer,
                generator(self.seed, 8),
                self.org.pk,
                self.staff.admin.pk,
                months,
                actuals,
                np.array([u.pk for u in reps]),
                self.territory_ids,
                np.array([u.is_active for u in reps]),
            )
            Counter.objects.update_or_create(
                organisation=self.org, name="order", defaults={"value": ids.number}
            )
            self._tidy()
        with self.phase(_("Monthly sales summaries")):
            self.report.rows.update(rebuild_sales_summary(organisation_id=self.org.pk))
        with self.phase(_("Segments")):
            # As of the month after the history: judged on its last 12 complete months.
            after = add_months(self.end.replace(day=1), 1)
            rows = compute_segments(organisation=self.org, month=after)
            self.report.rows["coverage.AccountSegment"] = rows
        with self.phase(_("A territory design scenario")):
            self._scenario()
        with self.phase(_("Seasonal profiles and forecasts")):
            compute_seasons(run=SeasonRun.objects.create(organisation=self.org))
        with self.phase(_("A quota plan for next year")):
            self._quota_plan()
        with self.phase(_("Contact policies, campaigns and open tickets")):
            self._service(ids.ticket_number)
        with self.phase(_("Prospects and the reps' plans")):
            self._pipeline()
        self.report.seconds = time.perf_counter() - began
        return self.report

    def _scenario(self) -> None:
        """A draft for the largest region, as its manager would start one."""
        regions = Territory.objects.filter(organisation=self.org, level=Level.REGION)
        region = max(regions, key=lambda r: len(leaves_under(r)), default=None)
        if region is None or len(leaves_under(region)) < 2:
            return
        boss = Assignment.objects.active_on().filter(territory=region, role="manager").first()
        name = _("%(region)s next year (draft)") % {"region": region.name}
        create_scenario(root=region, name=name, actor=boss.user if boss else self.staff.admin)

    def _quota_plan(self) -> None:
        """The admin's draft for next year: the company's forecast, rounded to thousands,
        shared by a blend of forecast, potential and last year, spread by seasonal profile."""
        root = Territory.objects.filter(organisation=self.org, parent__isnull=True).first()
        if root is None:
            return
        year = self.today.year + 1
        start = starting_figures(self.staff.admin, root, year, "amount")
        base = start.forecast or start.last_year
        if not base:
            return
        create_plan(
            root=root, year=year, measure="amount", total=(base / 1000).quantize(Decimal(1)) * 1000,
            method=Method.BLEND, months_by=MonthsBy.PROFILE, actor=self.staff.admin,
        )  # fmt: skip

    def _service(self, last_ticket: int) -> None:
        rows = self.report.rows
        rows[ContactPolicy._meta.label] = create_policies(self.org, self.staff)
        upcoming_campaign(self.org, self.staff, self.today)
        self.open_tickets = open_tickets(
            self.org, generator(self.seed, 9), self.acc, self.staff, self.end, last_ticket
        )
        rows[Campaign._meta.label] = Campaign.objects.filter(organisation=self.org).count()
        touches = CampaignTouch.objects.filter(campaign__organisation=self.org)
        rows[CampaignTouch._meta.label] = touches.count()
        rows[Ticket._meta.label] = Ticket.objects.filter(organisation=self.org).count()

    def _pipeline(self) -> None:
        days_off = holidays(range(self.today.year, self.today.year + 2))
        days = days_ahead(self.today, PLAN_DAYS, days_off)
        maker = PipelineMaker(
            self.org,
            generator(self.seed, 10),
            self.acc,
            self.geo,
            self.territory_ids,
            self.catalog.channel_ids,
            self.end,
        )
        reps = {u.pk: u for u in self.staff.rep_users}
        leads = [
            lead
            for t, rep in enumerate(self.staff.current_rep)
            for lead in maker.leads(t, reps[int(rep)], days)
        ]
        self.report.rows.update(write_pipeline(leads))
        self.report.rows[PlannedActivity._meta.label] = plan_days(
            self.org, generator(self.seed, 11), self.acc, self.staff, days, self.open_tickets
        )

    def _catalogue(self) -> None:
        channels = demo_catalog.create_channels(self.org)
        epochs = price_epochs(self.first, self.end)
        self.catalog = demo_catalog.create_catalog(
            self.org, generator(self.seed, 1), channels, epochs, self.first, self.end
        )

    def _people(self) -> None:
        zones = zones_for(self.size.zones)
        self.geo = load_geography(zones)
        self.layout = lay_out(generator(self.seed, 2), self.geo, zones, self.size)
        self.staff = create_people(
            self.org,
            generator(self.seed, 3),
            self.geo,
            zones,
            self.layout.plan,
            self.layout.placement.district,
            self.first,
            self.end,
        )
        self.territory_ids = np.array([t.pk for t in self.staff.territories])

    def _accounts(self) -> None:
        p = self.layout.placement
        self.acc = draw_accounts(
            generator(self.seed, 4),
            self.layout.territory,
            p.district,
            p.lat,
            p.lon,
            self.first,
            self.end,
        )
        names = write_accounts(
            self.writer,
            self.org,
            generator(self.seed, 5),
            self.acc,
            self.geo,
            self.territory_ids,
            self.catalog.channel_ids,
        )
        self.baskets = build_baskets(generator(self.seed, 6), self.acc, self.catalog)
        customers = np.flatnonzero(np.isin(self.acc.status, [ACTIVE, INACTIVE]))
        count = max(2, int(self.acc.n * BIG_ACCOUNT_LISTS))
        big = customers[np.argsort(-self.acc.size[customers], kind="stable")[:count]]
        start = self.baskets.start
        negotiated = {
            int(a): self.baskets.product[start[a] : start[a + 1]][:NEGOTIATED_PRODUCTS] for a in big
        }
        demo_catalog.add_account_lists(
            self.org,
            generator(self.seed, 7),
            self.catalog,
            self.acc.channel,
            self.acc.ids,
            names,
            negotiated,
        )

    def _company(self) -> Company:
        return Company(
            org=self.org,
            seed=self.seed,
            months=self.months,
            end=self.end,
            accounts=self.acc,
            baskets=self.baskets,
            catalog=self.catalog,
            staff=self.staff,
            territory_ids=self.territory_ids,
            campaigns=self.campaigns,
        )

    def _tidy(self) -> None:
        """Sequences past the explicit ids, planner statistics, and the report's figures."""
        self.writer.reset_sequences(BULK_TABLES)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model in [*BULK_TABLES, PriceListItem]:
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        org, report = self.org, self.report
        structure = [
            Territory.objects.filter(organisation=org),
            User.objects.filter(organisation=org),
            Rep.objects.filter(organisation=org),
            Assignment.objects.filter(organisation=org),
            Channel.objects.filter(organisation=org),
            Product.objects.filter(organisation=org),
            PriceList.objects.filter(organisation=org),
            PriceListItem.objects.filter(price_list__organisation=org),
        ]
        report.rows = {qs.model._meta.label: qs.count() for qs in structure} | self.writer.rows
        report.write_seconds = dict(self.writer.seconds)
        report.prices, report.account_ids = self.catalog.prices, self.acc.ids
        report.territory_districts = dict(
            zip(self.territory_ids.tolist(), self.layout.districts, strict=True)
        )
