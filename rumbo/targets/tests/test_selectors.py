"""Targets roll up the territory tree unless set explicitly; who may change which."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from rumbo.targets.selectors import (
    EXPLICIT,
    MIXED,
    ROLLED_UP,
    period_target,
    target_grid,
    territory_targets,
)
from rumbo.targets.services import set_target
from rumbo.territories.models import Territory

pytestmark = pytest.mark.django_db
D = Decimal
JAN, FEB = dt.date(2025, 1, 1), dt.date(2025, 2, 1)


def put(cast, key: str, month: dt.date, value: str) -> None:
    set_target(organisation=cast.org, month=month, measure="amount", value=D(value),
               territory=cast.territories[key])  # fmt: skip


def test_a_parent_is_the_sum_of_its_children_unless_set_explicitly(cast):
    put(cast, "ln1", JAN, "100")
    put(cast, "ls1", JAN, "50")
    put(cast, "ls1", FEB, "60")
    put(cast, "lima_sur", FEB, "90")  # more than its territory's 60
    subtree = list(Territory.objects.filter(organisation=cast.org))
    found = territory_targets(subtree, [JAN, FEB], "amount", None)
    lima = found[cast.territories["lima"].pk]
    assert (lima[JAN].amount, lima[JAN].explicit) == (D("150"), False)
    assert (lima[FEB].amount, lima[FEB].explicit) == (D("90"), False)  # the zone's own 90
    assert found[cast.territories["lima_sur"].pk][FEB].explicit
    assert period_target(lima, [JAN, FEB]) == (D("240"), ROLLED_UP)
    assert period_target(found[cast.territories["ls1"].pk], [JAN, FEB]) == (D("110"), EXPLICIT)
    assert period_target(found[cast.territories["lima_sur"].pk], [JAN, FEB])[1] == MIXED
    assert cast.territories["trujillo"].pk not in {k for k, v in found.items() if v}


def test_maria_changes_the_targets_below_her_region_but_not_her_own(cast):
    grid = target_grid(cast.maria, cast.territories["lima"], 2025, "amount", None)
    editable = {row.label: row.editable for row in grid.rows}
    assert editable == {"Lima": False, "Lima Norte": True, "Lima Sur": True, "María": False}
    admin_grid = target_grid(cast.admin, cast.territories["lima"], 2025, "amount", None)
    assert all(row.editable for row in admin_grid.rows)
    rep_grid = target_grid(cast.alicia, cast.territories["ln1"], 2025, "amount", None)
    assert [(r.label, r.editable) for r in rep_grid.rows] == [("Lima Norte 1", False),
                                                              ("Alicia", False)]  # fmt: skip


def test_the_grid_says_which_cells_are_set_and_what_the_children_add_up_to(cast):
    put(cast, "ln1", JAN, "100")
    put(cast, "lima_norte", JAN, "120")
    grid = target_grid(cast.admin, cast.territories["lima"], 2025, "amount", None)
    rows = {row.label: row for row in grid.rows}
    zone, region = rows["Lima Norte"].cells[0][1], rows["Lima"].cells[0][1]
    assert zone is not None and region is not None
    assert (zone.explicit, zone.amount) == (True, D("120"))
    assert (region.explicit, region.amount) == (False, D("120"))
    assert grid.children_total[0] == D("120") and grid.children_total[1] is None
    assert rows["Lima Sur"].cells[0][1] is None
