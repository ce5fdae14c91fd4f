"""The reps' plans for today and the next working days: follow-up calls their manager assigned
or they planned themselves at the start of the day, a few office tasks, and a visit to each
account with a service ticket still open."""

from __future__ import annotations

import datetime as dt

import numpy as np

from rumbo.core.models import Organisation, User
from rumbo.demo import names
from rumbo.demo.accounts import ACTIVE, Accounts
from rumbo.demo.engagement import OpenTicket
from rumbo.demo.people import Staff
from rumbo.interactions.models import PlannedActivity

PLAN_DAYS = 5  # today and the next four working days
CALLS_PER_DAY = 2
TASK_SHARE = 0.3  # days with an office task
CALLS = (
    ("call", "Confirmar el pedido de la semana"),
    ("call", "Cobranza: factura por vencer"),
    ("call", "Ofrecer la promoción del mes"),
    ("follow_up", "Seguimiento: pidió lista de precios"),
    ("follow_up", "Seguimiento: producto nuevo que le interesó"),
)
TASKS = (
    "Rendir la cobranza del día",
    "Actualizar la lista de precios en el celular",
    "Reunión de equipo con el supervisor",
)


def days_ahead(today: dt.date, count: int, days_off: set[dt.date]) -> list[dt.date]:
    """Today (whatever it is) and the next working days (Monday to Saturday, no holidays)."""
    days, day = [today], today
    while len(days) < count:
        day += dt.timedelta(days=1)
        if day.weekday() < 6 and day not in days_off:
            days.append(day)
    return days


def _calls(
    org: Organisation,
    rng: np.random.Generator,
    acc: Accounts,
    staff: Staff,
    t: int,
    rep: User,
    days: list[dt.date],
) -> list[PlannedActivity]:
    members = np.flatnonzero((acc.territory == t) & (acc.status == ACTIVE))
    manager = staff.managers_of[t]
    rows = []
    for day in days:
        chosen = rng.choice(members, size=min(CALLS_PER_DAY, len(members)), replace=False)
        for c, a in enumerate(np.sort(chosen)):
            kind, title = CALLS[int(rng.integers(len(CALLS)))]
            by_manager = bool(rng.random() < 0.5)
            rows.append(
                PlannedActivity(
                    organisation=org,
                    rep=rep,
                    day=day,
                    start_time=dt.time(8, 15 * c),
                    duration_min=10,
                    kind=kind,
                    account_id=int(acc.ids[a]),
                    title=title,
                    source="manager" if by_manager else "self",
                    assigned_by=manager if by_manager else rep,
                )
            )
        if rng.random() < TASK_SHARE:
            rows.append(
                PlannedActivity(
                    organisation=org,
                    rep=rep,
                    day=day,
                    start_time=dt.time(16, 0),
                    duration_min=30,
                    kind="task",
                    title=names.pick(rng, TASKS),
                    source="self",
                    assigned_by=rep,
                )
            )
    return rows


def plan_days(
    org: Organisation,
    rng: np.random.Generator,
    acc: Accounts,
    staff: Staff,
    days: list[dt.date],
    tickets: list[OpenTicket],
) -> int:
    """Write the plans of every current rep for `days`; returns how many."""
    reps = {u.pk: u for u in staff.rep_users}
    rows = []
    for t, rep_id in enumerate(staff.current_rep):
        rows += _calls(org, rng, acc, staff, t, reps[int(rep_id)], days)
    for open_ticket in tickets:
        t = int(acc.territory[open_ticket.account])
        ticket = open_ticket.ticket
        rows.append(
            PlannedActivity(
                organisation=org,
                rep=reps[int(staff.current_rep[t])],
                day=days[int(rng.integers(len(days)))],
                duration_min=20,
                kind="visit",
                account_id=ticket.account_id,
                ticket=ticket,
                title=f"Ticket {ticket.reference}: {ticket.subject}"[:200],
                source="ticket",
                assigned_by=staff.service,
            )
        )
    PlannedActivity.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
