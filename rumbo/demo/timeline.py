"""The accounts' timeline: the reps' visits and calls, service tickets after some orders and
marketing campaign touches in the big seasons (school, Fiestas Patrias, Christmas)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rumbo.core.models import Team
from rumbo.demo import bulk
from rumbo.demo.accounts import PROSPECT, Accounts
from rumbo.demo.activity import CALL, CLOSED, NO_ORDER, NOT_REACHED, ORDER, Events, midnight_s
from rumbo.demo.bulk import BulkWriter, Stamps
from rumbo.demo.orders import Ids, Sales
from rumbo.interactions.models import Interaction

OUTCOMES = np.array(["order", "no_order", "closed", "not_reached"], dtype=bulk.STR)
NO_ORDER_NOTES = np.array(
    [
        "",
        "",
        "Tiene stock suficiente",
        "Sin efectivo, volver la próxima semana",
        "El dueño no estaba",
        "Compró a otro distribuidor",
        "Pide mejor precio en gaseosas",
    ],
    dtype=bulk.STR,
)
PROSPECT_NOTES = np.array(
    ["Se presentó el catálogo", "Interesado, pide lista de precios", "Volver el próximo mes"],
    dtype=bulk.STR,
)
TICKETS = np.array(
    [
        "Reclamo: producto dañado en la entrega",
        "Reclamo: faltó mercadería",
        "Solicitud de copia de factura",
        "Consulta sobre línea de crédito",
        "Cambio de horario de entrega",
    ],
    dtype=bulk.STR,
)
CAMPAIGNS = {
    3: "Campaña escolar",
    7: "Campaña Fiestas Patrias",
    12: "Campaña navideña: panetones y chocolatada",
}
TICKET_SHARE = 0.005  # service tickets per order
CAMPAIGN_SHARE = 0.08  # accounts touched by a campaign in its month


@dataclass
class Touches:
    account: np.ndarray
    kind: np.ndarray
    team: np.ndarray
    user: np.ndarray
    at_s: np.ndarray
    minutes: np.ndarray
    outcome: np.ndarray
    subject: np.ndarray
    notes: np.ndarray


def _rep_touches(rng: np.random.Generator, acc: Accounts, ev: Events) -> Touches:
    n = len(ev.account)
    visit = ev.kind != CALL
    subject = np.where(
        visit,
        np.where(acc.status[ev.account] == PROSPECT, "Visita a prospecto", "Visita de preventa"),
        np.where(
            ev.outcome == ORDER,
            "Pedido por teléfono",
            np.where(ev.outcome == NOT_REACHED, "Llamada sin respuesta", "Llamada de seguimiento"),
        ),
    )
    notes = np.where(ev.outcome == NO_ORDER, NO_ORDER_NOTES[rng.integers(0, 7, n)], "")
    notes = np.where(
        acc.status[ev.account] == PROSPECT, PROSPECT_NOTES[rng.integers(0, 3, n)], notes
    )
    notes = np.where(ev.outcome == CLOSED, "Local cerrado", notes)
    return Touches(
        ev.account,
        np.where(visit, "visit", "call"),
        np.full(n, Team.SALES),
        ev.rep,
        ev.start_s,
        ev.minutes,
        OUTCOMES[ev.outcome],
        subject,
        notes,
    )


def _service(rng: np.random.Generator, sales: Sales, user: int, end_s: int) -> Touches:
    pick = np.flatnonzero(rng.random(len(sales.account)) < TICKET_SHARE)
    at = sales.created_s[pick] + rng.integers(86400, 3 * 86400, len(pick))
    pick, at = pick[at < end_s], at[at < end_s]
    n = len(pick)
    return Touches(
        sales.account[pick],
        np.full(n, "ticket"),
        np.full(n, Team.SERVICE),
        np.full(n, user),
        at,
        rng.integers(5, 25, n),
        np.full(n, "done"),
        TICKETS[rng.integers(0, 5, n)],
        np.full(n, ""),
    )


def _campaign(rng: np.random.Generator, acc: Accounts, month: int, day: int, user: int) -> Touches:
    alive = (acc.open_day <= day) & (acc.close_day > day) & (acc.status != PROSPECT)
    chosen = alive & (rng.random(acc.n) < CAMPAIGN_SHARE) & (month in CAMPAIGNS)
    pick = np.flatnonzero(chosen)
    n = len(pick)
    at = midnight_s(np.full(n, day)) + rng.integers(10 * 3600, 12 * 3600, n)
    return Touches(
        pick,
        np.full(n, "campaign"),
        np.full(n, Team.MARKETING),
        np.full(n, user),
        at,
        np.zeros(n, dtype=np.int64),
        np.full(n, "done"),
        np.full(n, CAMPAIGNS.get(month, "")),
        np.full(n, ""),
    )


def write_timeline(
    writer: BulkWriter,
    rng: np.random.Generator,
    org_id: int,
    acc: Accounts,
    events: Events,
    sales: Sales,
    month: int,
    tenth: int,
    staff: tuple[int, int],
    end_s: int,
    ids: Ids,
) -> None:
    """Write the month's interactions; `staff` is (service user id, marketing user id)."""
    parts = [
        _rep_touches(rng, acc, events),
        _service(rng, sales, staff[0], end_s),
        _campaign(rng, acc, month, tenth, staff[1]),
    ]
    t = Touches(
        *(np.concatenate([getattr(p, f) for p in parts]) for f in Touches.__dataclass_fields__)
    )
    n = len(t.account)
    minutes = bulk.nullable(bulk.ints(t.minutes), t.kind == "campaign")
    writer.write(
        Interaction,
        n,
        {
            "id": bulk.ints(np.arange(ids.interaction, ids.interaction + n)),
            "organisation": str(org_id),
            "account": bulk.ints(acc.ids[t.account]),
            "kind": t.kind.astype(bulk.STR),
            "team": t.team.astype(bulk.STR),
            "user": bulk.ints(t.user),
            "occurred_at": Stamps(t.at_s),
            "duration_min": minutes,
            "outcome": t.outcome.astype(bulk.STR),
            "subject": t.subject.astype(bulk.STR),
            "notes": t.notes.astype(bulk.STR),
        },
    )
    ids.interaction += n
