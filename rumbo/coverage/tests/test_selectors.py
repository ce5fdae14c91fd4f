"""Segment migration counted from hand-made snapshots."""

import datetime as dt
from decimal import Decimal

from rumbo.coverage.models import AccountSegment
from rumbo.coverage.selectors import migration

JUNE, JULY = dt.date(2024, 6, 1), dt.date(2024, 7, 1)


def snap(cast, key, month, segment):
    account = cast.accounts[key]
    AccountSegment.objects.create(
        organisation=cast.org, account=account, month=month, territory=account.territory,
        segment=segment, revenue_12m=Decimal(0), revenue_share=0, orders_12m=0, visits_12m=0,
        rfm="111", cost_to_serve_12m=Decimal(0), quadrant="light", potential_12m=Decimal(0),
        travel_min=0, visits_planned=0, workload_min=0,
    )  # fmt: skip


def test_moves_between_a_b_and_c_are_up_or_down_and_new_ones_graduate_without_either(cast):
    snap(cast, "alicia_1", JUNE, "A")
    snap(cast, "alicia_1", JULY, "B")  # down
    snap(cast, "alicia_2", JUNE, "C")
    snap(cast, "alicia_2", JULY, "B")  # up
    snap(cast, "bruno_1", JUNE, "N")
    snap(cast, "bruno_1", JULY, "C")  # graduates: neither up nor down
    snap(cast, "bruno_2", JUNE, "B")  # lost in July
    snap(cast, "trujillo_1", JULY, "C")  # new in July
    data = migration(cast.admin, JULY, "territory", span=1)
    steps = {g.name: g.steps[0] for g in data.groups}
    assert steps["Lima Norte 1"] == {"new": 0, "lost": 0, "up": 1, "down": 1}
    assert steps["Lima Sur 1"] == {"new": 0, "lost": 1, "up": 0, "down": 0}
    assert steps["Trujillo"] == {"new": 1, "lost": 0, "up": 0, "down": 0}
    matrix = dict(data.matrix)
    assert matrix["A"] == [0, 1, 0, 0, 0] and matrix["N"] == [0, 0, 1, 0, 0]
    assert matrix["B"] == [0, 0, 0, 0, 1] and matrix[""] == [0, 0, 1, 0, 0]
    # bruno sees only his own territory's moves
    assert [g.name for g in migration(cast.bruno, JULY, "territory", span=1).groups] == [
        "Lima Sur 1"
    ]
