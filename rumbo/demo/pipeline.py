"""Each rep's prospect pipeline: leads in the districts of their territory, new, contacted, with
an appointment in the coming days, won (the prospect became one of the accounts opened lately)
or lost with the reason; what was done with each, and the score the prospects app gives them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
from django.utils import timezone

from rumbo.core.models import Organisation, User
from rumbo.customers.models import Account
from rumbo.demo import catalog_data as data
from rumbo.demo import names
from rumbo.demo.accounts import ACTIVE, Accounts
from rumbo.demo.geography import METRES_PER_DEGREE, Geography, town_name
from rumbo.prospects.models import Appointment, Prospect, ProspectTouch
from rumbo.prospects.scoring import score_prospects

PROSPECT_SHARE = 0.06  # prospects per account of the territory
MIN_PER_REP = 6
STATUSES = ("new", "contacted", "appointment", "won", "lost")
STATUS_SHARES = (0.3, 0.25, 0.15, 0.1, 0.2)
SOURCES = ("field", "field", "field", "referral", "inbound", "list", "event", "website")
LOST = (
    ("price", "Compra más barato en el mercado mayorista"),
    ("supplier", "Trabaja con otro distribuidor hace años"),
    ("credit", "Pide crédito a 30 días"),
    ("not_interested", ""),
    ("unreachable", "No contesta el teléfono"),
)
TOUCH_NOTES = {
    "interested": "Pidió la lista de precios",
    "call_back": "Volver a llamar la próxima semana",
    "not_reached": "",
    "appointment": "Quedamos en visitarlo para presentar el catálogo",
    "not_interested": "Por ahora no le interesa",
}
SLOTS = (dt.time(10, 0), dt.time(11, 30), dt.time(14, 0), dt.time(15, 30))
WON_WITHIN_DAYS = 150  # won prospects are accounts opened in the history's last months
JITTER_M = 150.0
NO_CHAIN = [c for c, row in enumerate(data.CHANNELS) if row[0] != "supermercado"]


@dataclass
class Lead:
    """A prospect to write, with what was done with it and its appointment, if any."""

    prospect: Prospect
    touches: list[ProspectTouch] = field(default_factory=list)
    appointment: Appointment | None = None


def _at(day: int, rng: np.random.Generator) -> dt.datetime:
    moment = dt.datetime.combine(dt.date.fromordinal(day), dt.time(int(rng.integers(9, 18))))
    return timezone.make_aware(moment + dt.timedelta(minutes=int(rng.integers(60))))


class PipelineMaker:
    """Draws the leads of every territory's current rep."""

    def __init__(
        self,
        org: Organisation,
        rng: np.random.Generator,
        acc: Accounts,
        geo: Geography,
        territory_ids: np.ndarray,
        channel_ids: np.ndarray,
        end: dt.date,
    ) -> None:
        self.org, self.rng, self.acc, self.geo, self.end = org, rng, acc, geo, end.toordinal()
        self.territory_ids, self.channel_ids = territory_ids, channel_ids
        shares = np.array([data.CHANNELS[c][2] for c in NO_CHAIN])
        self.channel_p = shares / shares.sum()
        recent = (acc.status == ACTIVE) & (acc.open_day > self.end - WON_WITHIN_DAYS)
        recent &= acc.open_day <= self.end
        rows = Account.objects.filter(pk__in=[int(i) for i in acc.ids[recent]])
        self.customers = {a.pk: a for a in rows}
        self.won_from = recent

    def leads(self, t: int, rep: User, days: list[dt.date]) -> list[Lead]:
        members = np.flatnonzero(self.acc.territory == t)
        count = max(MIN_PER_REP, round(PROSPECT_SHARE * len(members)))
        statuses = self.rng.choice(len(STATUSES), size=count, p=STATUS_SHARES)
        winnable = [int(a) for a in members if self.won_from[a]]
        self.rng.shuffle(winnable)
        taken: set[tuple[dt.date, dt.time]] = set()
        found = []
        for s in statuses:
            status = STATUSES[int(s)]
            if status == "won" and not winnable:
                status = "contacted"
            if status == "won":
                lead = self._won(t, rep, winnable.pop())
            else:
                lead = self._open(t, rep, status, int(self.rng.choice(members)))
            if status == "appointment":
                lead.appointment = self._appointment(lead.prospect, rep, days, taken)
            found.append(lead)
        return found

    def _prospect(self, t: int, rep: User, status: str, created: int) -> Prospect:
        return Prospect(
            organisation=self.org,
            status=status,
            owner=rep,
            territory_id=int(self.territory_ids[t]),
            created_by=rep,
            created_at=_at(created, self.rng),
            source=names.pick(self.rng, SOURCES),
        )

    def _open(self, t: int, rep: User, status: str, anchor: int) -> Lead:
        """A lead near one of the territory's accounts, in its district."""
        rng, acc = self.rng, self.acc
        age = int(rng.integers(3, 30)) if status == "new" else int(rng.integers(20, 120))
        p = self._prospect(t, rep, status, self.end - age)
        owner = names.person(rng)
        channel = int(rng.choice(NO_CHAIN, p=self.channel_p))
        town = town_name(self.geo.name[int(acc.district[anchor])])
        p.name = names.shop_name(rng, data.CHANNELS[channel][0], owner, town)[:200]
        p.contact_name, p.phone = owner.full, names.phone(rng)
        roll = rng.random()
        p.tax_id = names.ruc_person(names.dni(rng)) if roll < 0.5 else ""
        p.address = names.address(rng, town)
        p.distrito_id = self.geo.ubigeo[int(acc.district[anchor])]
        p.channel_id = int(self.channel_ids[channel])
        angle, r = rng.uniform(0, 2 * np.pi), JITTER_M * np.sqrt(rng.random())
        p.lat = float(acc.lat[anchor] + r * np.sin(angle) / METRES_PER_DEGREE)
        scale = METRES_PER_DEGREE * np.cos(np.radians(acc.lat[anchor]))
        p.lon = float(acc.lon[anchor] + r * np.cos(angle) / scale)
        p.location_precision = Account.LocationPrecision.EXACT
        lead = Lead(p)
        if status != "new":
            self._touches(lead, rep, self.end - age, status)
        return lead

    def _touches(
        self, lead: Lead, rep: User, since: int, status: str, until: int | None = None
    ) -> None:
        rng, p = self.rng, lead.prospect
        count = int(rng.integers(1, 3))
        # From the day after the prospect was created (its time of day is drawn apart).
        days = np.sort(rng.integers(since + 1, (until or self.end) + 1, count))
        if status == "appointment":
            days[-1] = max(int(days[-1]), self.end - 10)
        outcomes = [names.pick(rng, ("interested", "call_back", "not_reached")) for _ in days]
        if status == "appointment":
            outcomes[-1] = "appointment"
        if status == "lost":
            reason, notes = LOST[int(rng.integers(len(LOST)))]
            p.lost_reason, p.lost_notes = reason, notes
            outcomes[-1] = "not_reached" if reason == "unreachable" else "not_interested"
        for day, outcome in zip(days, outcomes, strict=True):
            kind = "visit" if rng.random() < 0.4 and outcome != "not_reached" else "call"
            lead.touches.append(
                ProspectTouch(
                    prospect=p,
                    kind=kind,
                    user=rep,
                    occurred_at=_at(int(day), rng),
                    outcome=outcome,
                    notes=TOUCH_NOTES[outcome],
                )
            )
        p.last_contact_at = max(t.occurred_at for t in lead.touches)

    def _won(self, t: int, rep: User, a: int) -> Lead:
        """A lead that became account `a` on the day it opened."""
        account = self.customers[int(self.acc.ids[a])]
        opened = int(self.acc.open_day[a])
        p = self._prospect(t, rep, "won", opened - int(self.rng.integers(15, 60)))
        p.name = account.trade_name or account.legal_name
        p.tax_id, p.address, p.phone = account.tax_id, account.address[:250], account.phone
        assert account.distrito_id is not None  # every demo account has its district
        p.distrito_id, p.channel_id = account.distrito_id, account.channel_id
        p.lat, p.lon, p.location_precision = account.lat, account.lon, account.location_precision
        p.account = account
        p.converted_at = timezone.make_aware(
            dt.datetime.combine(dt.date.fromordinal(opened), dt.time(12, 0))
        )
        lead = Lead(p)
        self._touches(lead, rep, p.created_at.toordinal(), "won", until=opened - 1)
        for touch in lead.touches:
            touch.outcome, touch.notes = "interested", TOUCH_NOTES["interested"]
        p.last_contact_at = max(t.occurred_at for t in lead.touches)
        return lead

    def _appointment(
        self, p: Prospect, rep: User, days: list[dt.date], taken: set[tuple[dt.date, dt.time]]
    ) -> Appointment | None:
        """A meeting on one of the coming working days, at a free slot of the rep."""
        for _ in range(len(days) * len(SLOTS)):
            day = days[int(self.rng.integers(1, len(days)))]
            slot = SLOTS[int(self.rng.integers(len(SLOTS)))]
            if (day, slot) not in taken:
                taken.add((day, slot))
                return Appointment(
                    organisation=self.org, prospect=p, rep=rep, day=day, start_time=slot,
                    notes="Presentar catálogo y lista de precios", created_by=rep,
                )  # fmt: skip
        p.status = "contacted"
        return None


def write_pipeline(leads: list[Lead]) -> dict[str, int]:
    """Write the leads, their touches and appointments, and score them."""
    prospects = Prospect.objects.bulk_create([lead.prospect for lead in leads], batch_size=500)
    touches = [t for lead in leads for t in lead.touches]
    for lead in leads:
        for t in lead.touches:
            t.prospect = lead.prospect
        if lead.appointment is not None:
            lead.appointment.prospect = lead.prospect
    ProspectTouch.objects.bulk_create(touches, batch_size=1000)
    booked = [lead.appointment for lead in leads if lead.appointment is not None]
    Appointment.objects.bulk_create(booked, batch_size=500)
    score_prospects(prospects)
    return {
        Prospect._meta.label: len(prospects),
        ProspectTouch._meta.label: len(touches),
        Appointment._meta.label: len(booked),
    }
