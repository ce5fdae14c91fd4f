"""API shapes of what the order form keeps for offline use: accounts, suggestions, rules."""

from __future__ import annotations

from decimal import Decimal

from ninja import Field, Schema

# The order form keeps up to this many accounts on the device (a rep has a few hundred).
MAX_OFFLINE_ACCOUNTS = 5000


class OrderAccountsQuery(Schema):
    q: str | None = Field(None, max_length=100, description="Words of the name, RUC or code.")
    lat: float | None = Field(None, ge=-90, le=90, description="The device's latitude.")
    lon: float | None = Field(None, ge=-180, le=180, description="The device's longitude.")
    limit: int = Field(500, ge=1, le=MAX_OFFLINE_ACCOUNTS)
    offset: int = Field(0, ge=0)


class OrderAccountOut(Schema):
    id: int
    name: str
    legal_name: str
    tax_id: str
    code: str = Field(description="Code in the customer's ERP.")
    channel_id: int
    channel: str
    address: str
    distrito: str
    lat: float | None
    lon: float | None
    approximate: bool = Field(description="The location is the district's reference point.")
    status: str
    territory_id: int | None
    credit_limit: Decimal = Field(description="0: no limit recorded.")
    open_amount: Decimal = Field(description="Open orders (submitted, waiting, confirmed).")
    min_order_amount: Decimal = Field(description="Minimum order without IGV (0: none).")
    distance_km: float | None = Field(description="From the given lat/lon, great-circle.")


class OrderAccountsOut(Schema):
    count: int
    items: list[OrderAccountOut]


class SuggestionsQuery(Schema):
    account: int | None = Field(None, description="One account; all of yours when left out.")


class UsualItem(Schema):
    product: int
    quantity: Decimal = Field(description="The median quantity of the account's orders.")
    times: int = Field(description="In how many of the account's recent orders it was.")
    of: int = Field(description="How many orders the account placed in the last six months.")


class LastYearItem(Schema):
    product: int
    quantity: Decimal = Field(description="What it bought that month, per order of that month.")
    bought: Decimal
    orders: int


class AccountSuggestions(Schema):
    usual: list[UsualItem]
    last_year: list[LastYearItem]
    last_year_month: str = Field(description="YYYY-MM: this month, a year ago.")


class SuggestionsOut(Schema):
    accounts: dict[int, AccountSuggestions]


class PolicyOut(Schema):
    channel: int | None = Field(description="Null: every channel without its own row.")
    min_order_amount: Decimal
    max_line_quantity: Decimal


class LimitOut(Schema):
    product: int
    min_quantity: Decimal | None
    max_quantity: Decimal | None
    multiple_of: Decimal | None


class RulesOut(Schema):
    currency: str
    tax_rate: Decimal
    max_quantity: Decimal
    max_discount_pct: Decimal | None = Field(
        description="Highest discount without approval; null: no limit for this user."
    )
    policies: list[PolicyOut]
    limits: list[LimitOut]
