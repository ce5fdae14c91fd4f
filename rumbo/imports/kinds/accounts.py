"""Import of accounts (upsert by external code) through the customers services.

Accounts in Peru need their ubigeo (the district must exist); accounts abroad need a country
instead, and their coordinates when known (without them the location is unknown). Empty cells
never erase what Rumbo already has.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rumbo.customers.models import Account, Alignment
from rumbo.customers.services import create_account, move_account, update_account
from rumbo.imports import values as v
from rumbo.imports.countries import country
from rumbo.imports.kinds.base import Context, Field, Kind, Op, Option, Record, duplicates, fail
from rumbo.territories.models import Territory

STATUSES = {
    "active": "active", "activo": "active", "activa": "active", "a": "active",
    "inactive": "inactive", "inactivo": "inactive", "inactiva": "inactive", "i": "inactive",
    "baja": "inactive", "prospect": "prospect", "prospecto": "prospect", "p": "prospect",
}  # fmt: skip
COORDINATE_TOLERANCE = 1e-7
# Account fields copied as they are from the row to the services.
PLAIN = (
    "legal_name", "trade_name", "address", "country", "city", "status", "credit_limit",
    "phone", "email", "opened_on", "closed_on",
)  # fmt: skip


class Accounts(Kind):
    code = "accounts"
    label = gettext_lazy("Accounts")
    fields = (
        Field("external_code", gettext_lazy("External code"), v.text(40), required=True,
              synonyms=("codigo", "cod cliente", "codigo cliente", "customer id", "customer code",
                        "id cliente", "account code")),
        Field("legal_name", gettext_lazy("Legal name"), v.text(200),
              synonyms=("razon social", "company name", "nombre", "name", "cliente")),
        Field("trade_name", gettext_lazy("Trade name"), v.text(200),
              synonyms=("nombre comercial", "store name")),
        Field("tax_id", gettext_lazy("RUC / DNI"), v.tax_id,
              synonyms=("ruc", "dni", "documento", "nro documento", "numero de documento")),
        Field("channel", gettext_lazy("Channel"), v.text(80),
              synonyms=("canal", "giro", "tipo de cliente", "business type")),
        Field("address", gettext_lazy("Address"), v.text(250), synonyms=("direccion",)),
        Field("city", gettext_lazy("City"), v.text(100), synonyms=("ciudad",)),
        Field("country", gettext_lazy("Country"), country,
              synonyms=("pais", "country code", "country region", "country_region")),
        Field("ubigeo", gettext_lazy("Ubigeo"), v.ubigeo, synonyms=("cod ubigeo",)),
        Field("lat", gettext_lazy("Latitude"), v.coordinate(90), synonyms=("lat", "latitud")),
        Field("lon", gettext_lazy("Longitude"), v.coordinate(180),
              synonyms=("lon", "lng", "long", "longitud")),
        Field("territory", gettext_lazy("Territory"), v.text(40),
              synonyms=("territorio", "codigo territorio", "ruta", "zona", "territory code")),
        Field("status", gettext_lazy("Status"),
              v.choice(STATUSES, gettext_lazy("active, inactive, prospect")), synonyms=("estado",)),
        Field("credit_limit", gettext_lazy("Credit limit"), v.money,
              synonyms=("limite de credito", "linea de credito")),
        Field("phone", gettext_lazy("Phone"), v.text(30), synonyms=("telefono", "celular")),
        Field("email", gettext_lazy("Email"), v.email, synonyms=("correo", "e-mail")),
        Field("opened_on", gettext_lazy("Customer since"), v.date,
              synonyms=("cliente desde", "fecha de alta")),
        Field("closed_on", gettext_lazy("Lost on"), v.date, synonyms=("fecha de baja",)),
    )  # fmt: skip
    layout_help = gettext_lazy(
        "One row per account. Accounts in Peru need their ubigeo; accounts abroad their country "
        "(and coordinates, if known). Territory changes take effect on the date of the option "
        "“valid_from” (today if empty)."
    )

    options = (
        Option("valid_from", gettext_lazy("Territory changes take effect on"),
               gettext_lazy("A date; today when empty.")),
    )  # fmt: skip

    def plan(self, records: list[Record], ctx: Context) -> list[Op]:
        repeated = duplicates(records, lambda r: r.get("external_code"), "external_code", ctx)
        existing = ctx.refs.accounts(
            r.values["external_code"] for r in records if "external_code" in r
        )
        valid_from = ctx.option("valid_from", v.date, timezone.localdate())
        ops = []
        for record in records:
            account = existing.get(record.get("external_code"))
            op = self.plan_row(record, account, valid_from, ctx)
            if op is not None and record.row not in repeated:
                ops.append(op)
        return ops

    def plan_row(
        self, record: Record, account: Account | None, valid_from: dt.date, ctx: Context
    ) -> Op | None:
        if account is not None and not ctx.territory_in_scope(account.territory_id):
            ctx.error(record, "external_code", _("this account is not in your territories."))
            return None
        wanted = self.wanted(record, account, ctx)
        territory = self.territory(record, account, ctx)
        coords = self.coordinates(record, ctx)
        if account is None:
            if ctx.require(record, ("legal_name", "channel"), self.by_name):
                return self.create(record, wanted, territory, coords, valid_from, ctx)
            return None
        if record.failed:
            return None
        return self.update(record, account, wanted, territory, coords, valid_from, ctx)

    def wanted(self, record: Record, account: Account | None, ctx: Context) -> dict[str, Any]:
        """The account fields this row sets (only those it has a value for)."""
        wanted = {name: record.values[name] for name in PLAIN if name in record}
        if "tax_id" in record:
            wanted["tax_id_type"], wanted["tax_id"] = record.values["tax_id"]
        if "channel" in record:
            channel = ctx.refs.channel(record.values["channel"])
            if channel is None:
                message = _("no channel is called '%(v)s'.") % {"v": record.values["channel"]}
                fail(record, "channel", message, ctx)
            else:
                wanted["channel"] = channel
        land = wanted.get("country") or (account.country if account else "PE")
        wanted["country"] = land
        if "ubigeo" in record:
            ubigeo = record.values["ubigeo"]
            if land != "PE":
                fail(record, "ubigeo", _("an account outside Peru has no ubigeo."), ctx)
            elif ubigeo not in ctx.refs.ubigeos:
                fail(
                    record, "ubigeo", _("no district has the ubigeo '%(v)s'.") % {"v": ubigeo}, ctx
                )
            else:
                wanted["distrito"] = ctx.refs.distrito(ubigeo)
        elif land == "PE" and (account is None or account.distrito_id is None):
            fail(record, "ubigeo", _("an account in Peru needs its ubigeo."), ctx)
        elif land != "PE" and account is not None and account.distrito_id is not None:
            wanted["distrito"] = None
        opened = wanted.get("opened_on", account.opened_on if account else None)
        closed = wanted.get("closed_on", account.closed_on if account else None)
        if opened and closed and closed < opened:
            fail(record, "closed_on", _("an account cannot be lost before it was opened."), ctx)
        return wanted

    def territory(self, record: Record, account: Account | None, ctx: Context) -> Territory | None:
        """The territory the row puts the account in (None: the row does not say)."""
        code = record.get("territory")
        if code is None:
            if account is None and ctx.scope.territory_ids is not None:
                fail(record, "territory", _("put the account in one of your territories."), ctx)
            return None
        territory = ctx.refs.territories.get(code)
        if territory is None:
            fail(record, "territory", _("no territory has the code '%(v)s'.") % {"v": code}, ctx)
        elif not ctx.territory_in_scope(territory.pk):
            fail(record, "territory", _("territory '%(v)s' is not yours.") % {"v": code}, ctx)
            territory = None
        return territory

    def coordinates(self, record: Record, ctx: Context) -> tuple[float, float] | None:
        """The row's latitude and longitude, both or neither (then None)."""
        lat, lon = record.get("lat"), record.get("lon")
        if (lat is None) != (lon is None):
            missing = "lon" if lon is None else "lat"
            if missing not in record.failed:
                fail(record, missing, _("give both latitude and longitude, or neither."), ctx)
            return None
        if lat is None:
            return None
        return (lat, lon)

    def create(
        self, record: Record, wanted: dict[str, Any], territory: Territory | None,
        coords: tuple[float, float] | None, valid_from: dt.date, ctx: Context,
    ) -> Op:  # fmt: skip
        lat, lon = coords or (None, None)

        def run() -> Account:
            return create_account(
                organisation=ctx.organisation, actor=ctx.actor, lat=lat, lon=lon,
                territory=territory, valid_from=valid_from,
                external_code=record.values["external_code"], **wanted,
            )  # fmt: skip

        return Op(record.row, "create", run)

    def update(
        self, record: Record, account: Account, wanted: dict[str, Any],
        territory: Territory | None, coords: tuple[float, float] | None, valid_from: dt.date,
        ctx: Context,
    ) -> Op | None:  # fmt: skip
        diff = {k: val for k, val in wanted.items() if differs(account, k, val)}
        if coords is not None and not same_place(account, coords):
            diff["lat"], diff["lon"] = coords
        moves = territory is not None and territory.pk != account.territory_id
        if moves and not self.can_move(record, account, valid_from, ctx):
            return None
        if not diff and not moves:
            return Op(record.row, "unchanged")

        def run() -> Account:
            updated = account
            if diff:
                updated = update_account(account=account, actor=ctx.actor, **diff)
            if moves:
                updated = move_account(
                    account=updated, territory=territory, valid_from=valid_from, actor=ctx.actor
                )
            return updated

        return Op(record.row, "update", run)

    def can_move(self, record: Record, account: Account, valid_from: dt.date, ctx: Context) -> bool:
        """move_account refuses a move dated on or before the account's last one: say so now."""
        last = (
            Alignment.objects.filter(account=account, valid_to__isnull=True)
            .order_by("-valid_from")
            .first()
        )
        if last is not None and last.valid_from >= valid_from:
            ctx.error(
                record, "territory",
                _("the account moved on %(d)s; set the option “valid_from” to a later date.")
                % {"d": last.valid_from},
            )  # fmt: skip
            return False
        return True


def differs(obj: Any, name: str, value: Any) -> bool:
    """Whether the object's field differs from `value` (related objects compared by key)."""
    field = obj._meta.get_field(name)
    if field.is_relation:
        current = getattr(obj, field.attname)
        return current != (value.pk if value is not None else None)
    return getattr(obj, name) != value


def same_place(account: Account, coords: tuple[float, float]) -> bool:
    lat, lon = coords
    return (
        account.location_precision == Account.LocationPrecision.EXACT
        and account.lat is not None
        and account.lon is not None
        and abs(account.lat - lat) < COORDINATE_TOLERANCE
        and abs(account.lon - lon) < COORDINATE_TOLERANCE
    )
