import datetime as dt
from decimal import Decimal

import pytest

from rumbo.targets.services import set_target

pytestmark = pytest.mark.django_db


def test_the_admin_reads_who_changed_a_target_from_what_to_what(cast, client):
    for value in ("100", "150"):
        set_target(
            organisation=cast.org,
            month=dt.date(2025, 1, 1),
            measure="amount",
            value=Decimal(value),
            rep=cast.alicia,
            actor=cast.maria,
        )
    client.force_login(cast.admin)
    page = client.get("/audit/?type=targets.target").content.decode()
    assert "María" in page and "100.00 → 150.00" in page


@pytest.mark.parametrize("who", ["maria", "alicia", "vera"])
def test_only_admins_open_the_audit_trail(cast, client, who):
    client.force_login(getattr(cast, who))
    assert client.get("/audit/").status_code == 404


def test_an_admin_never_reads_another_organisations_trail(cast, client):
    set_target(
        organisation=cast.org, month=dt.date(2025, 1, 1), measure="amount", value=Decimal("7"),
        rep=cast.alicia, actor=cast.maria,
    )  # fmt: skip
    client.force_login(cast.otto)
    assert "María" not in client.get("/audit/").content.decode()
