"""Import of prospects (upsert by external code) through the prospects services; each row
written is scored (the organisation's white-space model is read once per import)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rumbo.imports import values as v
from rumbo.imports.kinds.base import Context, Field, Kind, Op, Record, changed, duplicates, fail
from rumbo.imports.kinds.refs import in_chunks
from rumbo.prospects.models import Prospect
from rumbo.prospects.scoring import Scorer, score_prospects
from rumbo.prospects.services import create_prospect, update_prospect

SOURCES = {
    "field": "field", "campo": "field", "calle": "field", "referral": "referral",
    "referido": "referral", "recomendacion": "referral", "inbound": "inbound",
    "entrante": "inbound", "website": "website", "web": "website", "event": "event",
    "evento": "event", "feria": "event", "list": "list", "lista": "list", "directorio": "list",
    "whitespace": "white_space", "espacioblanco": "white_space", "other": "other", "otro": "other",
}  # fmt: skip
PLAIN = ("name", "contact_name", "phone", "email", "address", "source", "notes")


def tax_number(raw: Any) -> str:
    return v.tax_id(raw)[1]


class Prospects(Kind):
    code = "prospects"
    label = gettext_lazy("Prospects")
    fields = (
        Field("external_code", gettext_lazy("External code"), v.text(40), required=True,
              synonyms=("codigo", "lead id", "id")),
        Field("name", gettext_lazy("Business name"), v.text(200),
              synonyms=("nombre", "negocio", "razon social", "business", "company")),
        Field("contact_name", gettext_lazy("Contact person"), v.text(150),
              synonyms=("contacto", "persona de contacto", "contact")),
        Field("phone", gettext_lazy("Phone"), v.text(30), synonyms=("telefono", "celular")),
        Field("email", gettext_lazy("Email"), v.email, synonyms=("correo",)),
        Field("tax_id", gettext_lazy("RUC / DNI"), tax_number, synonyms=("ruc", "dni")),
        Field("address", gettext_lazy("Address"), v.text(250), synonyms=("direccion",)),
        Field("ubigeo", gettext_lazy("Ubigeo"), v.ubigeo, synonyms=("cod ubigeo", "distrito")),
        Field("lat", gettext_lazy("Latitude"), v.coordinate(90), synonyms=("lat", "latitud")),
        Field("lon", gettext_lazy("Longitude"), v.coordinate(180),
              synonyms=("lon", "lng", "longitud")),
        Field("channel", gettext_lazy("Channel"), v.text(80), synonyms=("canal", "giro")),
        Field("source", gettext_lazy("Source"),
              v.choice(SOURCES, gettext_lazy("field, referral, inbound, website, event, list, "
                                             "other")),
              synonyms=("origen", "fuente")),
        Field("owner", gettext_lazy("Owner (rep code or username)"), v.text(150),
              synonyms=("vendedor", "responsable", "asignado")),
        Field("territory", gettext_lazy("Territory"), v.text(40), synonyms=("territorio", "zona")),
        Field("notes", gettext_lazy("Notes"), v.text(4000), synonyms=("notas", "observaciones")),
    )  # fmt: skip
    layout_help = gettext_lazy(
        "One row per prospect, found again by its external code. A new one needs its name, "
        "ubigeo and channel; without coordinates it sits at its district's reference point."
    )

    def plan(self, records: list[Record], ctx: Context) -> list[Op]:
        repeated = duplicates(records, lambda r: r.get("external_code"), "external_code", ctx)
        existing = {
            p.external_code: p
            for p in in_chunks(Prospect.objects.filter(organisation=ctx.organisation),
                               "external_code",
                               [r.values["external_code"] for r in records if "external_code" in r])
        }  # fmt: skip
        ops = []
        for record in records:
            op = self.plan_row(record, existing.get(record.get("external_code")), ctx)
            if op is not None and record.row not in repeated:
                ops.append(op)
        return ops

    def references(self, record: Record, ctx: Context) -> dict[str, Any]:
        found: dict[str, Any] = {}
        if "ubigeo" in record:
            if record.values["ubigeo"] not in ctx.refs.ubigeos:
                fail(
                    record,
                    "ubigeo",
                    _("no district has the ubigeo '%(v)s'.") % {"v": record.values["ubigeo"]},
                    ctx,
                )
            else:
                found["distrito"] = ctx.refs.distrito(record.values["ubigeo"])
        if "channel" in record:
            found["channel"] = ctx.refs.channel(record.values["channel"])
            if found["channel"] is None:
                fail(
                    record,
                    "channel",
                    _("no channel is called '%(v)s'.") % {"v": record.values["channel"]},
                    ctx,
                )
        if "owner" in record:
            found["owner"] = ctx.refs.person(record.values["owner"])
            if found["owner"] is None or not ctx.user_in_scope(found["owner"].pk):
                fail(
                    record,
                    "owner",
                    _("'%(v)s' is not one of your reps.") % {"v": record.values["owner"]},
                    ctx,
                )
        if "territory" in record:
            found["territory"] = ctx.refs.territories.get(record.values["territory"])
            if found["territory"] is None or not ctx.territory_in_scope(found["territory"].pk):
                fail(
                    record,
                    "territory",
                    _("territory '%(v)s' is not yours.") % {"v": record.values["territory"]},
                    ctx,
                )
        return found

    def plan_row(self, record: Record, prospect: Prospect | None, ctx: Context) -> Op | None:
        refs = self.references(record, ctx)
        if prospect is None and not ctx.require(
            record, ("name", "ubigeo", "channel"), self.by_name
        ):
            return None
        if (record.get("lat") is None) != (record.get("lon") is None):
            fail(record, "lon", _("give both latitude and longitude, or neither."), ctx)
        if record.failed:
            return None
        wanted = {name: record.values[name] for name in PLAIN if name in record}
        if "tax_id" in record:
            wanted["tax_id"] = record.values["tax_id"]
        lat, lon = record.get("lat"), record.get("lon")
        if prospect is None:
            return Op(
                record.row, "create", lambda: self.create(record, wanted, refs, lat, lon, ctx)
            )
        diff = changed(prospect, {**wanted, **refs})
        moved = lat is not None and (prospect.lat, prospect.lon) != (lat, lon)
        if not diff and not moved:
            return Op(record.row, "unchanged")
        return Op(record.row, "update", lambda: self.update(prospect, diff, lat, lon, ctx))

    def scorer(self, ctx: Context) -> Scorer:
        if "scorer" not in ctx.state:
            ctx.state["scorer"] = Scorer(ctx.organisation.pk)
        return ctx.state["scorer"]

    def create(self, record: Record, wanted: dict[str, Any], refs: dict[str, Any], lat: Any,
               lon: Any, ctx: Context) -> Prospect:  # fmt: skip
        prospect = create_prospect(
            organisation=ctx.organisation, actor=ctx.actor, lat=lat, lon=lon, rescore=False,
            external_code=record.values["external_code"], **wanted, **refs,
        )  # fmt: skip
        score_prospects([prospect], self.scorer(ctx))
        return prospect

    def update(
        self, prospect: Prospect, diff: dict[str, Any], lat: Any, lon: Any, ctx: Context
    ) -> Prospect:
        people = {k: diff.pop(k) for k in ("owner", "territory") if k in diff}
        prospect = update_prospect(prospect=prospect, actor=ctx.actor, lat=lat, lon=lon,
                                   rescore=False, **people, **diff)  # fmt: skip
        score_prospects([prospect], self.scorer(ctx))
        return prospect
