"""A month of sales for the cast, against the same month a year earlier, with targets and
visits, small enough to check every figure by hand (see `sales`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.http import QueryDict

from rumbo.core.models import User
from rumbo.interactions.models import Interaction
from rumbo.orders.services import LineInput, create_order
from rumbo.reports import rollups
from rumbo.reports.context import Context, build
from rumbo.reports.periods import Period, parse_period
from rumbo.targets.services import set_target
from rumbo.testing import Cast

MAY = dt.date(2024, 5, 1)
TODAY = dt.date(2024, 6, 20)


def sell(
    cast: Cast, key: str, on: dt.date, cola: int = 0, chips: int = 0, rep: User | None = None
) -> None:
    """One order of the account: cola at 2.00 and chips at 1.50 (without IGV), credited to
    `rep`, else to the cast's rep of the account (alicia's, bruno's; Trujillo has none)."""
    owner = {"alicia": cast.alicia, "bruno": cast.bruno}.get(key.split("_")[0])
    lines = []
    if cola:
        lines.append(LineInput(product=cast.catalog["cola"], quantity=Decimal(cola)))
    if chips:
        lines.append(LineInput(product=cast.catalog["chips"], quantity=Decimal(chips)))
    create_order(
        account=cast.accounts[key], lines=lines, actor=None, ordered_on=on, rep=rep or owner
    )


def target(cast: Cast, value: str, month: dt.date = MAY, **owner: object) -> None:
    set_target(organisation=cast.org, month=month, measure="amount", value=Decimal(value),
               **owner)  # type: ignore[arg-type]  # fmt: skip


def visit(cast: Cast, key: str, by: User, on: dt.date) -> None:
    Interaction.objects.create(
        organisation=cast.org, account=cast.accounts[key], kind="visit", team="sales", user=by,
        occurred_at=dt.datetime(on.year, on.month, on.day, 10, tzinfo=dt.UTC),
    )  # fmt: skip


@dataclass
class Sales:
    cast: Cast


@pytest.fixture
def sales(cast: Cast) -> Sales:
    """May 2024 against May 2023 (and April 2024), in S/ without IGV:

    - Lima Norte 1 (alicia): Bodega Rosita 100 → 150 (growing), Minimarket El Sol 80 → 0 (lost);
    - Lima Sur 1 (bruno): Bodega Don Lucho 60 → 70 (40 cola + 30 chips, one order),
      Market Surco 0 → 50 (new);
    - Trujillo (Norte): Bodega Trujillana 200 → 220; Rosita bought 90 in April 2024.
    Targets for May 2024: Lima Norte 1 200, Lima Sur 1 120, Trujillo 250, Perú 600 (set; its
    regions only add up to 570), alicia 180, bruno 130. Visits in May 2024: Rosita (alicia),
    Don Lucho (bruno)."""
    last_year = dt.date(2023, 5, 10)
    now = dt.date(2024, 5, 10)
    sell(cast, "alicia_1", last_year, cola=50)
    sell(cast, "alicia_2", last_year, cola=40)
    sell(cast, "bruno_1", last_year, cola=30)
    sell(cast, "trujillo_1", last_year, cola=100)
    sell(cast, "alicia_1", now, cola=75)
    sell(cast, "bruno_1", now, cola=20, chips=20)
    sell(cast, "bruno_2", now, cola=25)
    sell(cast, "trujillo_1", now, cola=110)
    sell(cast, "alicia_1", dt.date(2024, 4, 8), cola=45)
    t = cast.territories
    target(cast, "200", territory=t["ln1"])
    target(cast, "120", territory=t["ls1"])
    target(cast, "250", territory=t["trujillo"])
    target(cast, "600", territory=t["pe"])
    target(cast, "180", rep=cast.alicia)
    target(cast, "130", rep=cast.bruno)
    visit(cast, "alicia_1", cast.alicia, now)
    visit(cast, "bruno_1", cast.bruno, now)
    return Sales(cast)


def context_for(user: User, query: str = "period=2024-05", **kwargs: object) -> Context:
    return build(user, QueryDict(query), today=TODAY, **kwargs)  # type: ignore[arg-type]


def credit(cast: Cast, key: str, on: dt.date, territory: str, cola: int = 10) -> None:
    """An order of the account credited to another territory than its own."""
    create_order(
        account=cast.accounts[key],
        lines=[LineInput(product=cast.catalog["cola"], quantity=Decimal(cola))],
        actor=None, ordered_on=on, territory=cast.territories[territory],
    )  # fmt: skip


@pytest.fixture
def moved(sales: Sales) -> Sales:
    """The cast's sales (each account also bought on 15 June 2024), and: Market Surco bought
    in May 2024 through Lima Norte 1 too (two territories that year), Bodega Don Lucho in
    December 2023 through Trujillo (two in 2023), and Minimarket El Sol, of Lima Norte 1 until
    2024, only through Trujillo in 2025 (one territory each year, not the same)."""
    cast = sales.cast
    credit(cast, "bruno_2", dt.date(2024, 5, 12), "ln1")
    credit(cast, "bruno_1", dt.date(2023, 12, 5), "trujillo")
    credit(cast, "alicia_2", dt.date(2025, 3, 3), "trujillo")
    rollups.rebuild(organisation_id=cast.org.pk)
    return sales


def periods_of(text: str) -> dict[str, Period]:
    now = parse_period(text)
    return {"now": now, "previous": now.previous(), "last_year": now.last_year()}


def subtree(cast: Cast, key: str) -> list[int]:
    path = cast.territories[key].path
    return [t.pk for t in cast.territories.values() if t.path.startswith(path)]
