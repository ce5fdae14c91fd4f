"""The account rows themselves: names, tax ids, addresses, opening hours, credit, contacts,
and the alignment history row of each account, written in bulk."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np

from rumbo.core.models import Organisation
from rumbo.customers.models import Account, Alignment, Contact
from rumbo.demo import bulk, names
from rumbo.demo import catalog_data as data
from rumbo.demo.accounts import ACTIVE, INACTIVE, NEVER, PROSPECT, Accounts
from rumbo.demo.bulk import BulkWriter, Stamps, Text
from rumbo.demo.geography import Geography

STATUS = {
    PROSPECT: Account.Status.PROSPECT,
    ACTIVE: Account.Status.ACTIVE,
    INACTIVE: Account.Status.INACTIVE,
}
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# channel → (opens, closes, second shift or None, days open: 7 = every day, 6 = not Sunday)
HOURS = {
    "bodega": ("07:00", "22:00", None, 7),
    "minimarket": ("07:00", "23:00", None, 7),
    "mayorista": ("06:00", "18:00", None, 6),
    "farmacia": ("08:00", "22:00", None, 7),
    "restaurante": ("11:30", "16:30", ("18:30", "23:00"), 7),
    "panaderia": ("06:00", "12:00", ("16:00", "21:00"), 7),
    "ferreteria": ("08:00", "13:00", ("14:00", "19:00"), 6),
    "supermercado": ("08:00", "22:00", None, 7),
}
LIMA_OFFSET_S = 5 * 3600  # America/Lima is UTC-5 all year


def _shift(hhmm: str, minutes: int) -> str:
    h, m = map(int, hhmm.split(":"))
    total = min(max(h * 60 + m + minutes, 0), 23 * 60 + 59)
    return f"{total // 60:02d}:{total % 60:02d}"


def opening_hours(rng: np.random.Generator, channel: str) -> dict[str, list[list[str]]]:
    """Per weekday time ranges in the format of Account.opening_hours (validated in tests)."""
    opens, closes, second, days = HOURS[channel]
    early, late = int(rng.choice([-30, 0, 0, 30])), int(rng.choice([-60, 0, 0, 30]))
    first = [_shift(opens, early), _shift(closes, 0 if second else late)]
    ranges = [first] + ([[second[0], _shift(second[1], late)]] if second else [])
    week: dict[str, list[list[str]]] = {d: [list(r) for r in ranges] for d in DAYS[:6]}
    if days == 7:
        week["sun"] = [[first[0], _shift(first[0], 6 * 60)]] if rng.random() < 0.4 else ranges
    if channel == "restaurante" and rng.random() < 0.3:
        del week["mon"]
    return week


def _tax_id(rng: np.random.Generator, channel: str, owner_dni: str) -> tuple[str, str]:
    """(type, number): small bodegas often have only the owner's DNI; companies a 20-RUC."""
    roll = rng.random()
    company = {"mayorista": 0.8, "supermercado": 1.0, "minimarket": 0.4, "bodega": 0.0}
    if channel == "bodega" and roll < 0.45:
        return Account.TaxIdType.DNI, owner_dni
    if roll < company.get(channel, 0.45) or (channel == "bodega" and roll > 0.97):
        return Account.TaxIdType.RUC, names.ruc_company(rng)
    return Account.TaxIdType.RUC, names.ruc_person(owner_dni)


def _credit(rng: np.random.Generator, size: float, channel: str, cash_only: bool) -> str:
    if cash_only:
        return "0.00"
    factor = {"mayorista": 1.5, "supermercado": 1.8, "bodega": 0.6}.get(channel, 1.0)
    return f"{round(size * factor * rng.uniform(0.8, 1.5), -2):.2f}"


def _stamp(days: np.ndarray, rng: np.random.Generator) -> Stamps:
    unix = (days - dt.date(1970, 1, 1).toordinal()) * 86400
    return Stamps(unix + LIMA_OFFSET_S + rng.integers(9 * 3600, 18 * 3600, len(days)))


def _texts(
    rng: np.random.Generator, acc: Accounts, geo: Geography
) -> tuple[dict[str, list[str]], list[names.Person]]:
    """Names, tax ids, addresses, hours, credit, phone and e-mail of every account."""
    codes = [c[0] for c in data.CHANNELS]
    fields = ("legal_name", "trade_name", "tax_id_type", "tax_id", "address", "hours", "credit",
              "phone", "email")  # fmt: skip
    cols: dict[str, list[str]] = {k: [] for k in fields}
    owners = []
    for a in range(acc.n):
        channel, town = codes[acc.channel[a]], geo.name[acc.district[a]]
        owner = names.person(rng)
        owners.append(owner)
        kind, number = _tax_id(rng, channel, names.dni(rng))
        trade = names.shop_name(rng, channel, owner, town)
        company = number.startswith("20")
        cols["legal_name"].append(names.company_name(rng, trade, owner) if company else owner.full)
        cols["trade_name"].append(trade)
        cols["tax_id_type"].append(kind)
        cols["tax_id"].append(number)
        cols["address"].append(names.address(rng, town))
        cols["hours"].append(json.dumps(opening_hours(rng, channel)))
        cols["credit"].append(_credit(rng, acc.size[a], channel, kind == "dni"))
        cols["phone"].append(names.phone(rng))
        email = f"compras{a + 1}@{names.ascii_slug(trade)[:24]}.example" if company else ""
        cols["email"].append(email)
    return cols, owners


def write_accounts(
    writer: BulkWriter,
    org: Organisation,
    rng: np.random.Generator,
    acc: Accounts,
    geo: Geography,
    territory_ids: np.ndarray,
    channel_ids: np.ndarray,
) -> list[str]:
    """Insert the accounts, their contacts and alignments; returns the trade names."""
    first_id = writer.next_id(Account)
    acc.ids = np.arange(first_id, first_id + acc.n)
    cols, owners = _texts(rng, acc, geo)
    customer = acc.status != PROSPECT
    created = _stamp(acc.open_day, rng)
    writer.write(
        Account,
        acc.n,
        {
            "id": bulk.ints(acc.ids),
            "organisation": str(org.pk),
            "external_code": Text([f"C{a + 1:06d}" for a in range(acc.n)]),
            "legal_name": Text(cols["legal_name"]),
            "trade_name": Text(cols["trade_name"]),
            "tax_id_type": Text(cols["tax_id_type"]),
            "tax_id": Text(cols["tax_id"]),
            "channel": bulk.ints(channel_ids[acc.channel]),
            "address": Text(cols["address"]),
            "distrito": Text([geo.ubigeo[d] for d in acc.district]),
            "lat": np.round(acc.lat, 6).astype(bulk.STR),
            "lon": np.round(acc.lon, 6).astype(bulk.STR),
            "location_precision": Account.LocationPrecision.EXACT,
            "opening_hours": Text(cols["hours"]),
            "status": Text([STATUS[int(s)] for s in acc.status]),
            "credit_limit": np.array(cols["credit"], dtype=bulk.STR),
            "phone": Text(cols["phone"]),
            "email": Text(cols["email"]),
            "opened_on": bulk.nullable(bulk.dates(acc.open_day), ~customer),
            "closed_on": bulk.nullable(
                bulk.dates(np.minimum(acc.close_day, 10**6)), acc.close_day == NEVER
            ),
            "territory": bulk.ints(territory_ids[acc.territory]),
            "created_at": created,
        },
    )
    first_alignment = writer.next_id(Alignment)
    writer.write(
        Alignment,
        acc.n,
        {
            "id": bulk.ints(np.arange(first_alignment, first_alignment + acc.n)),
            "account": bulk.ints(acc.ids),
            "territory": bulk.ints(territory_ids[acc.territory]),
            "valid_from": bulk.dates(acc.open_day),
            "valid_to": None,
            "created_by": None,
            "created_at": created,
        },
    )
    _write_contacts(writer, rng, acc, owners)
    return cols["trade_name"]


EXTRA_CONTACTS = {"mayorista": 3, "supermercado": 4, "bodega": 1}  # at most, besides the owner


def _write_contacts(
    writer: BulkWriter,
    rng: np.random.Generator,
    acc: Accounts,
    owners: list[names.Person],
) -> None:
    """The owner is the main contact; bigger shops have a buyer, a cashier, …"""
    codes = [c[0] for c in data.CHANNELS]
    account, name, position, phone, email, primary = [], [], [], [], [], []
    for a in range(acc.n):
        extra = int(rng.integers(0, EXTRA_CONTACTS.get(codes[acc.channel[a]], 2)))
        people = [owners[a]] + [names.person(rng) for _ in range(extra)]
        for k, p in enumerate(people):
            account.append(acc.ids[a])
            name.append(p.full)
            if k == 0:
                position.append(names.POSITIONS_OWNER[1 if p.female else 0])
            else:
                position.append(names.pick(rng, names.POSITIONS_STAFF))
            phone.append(names.phone(rng))
            slug = names.ascii_slug(p.first) + "." + names.ascii_slug(p.last.split()[0])
            email.append(f"{slug}@correo.example" if rng.random() < 0.4 else "")
            primary.append(k == 0)
    first = writer.next_id(Contact)
    writer.write(
        Contact,
        len(account),
        {
            "id": bulk.ints(np.arange(first, first + len(account))),
            "account": bulk.ints(np.array(account)),
            "name": Text(name),
            "position": Text(position),
            "phone": Text(phone),
            "email": Text(email),
            "is_primary": bulk.bools(np.array(primary)),
            "external_code": "",
        },
    )
