"""Import of the contacts of accounts: upsert by (account, external code), else (account, name)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rumbo.customers.models import Account, Contact
from rumbo.customers.services import add_contact, update_contact
from rumbo.imports import values as v
from rumbo.imports.kinds.base import Context, Field, Kind, Op, Record, changed, duplicates, fail
from rumbo.imports.values import normalise

DETAILS = ("position", "phone", "email", "is_primary")


def contact_key(account_code: str, external_code: str, name: str) -> tuple[str, str]:
    return (account_code, f"#{external_code}" if external_code else normalise(name))


class Contacts(Kind):
    code = "contacts"
    label = gettext_lazy("Contacts")
    fields = (
        Field("account", gettext_lazy("Account (external code)"), v.text(40), required=True,
              synonyms=("account", "cuenta", "cliente", "codigo cliente", "customer id")),
        Field("name", gettext_lazy("Name"), v.text(150), required=True,
              synonyms=("nombre", "contacto", "contact name", "nombre contacto")),
        Field("position", gettext_lazy("Position"), v.text(100),
              synonyms=("cargo", "puesto", "contact title", "title")),
        Field("phone", gettext_lazy("Phone"), v.text(30), synonyms=("telefono", "celular")),
        Field("email", gettext_lazy("Email"), v.email, synonyms=("correo",)),
        Field("is_primary", gettext_lazy("Main contact"), v.boolean,
              synonyms=("principal", "contacto principal", "primary")),
        Field("external_code", gettext_lazy("External code"), v.text(40),
              synonyms=("codigo contacto", "contact id")),
    )  # fmt: skip
    layout_help = gettext_lazy(
        "One row per contact. A contact is found again by its external code, or else by its "
        "name, within its account."
    )

    def key(self, record: Record) -> tuple[str, str] | None:
        if "account" not in record or "name" not in record:
            return None
        return contact_key(
            record.values["account"], record.get("external_code", ""), record.values["name"]
        )

    def plan(self, records: list[Record], ctx: Context) -> list[Op]:
        repeated = duplicates(records, self.key, "name", ctx)
        duplicates(
            (r for r in records if r.get("is_primary")), lambda r: r.get("account"), "is_primary",
            ctx, _("row %(row)s already names the main contact of this account."),
        )  # fmt: skip
        accounts = ctx.refs.accounts(r.values["account"] for r in records if "account" in r)
        existing = {
            contact_key(c.account.external_code, c.external_code, c.name): c
            for c in Contact.objects.filter(account__in=accounts.values()).select_related("account")
        }
        ops = []
        for record in records:
            account = self.account(record, accounts, ctx)
            if account is None or record.failed or record.row in repeated:
                continue
            key = self.key(record)
            ops.append(self.plan_row(record, account, existing.get(key) if key else None, ctx))
        return ops

    def account(self, record: Record, accounts: dict[str, Account], ctx: Context) -> Account | None:
        code = record.get("account")
        if code is None:
            return None
        account = accounts.get(code)
        if account is None:
            fail(record, "account", _("no account has the code '%(v)s'.") % {"v": code}, ctx)
        elif not ctx.territory_in_scope(account.territory_id):
            fail(record, "account", _("this account is not in your territories."), ctx)
            return None
        return account

    def plan_row(
        self, record: Record, account: Account, contact: Contact | None, ctx: Context
    ) -> Op:
        wanted = {name: record.values[name] for name in DETAILS if name in record}
        if contact is None:
            fields = {"external_code": record.get("external_code", ""), **wanted}

            def create() -> Contact:
                return add_contact(
                    account=account, name=record.values["name"], actor=ctx.actor, **fields
                )

            return Op(record.row, "create", create)
        wanted["name"] = record.values["name"]
        diff = changed(contact, wanted)
        if not diff:
            return Op(record.row, "unchanged")
        return Op(
            record.row, "update", lambda: update_contact(contact=contact, actor=ctx.actor, **diff)
        )
