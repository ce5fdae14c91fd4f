"""The import kinds, in the order a new organisation would load them."""

from __future__ import annotations

from rumbo.imports.kinds.accounts import Accounts
from rumbo.imports.kinds.base import Kind
from rumbo.imports.kinds.campaigns import Campaigns, CampaignTouches
from rumbo.imports.kinds.catalog import Categories, PriceLists, Products
from rumbo.imports.kinds.contacts import Contacts
from rumbo.imports.kinds.orders import Orders
from rumbo.imports.kinds.prospects import Prospects
from rumbo.imports.kinds.targets import Targets
from rumbo.imports.kinds.team import Reps
from rumbo.imports.kinds.territories import Assignments, Territories
from rumbo.imports.kinds.tickets import Tickets

KINDS: dict[str, Kind] = {
    kind.code: kind
    for kind in (
        Territories(), Reps(), Assignments(), Accounts(), Contacts(), Categories(), Products(),
        PriceLists(), Orders(), Targets(), Tickets(), Campaigns(), CampaignTouches(), Prospects(),
    )
}  # fmt: skip


def get_kind(code: str) -> Kind:
    """The kind called `code`; KeyError if there is none."""
    return KINDS[code]
