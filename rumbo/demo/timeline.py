"""The accounts' timeline: the reps' visits and calls, service tickets after some orders (Ticket
rows, opened and closed: the timeline shows both moments) and the touches of the marketing
campaigns in the big seasons (school, Fiestas Patrias, Christmas), each a campaign interaction
linked to its Campaign through a done CampaignTouch."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rumbo.core.models import Team
from rumbo.demo import bulk
from rumbo.demo.accounts import PROSPECT, Accounts
from rumbo.demo.activity import CALL, CLOSED, NO_ORDER, NOT_REACHED, ORDER, Events, midnight_s
from rumbo.demo.bulk import BulkWriter, Stamps
from rumbo.demo.orders import Ids, Sales
from rumbo.interactions.models import CampaignTouch, Interaction, Ticket

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
# Subject, topic and resolution of the service tickets that follow some orders.
TICKETS = (
    ("Reclamo: producto dañado en la entrega", Ticket.Topic.QUALITY,
     "Se cambió el producto en la siguiente entrega"),
    ("Reclamo: faltó mercadería", Ticket.Topic.STOCK, "Se despachó lo que faltaba"),
    ("Solicitud de copia de factura", Ticket.Topic.BILLING, "Se envió la copia por correo"),
    ("Consulta sobre línea de crédito", Ticket.Topic.BILLING,
     "El área de créditos revisó la línea y llamó al cliente"),
    ("Cambio de horario de entrega", Ticket.Topic.REQUEST, "Se actualizó el horario de entrega"),
)  # fmt: skip
TICKET_SUBJECTS, TICKET_TOPICS, TICKET_RESOLUTIONS = (
    np.array(column, dtype=bulk.STR) for column in zip(*TICKETS, strict=True)
)
VIAS = np.array(["phone", "phone", "whatsapp", "whatsapp", "email", "visit"], dtype=bulk.STR)
CAMPAIGNS = {
    3: "Campaña escolar",
    7: "Campaña Fiestas Patrias",
    12: "Campaña navideña: panetones y chocolatada",
}
TICKET_SHARE = 0.01  # service tickets per order
CAMPAIGN_SHARE = 0.08  # accounts touched by a campaign in its month


@dataclass
class Touches:
    """Timeline rows; `account` holds account indexes until `write_timeline` maps them."""

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


def write_tickets(
    writer: BulkWriter,
    rng: np.random.Generator,
    org_id: int,
    acc: Accounts,
    sales: Sales,
    user: int,
    end_s: int,
    ids: Ids,
) -> None:
    """Closed service tickets a day or two after some orders, handled by customer service and
    closed within hours or days (never after the history's end)."""
    pick = np.flatnonzero(rng.random(len(sales.account)) < TICKET_SHARE)
    at = sales.created_s[pick] + rng.integers(86400, 3 * 86400, len(pick))
    pick, at = pick[at < end_s], at[at < end_s]
    n = len(pick)
    what = rng.integers(0, len(TICKETS), n)
    closed = np.minimum(at + rng.integers(2 * 3600, 4 * 86400, n), end_s)
    priority = np.where(rng.random(n) < 0.15, "high", "normal").astype(bulk.STR)
    writer.write(
        Ticket,
        n,
        {
            "id": bulk.ints(np.arange(ids.ticket, ids.ticket + n)),
            "organisation": str(org_id),
            "number": bulk.ints(np.arange(ids.ticket_number + 1, ids.ticket_number + n + 1)),
            "account": bulk.ints(acc.ids[sales.account[pick]]),
            "topic": TICKET_TOPICS[what],
            "subject": TICKET_SUBJECTS[what],
            "priority": priority,
            "status": "closed",
            "received_via": VIAS[rng.integers(0, len(VIAS), n)],
            "team": Team.SERVICE.value,
            "assigned_to": str(user),
            "opened_by": str(user),
            "opened_at": Stamps(at),
            "closed_by": str(user),
            "closed_at": Stamps(closed),
            "resolution": TICKET_RESOLUTIONS[what],
            "updated_at": Stamps(closed),
        },
    )
    ids.ticket += n
    ids.ticket_number += n


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
    month: int,
    tenth: int,
    marketing: int,
    campaign: int | None,
    ids: Ids,
) -> None:
    """Write the month's interactions: the reps' visits and calls and, when `campaign` is the
    id of this month's campaign, its touches (by the marketing user)."""
    parts = [_rep_touches(rng, acc, events)]
    if campaign is not None:
        parts.append(_campaign(rng, acc, month, tenth, marketing))
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
            "campaign": bulk.nullable(np.full(n, str(campaign or 0)), t.kind != "campaign"),
        },
    )
    ids.interaction += n
    if campaign is not None:
        _write_touches(writer, acc.ids[parts[-1].account], campaign, tenth, ids)


def _write_touches(
    writer: BulkWriter, account_ids: np.ndarray, campaign: int, day: int, ids: Ids
) -> None:
    """The campaign's done touches, each pointing at its interaction (the last ones written)."""
    n = len(account_ids)
    writer.write(
        CampaignTouch,
        n,
        {
            "id": bulk.ints(np.arange(ids.campaign_touch, ids.campaign_touch + n)),
            "campaign": str(campaign),
            "account": bulk.ints(account_ids),
            "status": CampaignTouch.Status.DONE.value,
            "planned_on": bulk.dates(np.full(n, day)),
            "reason": "{}",
            "interaction": bulk.ints(np.arange(ids.interaction - n, ids.interaction)),
        },
    )
    ids.campaign_touch += n
