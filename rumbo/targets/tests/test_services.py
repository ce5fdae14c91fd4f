import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from rumbo.core.models import AuditEntry
from rumbo.targets.models import Target
from rumbo.targets.services import set_target

pytestmark = pytest.mark.django_db


def test_setting_a_target_twice_changes_it_and_audits_both(cast):
    kwargs = {
        "organisation": cast.org,
        "month": dt.date(2025, 3, 15),
        "measure": "amount",
        "rep": cast.alicia,
    }
    set_target(value=Decimal("1000"), actor=cast.maria, **kwargs)
    target = set_target(value=Decimal("1200"), actor=cast.maria, **kwargs)
    assert target.month == dt.date(2025, 3, 1)
    assert Target.objects.count() == 1
    changes = [
        e.changes for e in AuditEntry.objects.filter(object_type="targets.target").order_by("id")
    ]
    assert changes == [{"value": [None, "1000.00"]}, {"value": ["1000.00", "1200.00"]}]


def test_a_target_is_for_a_territory_or_a_rep(cast):
    with pytest.raises(ValidationError):
        set_target(
            organisation=cast.org, month=dt.date(2025, 1, 1), measure="amount", value=Decimal("1")
        )


def test_targets_are_visible_by_scope(cast):
    for rep in (cast.alicia, cast.bruno):
        set_target(
            organisation=cast.org,
            month=dt.date(2025, 1, 1),
            measure="amount",
            value=Decimal("5"),
            rep=rep,
        )
    set_target(
        organisation=cast.org, month=dt.date(2025, 1, 1), measure="amount", value=Decimal("9"),
        territory=cast.territories["trujillo"],
    )  # fmt: skip
    assert {t.rep for t in Target.objects.visible_to(cast.alicia)} == {cast.alicia}
    assert Target.objects.visible_to(cast.maria).count() == 2
    assert Target.objects.visible_to(cast.admin).count() == 3
    assert not Target.objects.visible_to(cast.vera).exists()
    assert not Target.objects.visible_to(cast.otto).exists()
