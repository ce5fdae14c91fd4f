"""Import of marketing campaigns (upsert by code), and of the touches a sending platform made
(one row per account reached), through the interactions services.

A campaign's audience is given by customer channel codes, territory codes and ubigeo codes,
each a comma-separated list (empty: all). Touches become campaign interactions on the
accounts' timelines; a touch already recorded is left as it is.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rumbo.imports import values as v
from rumbo.imports.kinds.base import Context, Field, Kind, Op, Record, changed, duplicates, fail
from rumbo.imports.kinds.refs import in_chunks
from rumbo.interactions import campaigns as services
from rumbo.interactions.models import Campaign, CampaignTouch

MEDIA = {
    "phone": "phone", "telefono": "phone", "llamada": "phone", "email": "email",
    "correo": "email", "mailing": "email", "visit": "visit", "visita": "visit",
    "whatsapp": "whatsapp", "sms": "sms",
}  # fmt: skip
PLAIN = ("name", "message", "medium", "starts_on", "ends_on", "include_inactive",
         "exclude_contacted_days", "respect_policy")  # fmt: skip


def codes(raw: Any) -> list[str]:
    """'bodega, minimarket' → ['bodega', 'minimarket']."""
    return [c.strip() for c in v.shown(raw).replace(";", ",").split(",") if c.strip()]


def days(raw: Any) -> int:
    value = v.integer(raw)
    if not 0 <= value <= 365:
        raise v.CellError(
            _("'%(value)s' is not a number of days (0 to 365).") % {"value": v.shown(raw)}
        )
    return value


class Campaigns(Kind):
    code = "campaigns"
    label = gettext_lazy("Campaigns")
    fields = (
        Field("code", gettext_lazy("Campaign code"), v.text(40), required=True,
              synonyms=("codigo", "campana", "campaign", "campaign id")),
        Field("name", gettext_lazy("Name"), v.text(150), synonyms=("nombre", "campaign name")),
        Field("medium", gettext_lazy("Channel of contact"),
              v.choice(MEDIA, gettext_lazy("phone, email, visit, whatsapp, sms")),
              synonyms=("medio", "canal de contacto", "via")),
        Field("starts_on", gettext_lazy("Starts on"), v.date,
              synonyms=("inicio", "desde", "start")),
        Field("ends_on", gettext_lazy("Ends on"), v.date, synonyms=("fin", "hasta", "end")),
        Field("message", gettext_lazy("Message"), v.text(4000), synonyms=("mensaje", "texto")),
        Field("channels", gettext_lazy("Customer channels (codes)"), codes,
              synonyms=("canales", "canal", "giros")),
        Field("territories", gettext_lazy("Territories (codes)"), codes,
              synonyms=("territorios", "zonas")),
        Field("places", gettext_lazy("Places (ubigeo codes)"), codes,
              synonyms=("ubigeos", "lugares", "distritos")),
        Field("include_inactive", gettext_lazy("Include inactive accounts"), v.boolean,
              synonyms=("incluir inactivos",)),
        Field("exclude_contacted_days",
              gettext_lazy("Leave out accounts contacted in the last … days"), days,
              synonyms=("excluir contactados dias",)),
        Field("respect_policy", gettext_lazy("Respect the contact policy"), v.boolean,
              synonyms=("respetar politica",)),
    )  # fmt: skip
    layout_help = gettext_lazy(
        "One row per campaign, found again by its code. A new campaign needs its name, channel "
        "of contact and dates. Build its audience on the campaign's page once imported."
    )

    def plan(self, records: list[Record], ctx: Context) -> list[Op]:
        repeated = duplicates(records, lambda r: r.get("code"), "code", ctx)
        existing = {
            c.code: c
            for c in in_chunks(Campaign.objects.filter(organisation=ctx.organisation), "code",
                               [r.values["code"] for r in records if "code" in r])
        }  # fmt: skip
        ops = []
        for record in records:
            op = self.plan_row(record, existing.get(record.get("code")), ctx)
            if op is not None and record.row not in repeated:
                ops.append(op)
        return ops

    def audience(self, record: Record, ctx: Context) -> dict[str, Any]:
        found: dict[str, Any] = {}
        if "channels" in record:
            found["channels"] = [self.ref(record, "channels", c, ctx.refs.channel(c), ctx)
                                 for c in record.values["channels"]]  # fmt: skip
        if "territories" in record:
            found["territories"] = []
            for code in record.values["territories"]:
                territory = self.ref(
                    record, "territories", code, ctx.refs.territories.get(code), ctx
                )
                if territory is not None and not ctx.territory_in_scope(territory.pk):
                    fail(
                        record,
                        "territories",
                        _("territory '%(v)s' is not yours.") % {"v": code},
                        ctx,
                    )
                found["territories"].append(territory)
        if "places" in record:
            found["audience_ubigeos"] = record.values["places"]
        return found

    def ref(self, record: Record, name: str, code: str, row: Any, ctx: Context) -> Any:
        if row is None:
            fail(record, name, _("nothing has the code '%(v)s'.") % {"v": code}, ctx)
        return row

    def plan_row(self, record: Record, campaign: Campaign | None, ctx: Context) -> Op | None:
        audience = self.audience(record, ctx)
        wanted = {name: record.values[name] for name in PLAIN if name in record}
        if campaign is None:
            if not ctx.require(record, ("name", "medium", "starts_on", "ends_on"), self.by_name):
                return None
        elif campaign.status not in services.EDITABLE and (wanted or audience):
            fail(record, "code", _("this campaign is closed; it cannot change."), ctx)
        if record.failed:
            return None
        if campaign is None:

            def create() -> Campaign:
                return services.create_campaign(
                    organisation=ctx.organisation, actor=ctx.actor, code=record.values["code"],
                    **wanted, **audience,
                )  # fmt: skip

            return Op(record.row, "create", create)
        diff = changed(campaign, wanted)
        if not diff and not self.audience_differs(campaign, audience):
            return Op(record.row, "unchanged")

        def update() -> Campaign:
            return services.update_campaign(campaign=campaign, actor=ctx.actor, **diff, **audience)

        return Op(record.row, "update", update)

    def audience_differs(self, campaign: Campaign, audience: dict[str, Any]) -> bool:
        now = {
            "channels": {c.pk for c in campaign.audience_channels.all()},
            "territories": {t.pk for t in campaign.audience_territories.all()},
            "audience_ubigeos": set(campaign.audience_ubigeos),
        }
        for name, rows in audience.items():
            given = set(rows) if name == "audience_ubigeos" else {r.pk for r in rows}
            if given != now[name]:
                return True
        return False


class CampaignTouches(Kind):
    code = "campaign_touches"
    label = gettext_lazy("Campaign touches")
    fields = (
        Field("campaign", gettext_lazy("Campaign code"), v.text(40), required=True,
              synonyms=("campana", "codigo campana", "campaign")),
        Field("account", gettext_lazy("Account (external code)"), v.text(40), required=True,
              synonyms=("cuenta", "cliente", "codigo cliente", "customer id")),
        Field("day", gettext_lazy("Date"), v.date, required=True,
              synonyms=("fecha", "enviado", "sent", "date")),
    )  # fmt: skip
    layout_help = gettext_lazy(
        "One row per account reached (e.g. the sending platform's log). Each becomes a "
        "campaign touch on the account's timeline; one already recorded is left as it is."
    )

    def plan(self, records: list[Record], ctx: Context) -> list[Op]:
        key = lambda r: (r.get("campaign"), r.get("account"))  # noqa: E731
        repeated = duplicates(records, key, "account", ctx)
        found = {
            c.code: c
            for c in Campaign.objects.filter(organisation=ctx.organisation).exclude(code="")
        }
        accounts = ctx.refs.accounts(r.values["account"] for r in records if "account" in r)
        done = set(
            CampaignTouch.objects.filter(campaign__in=found.values(), status="done").values_list(
                "campaign__code", "account__external_code"
            )
        )
        ops = []
        for record in records:
            campaign = found.get(record.get("campaign"))
            account = accounts.get(record.get("account"))
            self.check(record, campaign, account, ctx)
            if record.failed or record.row in repeated or campaign is None or account is None:
                continue
            if (campaign.code, account.external_code) in done:
                ops.append(Op(record.row, "unchanged"))
                continue
            ops.append(Op(record.row, "create", self.maker(campaign, account, record, ctx)))
        return ops

    def check(self, record: Record, campaign: Any, account: Any, ctx: Context) -> None:
        if "campaign" in record and campaign is None:
            fail(
                record,
                "campaign",
                _("no campaign has the code '%(v)s'.") % {"v": record.values["campaign"]},
                ctx,
            )
        if "account" in record and account is None:
            fail(
                record,
                "account",
                _("no account has the code '%(v)s'.") % {"v": record.values["account"]},
                ctx,
            )
        elif account is not None and not ctx.territory_in_scope(account.territory_id):
            fail(record, "account", _("this account is not in your territories."), ctx)
        day = record.get("day")
        if day is not None and day > timezone.localdate():
            fail(record, "day", _("a touch is recorded once it happened."), ctx)

    def maker(self, campaign: Campaign, account: Any, record: Record, ctx: Context) -> Any:
        def run() -> CampaignTouch:
            return services.record_touch(campaign=campaign, account=account,
                                         day=record.values["day"], actor=ctx.actor)  # fmt: skip

        return run
