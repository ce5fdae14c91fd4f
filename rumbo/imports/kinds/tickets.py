"""Import of service tickets (upsert by external code) through the interactions services.

A new row opens a ticket on its account (and closes it when the row says so, with its
resolution); a ticket already imported is changed, closed or reopened as the row says. Empty
cells never erase what Rumbo already has.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rumbo.core.models import Team, User
from rumbo.customers.models import Account
from rumbo.imports import values as v
from rumbo.imports.kinds.base import Context, Field, Kind, Op, Record, changed, duplicates, fail
from rumbo.imports.kinds.refs import in_chunks
from rumbo.interactions.models import Ticket
from rumbo.interactions.services import close_ticket, open_ticket, reopen_ticket, update_ticket

TOPICS = {
    "delivery": "delivery", "entrega": "delivery", "despacho": "delivery", "reparto": "delivery",
    "billing": "billing", "invoice": "billing", "factura": "billing", "facturacion": "billing",
    "pago": "billing", "cobranza": "billing", "quality": "quality", "calidad": "quality",
    "price": "price", "precio": "price", "promocion": "price", "stock": "stock",
    "faltante": "stock", "quiebre": "stock", "request": "request", "solicitud": "request",
    "pedido": "request", "complaint": "complaint", "reclamo": "complaint", "queja": "complaint",
    "other": "other", "otro": "other", "otros": "other",
}  # fmt: skip
PRIORITIES = {
    "low": "low", "baja": "low", "normal": "normal", "media": "normal", "medium": "normal",
    "high": "high", "alta": "high", "urgent": "urgent", "urgente": "urgent",
}  # fmt: skip
STATUSES = {
    "open": "open", "abierto": "open", "abierta": "open", "pendiente": "open",
    "closed": "closed", "cerrado": "closed", "cerrada": "closed", "resuelto": "closed",
    "resuelta": "closed", "solved": "closed", "resolved": "closed",
}  # fmt: skip
TEAMS = {
    "service": Team.SERVICE, "servicio": Team.SERVICE, "atencionalcliente": Team.SERVICE,
    "sales": Team.SALES, "ventas": Team.SALES, "marketing": Team.MARKETING,
}  # fmt: skip
VIA = {
    "phone": "phone", "telefono": "phone", "llamada": "phone", "email": "email",
    "correo": "email", "whatsapp": "whatsapp", "visit": "visit", "visita": "visit",
    "other": "other", "otro": "other",
}  # fmt: skip
PLAIN = ("topic", "subject", "description", "priority", "team", "received_via", "due_on")


def at_noon(day: dt.date) -> dt.datetime:
    """A day read from a file, as a moment (its noon in the local time zone)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


class Tickets(Kind):
    code = "tickets"
    label = gettext_lazy("Service tickets")
    fields = (
        Field("external_code", gettext_lazy("Ticket (external code)"), v.text(40), required=True,
              synonyms=("ticket", "caso", "nro caso", "numero de caso", "ticket id", "case id")),
        Field("account", gettext_lazy("Account (external code)"), v.text(40), required=True,
              synonyms=("cuenta", "cliente", "codigo cliente", "customer id")),
        Field("opened_on", gettext_lazy("Opened on"), v.date,
              synonyms=("fecha", "fecha apertura", "creado", "created", "opened")),
        Field("topic", gettext_lazy("Topic"),
              v.choice(TOPICS, gettext_lazy("delivery, billing, quality, price, stock, request, "
                                            "complaint, other")),
              synonyms=("tema", "tipo", "motivo", "categoria", "category")),
        Field("subject", gettext_lazy("Subject"), v.text(200),
              synonyms=("asunto", "titulo", "title", "resumen")),
        Field("description", gettext_lazy("Description"), v.text(4000),
              synonyms=("descripcion", "detalle", "details")),
        Field("priority", gettext_lazy("Priority"),
              v.choice(PRIORITIES, gettext_lazy("low, normal, high, urgent")),
              synonyms=("prioridad",)),
        Field("status", gettext_lazy("Status"), v.choice(STATUSES, gettext_lazy("open, closed")),
              synonyms=("estado",)),
        Field("closed_on", gettext_lazy("Closed on"), v.date,
              synonyms=("fecha cierre", "cerrado el", "closed")),
        Field("resolution", gettext_lazy("Resolution"), v.text(4000),
              synonyms=("solucion", "resolucion", "respuesta")),
        Field("assigned_to", gettext_lazy("Assigned to (rep code or username)"), v.text(150),
              synonyms=("asignado", "responsable", "asignado a", "owner")),
        Field("team", gettext_lazy("Team"),
              v.choice(TEAMS, gettext_lazy("service, sales, marketing")),
              synonyms=("equipo", "area")),
        Field("received_via", gettext_lazy("Received by"),
              v.choice(VIA, gettext_lazy("phone, email, whatsapp, visit, other")),
              synonyms=("canal", "medio", "via")),
        Field("due_on", gettext_lazy("Due on"), v.date, synonyms=("vence", "fecha limite")),
    )  # fmt: skip
    layout_help = gettext_lazy(
        "One row per ticket, found again by its external code. A new ticket needs its account, "
        "topic and subject; a closed one its resolution."
    )

    def plan(self, records: list[Record], ctx: Context) -> list[Op]:
        repeated = duplicates(records, lambda r: r.get("external_code"), "external_code", ctx)
        codes = [r.values["external_code"] for r in records if "external_code" in r]
        existing = {
            t.external_code: t
            for t in in_chunks(
                Ticket.objects.filter(organisation=ctx.organisation).select_related("account"),
                "external_code", codes,
            )
        }  # fmt: skip
        accounts = ctx.refs.accounts(r.values["account"] for r in records if "account" in r)
        ops = []
        for record in records:
            op = self.plan_row(record, existing.get(record.get("external_code")), accounts, ctx)
            if op is not None and record.row not in repeated:
                ops.append(op)
        return ops

    def account(self, record: Record, accounts: dict[str, Account], ctx: Context) -> Account | None:
        code = record.get("account")
        account = accounts.get(code) if code is not None else None
        if code is not None and account is None:
            fail(record, "account", _("no account has the code '%(v)s'.") % {"v": code}, ctx)
        elif account is not None and not ctx.territory_in_scope(account.territory_id):
            fail(record, "account", _("this account is not in your territories."), ctx)
            return None
        return account

    def person(self, record: Record, ctx: Context) -> Any:
        """The assignee the row names, ... when it names none."""
        value = record.get("assigned_to")
        if value is None:
            return ...
        person = ctx.refs.person(value)
        if person is None:
            fail(
                record,
                "assigned_to",
                _("nobody has the code or username '%(v)s'.") % {"v": value},
                ctx,
            )
        return person

    def plan_row(
        self, record: Record, ticket: Ticket | None, accounts: dict[str, Account], ctx: Context
    ) -> Op | None:
        account = self.account(record, accounts, ctx)
        assignee = self.person(record, ctx)
        status = record.get("status")
        if (
            status == "closed"
            and "resolution" not in record
            and (ticket is None or not ticket.resolution)
        ):
            record.columns.setdefault("resolution", str(self.by_name["resolution"].label))
            fail(record, "resolution", _("a closed ticket needs its resolution."), ctx)
        if ticket is not None and account is not None and ticket.account_id != account.pk:
            fail(record, "account", _("this ticket belongs to another account."), ctx)
        if ticket is not None and not ctx.territory_in_scope(ticket.account.territory_id):
            fail(
                record, "external_code", _("this ticket's account is not in your territories."), ctx
            )
        if ticket is None and not ctx.require(
            record, ("account", "topic", "subject"), self.by_name
        ):
            return None
        if record.failed:
            return None
        if ticket is None:
            assert account is not None
            return Op(record.row, "create", lambda: self.create(record, account, assignee, ctx))
        return self.update(record, ticket, assignee, ctx)

    def create(self, record: Record, account: Account, assignee: Any, ctx: Context) -> Ticket:
        values = {name: record.values[name] for name in PLAIN if name in record}
        opened = record.get("opened_on")
        ticket = open_ticket(
            account=account, actor=ctx.actor, external_code=record.values["external_code"],
            assigned_to=assignee if isinstance(assignee, User) else None,
            opened_at=at_noon(opened) if opened else None, **values,
        )  # fmt: skip
        if record.get("status") == "closed":
            closed = record.get("closed_on") or opened
            close_ticket(ticket=ticket, actor=ctx.actor, resolution=record.values["resolution"],
                         closed_at=at_noon(closed) if closed else None)  # fmt: skip
        return ticket

    def update(self, record: Record, ticket: Ticket, assignee: Any, ctx: Context) -> Op:
        wanted = {name: record.values[name] for name in PLAIN if name in record}
        diff = changed(ticket, wanted)
        reassign = assignee is not ... and assignee != ticket.assigned_to
        status = record.get("status")
        closes = status == "closed" and ticket.is_open
        reopens = status == "open" and not ticket.is_open
        if not (diff or reassign or closes or reopens):
            return Op(record.row, "unchanged")

        def run() -> Ticket:
            if diff or reassign:
                update_ticket(ticket=ticket, actor=ctx.actor,
                              assigned_to=assignee if reassign else ..., **diff)  # fmt: skip
            if closes:
                closed = record.get("closed_on")
                close_ticket(ticket=ticket, actor=ctx.actor,
                             resolution=record.get("resolution") or ticket.resolution,
                             closed_at=at_noon(closed) if closed else None)  # fmt: skip
            if reopens:
                reopen_ticket(ticket=ticket, actor=ctx.actor)
            return ticket

        return Op(record.row, "update", run)
