"""Factories and the named cast shared by every app's tests (see conftest.py).

The cast: Distribuidora Andina with an admin, manager `maria` (region Lima), reps `alicia`
(territory Lima Norte 1) and `bruno` (Lima Sur 1), viewer `vera` (marketing), a territory in the
Norte region outside maria's subtree, and an `outsider` organisation with its own admin and rep.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import factory

from rumbo.catalog.models import Category, PriceList, Product, Unit
from rumbo.core.models import Organisation, Role, Team, User
from rumbo.customers.models import Account, Channel
from rumbo.customers.services import create_account
from rumbo.geo.models import Distrito
from rumbo.orders.models import Order
from rumbo.orders.services import LineInput, create_order
from rumbo.team.models import Rep
from rumbo.territories.models import AssignmentRole, Level, Territory
from rumbo.territories.services import assign, create_territory

PASSWORD = "clave-secreta-123"
START = dt.date(2024, 1, 1)


class OrganisationFactory(factory.django.DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Empresa {n} S.A.C.")
    slug = factory.Sequence(lambda n: f"empresa-{n}")


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.LazyAttribute(lambda u: u.username.capitalize())
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.REP
    team = Team.SALES
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            obj.save()


def person(username: str, first_name: str, org: Organisation, role: str, **fields: Any) -> User:
    return UserFactory.create(
        username=username, first_name=first_name, organisation=org, role=role, **fields
    )


def make_territory(
    org: Organisation, code: str, name: str, level: str, parent: Territory | None = None
) -> Territory:
    return create_territory(organisation=org, code=code, name=name, level=level, parent=parent)


def make_rep(user: User, distrito: str = "150101") -> Rep:
    d = Distrito.objects.get(pk=distrito)
    return Rep.objects.create(
        organisation=user.organisation,
        user=user,
        code=f"R-{user.username}",
        home_distrito=d,
        home_lat=d.lat,
        home_lon=d.lon,
    )


def make_catalog(org: Organisation) -> dict[str, Any]:
    unit = Unit.objects.create(organisation=org, code="UND", name="Unidad")
    drinks = Category.objects.create(organisation=org, code="BEB", name="Bebidas")
    snacks = Category.objects.create(organisation=org, code="SNK", name="Snacks")
    cola = Product.objects.create(
        organisation=org,
        sku="BEB-001",
        name="Gaseosa cola 500 ml",
        category=drinks,
        unit=unit,
        list_price=Decimal("2.0000"),
        cost=Decimal("1.2000"),
    )
    chips = Product.objects.create(
        organisation=org,
        sku="SNK-001",
        name="Papas fritas 40 g",
        category=snacks,
        unit=unit,
        list_price=Decimal("1.5000"),
        cost=Decimal("0.8000"),
    )
    return {"unit": unit, "drinks": drinks, "snacks": snacks, "cola": cola, "chips": chips}


def make_account(
    org: Organisation,
    channel: Channel,
    territory: Territory | None,
    name: str,
    distrito: str = "150101",
    code: str = "",
    **fields: Any,
) -> Account:
    return create_account(
        organisation=org,
        legal_name=f"{name} E.I.R.L.",
        trade_name=name,
        channel=channel,
        distrito=Distrito.objects.get(pk=distrito),
        territory=territory,
        external_code=code,
        valid_from=START,
        **fields,
    )


def make_order(
    account: Account, product: Product, quantity: str = "10", on: dt.date | None = None
) -> Order:
    return create_order(
        account=account,
        lines=[LineInput(product=product, quantity=Decimal(quantity))],
        actor=None,
        ordered_on=on or dt.date(2024, 6, 15),
    )


@dataclass
class Cast:
    org: Organisation
    admin: User
    maria: User
    alicia: User
    bruno: User
    vera: User
    outsider: Organisation
    otto: User
    olga: User
    territories: dict[str, Territory] = field(default_factory=dict)
    accounts: dict[str, Account] = field(default_factory=dict)
    orders: dict[str, Order] = field(default_factory=dict)
    catalog: dict[str, Any] = field(default_factory=dict)
    channel: Channel | None = None

    def users(self) -> dict[str, User]:
        return {
            n: getattr(self, n)
            for n in ("admin", "maria", "alicia", "bruno", "vera", "otto", "olga")
        }


def build_cast() -> Cast:
    org = OrganisationFactory.create(name="Distribuidora Andina S.A.C.", slug="andina")
    outsider = OrganisationFactory.create(name="Comercial Otra S.A.", slug="otra")
    cast = Cast(
        org=org,
        admin=person("admin", "Ada", org, Role.ADMIN, is_staff=True),
        maria=person("maria", "María", org, Role.MANAGER),
        alicia=person("alicia", "Alicia", org, Role.REP),
        bruno=person("bruno", "Bruno", org, Role.REP),
        vera=person("vera", "Vera", org, Role.VIEWER, team=Team.MARKETING),
        outsider=outsider,
        otto=person("otto", "Otto", outsider, Role.ADMIN),
        olga=person("olga", "Olga", outsider, Role.REP),
    )
    for rep in (cast.alicia, cast.bruno):
        rep.manager = cast.maria
        rep.save(update_fields=["manager"])
        make_rep(rep)
    make_rep(cast.olga)
    t = cast.territories
    t["pe"] = make_territory(org, "PE", "Perú", Level.COUNTRY)
    t["lima"] = make_territory(org, "LIM", "Lima", Level.REGION, t["pe"])
    t["norte"] = make_territory(org, "NOR", "Norte", Level.REGION, t["pe"])
    t["lima_norte"] = make_territory(org, "LN", "Lima Norte", Level.ZONE, t["lima"])
    t["lima_sur"] = make_territory(org, "LS", "Lima Sur", Level.ZONE, t["lima"])
    t["ln1"] = make_territory(org, "LN1", "Lima Norte 1", Level.TERRITORY, t["lima_norte"])
    t["ls1"] = make_territory(org, "LS1", "Lima Sur 1", Level.TERRITORY, t["lima_sur"])
    t["trujillo"] = make_territory(org, "TRU", "Trujillo", Level.TERRITORY, t["norte"])
    t["other"] = make_territory(outsider, "X1", "Otra zona", Level.TERRITORY)
    assign(territory=t["lima"], user=cast.maria, role=AssignmentRole.MANAGER, valid_from=START)
    assign(territory=t["ln1"], user=cast.alicia, valid_from=START)
    assign(territory=t["ls1"], user=cast.bruno, valid_from=START)
    assign(territory=t["other"], user=cast.olga, valid_from=START)

    cast.channel = Channel.objects.create(organisation=org, code="bodega", name="Bodega")
    other_channel = Channel.objects.create(organisation=outsider, code="bodega", name="Bodega")
    cast.catalog = make_catalog(org)
    other_catalog = make_catalog(outsider)
    PriceList.objects.create(organisation=org, code="BOD", name="Bodegas", channel=cast.channel)
    a = cast.accounts
    a["alicia_1"] = make_account(org, cast.channel, t["ln1"], "Bodega Rosita", "150135", "C001")
    a["alicia_2"] = make_account(org, cast.channel, t["ln1"], "Minimarket El Sol", "150135", "C002")
    a["bruno_1"] = make_account(org, cast.channel, t["ls1"], "Bodega Don Lucho", "150143", "C003")
    a["bruno_2"] = make_account(org, cast.channel, t["ls1"], "Market Surco", "150140", "C004")
    a["trujillo_1"] = make_account(
        org, cast.channel, t["trujillo"], "Bodega Trujillana", "130101", "C005"
    )
    a["other_1"] = make_account(
        outsider, other_channel, t["other"], "Tienda Ajena", "150101", "Z001"
    )
    for key, account in a.items():
        product = other_catalog["cola"] if key == "other_1" else cast.catalog["cola"]
        cast.orders[key] = make_order(account, product)
    return cast
