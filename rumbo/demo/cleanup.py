"""Remove an organisation and everything in it (used by `load_demo --replace`).

The big tables go first with plain DELETEs (Django's collector would load millions of rows
into memory); the rest through the ORM, which follows every relation, children before parents.
"""

from __future__ import annotations

from django.db import connection, models

from rumbo.catalog.models import Category, PriceList, Product, Unit
from rumbo.core.models import Organisation, User
from rumbo.coverage.models import AccountSegment
from rumbo.customers.models import Account, Alignment, Channel, Contact
from rumbo.design.models import Scenario
from rumbo.interactions.models import (
    Campaign,
    CampaignTouch,
    ContactPolicy,
    Interaction,
    PlannedActivity,
    Ticket,
)
from rumbo.orders.models import (
    MonthlyCategorySales,
    MonthlySales,
    Order,
    OrderLine,
    OrderStatusChange,
)
from rumbo.prospects.models import Appointment, Prospect, ProspectTouch
from rumbo.quotas.models import QuotaPlan
from rumbo.seasons.models import SeasonRun
from rumbo.targets.models import Target
from rumbo.territories.models import Assignment, Territory


def _table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field) and field.column
    return connection.ops.quote_name(field.column)


def _raw_deletes(org_id: int) -> None:
    orders = f"SELECT id FROM {_table(Order)} WHERE {_column(Order, 'organisation')} = %s"
    accounts = f"SELECT id FROM {_table(Account)} WHERE {_column(Account, 'organisation')} = %s"
    prospects = f"SELECT id FROM {_table(Prospect)} WHERE {_column(Prospect, 'organisation')} = %s"
    campaigns = f"SELECT id FROM {_table(Campaign)} WHERE {_column(Campaign, 'organisation')} = %s"
    statements = [
        (PlannedActivity, "organisation", None),
        (Appointment, "organisation", None),
        (ProspectTouch, "prospect", prospects),
        (Prospect, "organisation", None),
        (CampaignTouch, "campaign", campaigns),
        (AccountSegment, "organisation", None),
        (MonthlySales, "organisation", None),
        (MonthlyCategorySales, "organisation", None),
        (OrderStatusChange, "order", orders),
        (OrderLine, "order", orders),
        (Order, "organisation", None),
        (Interaction, "organisation", None),
        (Ticket, "organisation", None),
        (ContactPolicy, "organisation", None),
        (Target, "organisation", None),
        (Contact, "account", accounts),
        (Alignment, "account", accounts),
    ]
    with connection.cursor() as cursor:
        for model, column, subquery in statements:
            where = f"IN ({subquery})" if subquery else "= %s"
            cursor.execute(
                f"DELETE FROM {_table(model)} WHERE {_column(model, column)} {where}", [org_id]
            )


def delete_organisation(org: Organisation) -> None:
    """Delete `org` with all its rows. Call inside a transaction."""
    _raw_deletes(org.pk)
    Campaign.objects.filter(organisation=org).delete()  # with its audience's many-to-many rows
    Scenario.objects.filter(organisation=org).delete()  # with its placements
    QuotaPlan.objects.filter(organisation=org).delete()  # with its lines
    SeasonRun.objects.filter(organisation=org).delete()  # with its profiles and forecasts
    Assignment.objects.filter(organisation=org).delete()
    Account.objects.filter(organisation=org).delete()
    PriceList.objects.filter(organisation=org).delete()
    Product.objects.filter(organisation=org).delete()
    categories = Category.objects.filter(organisation=org)
    while categories.exists():  # leaves first: a parent is protected by its children
        categories.filter(children__isnull=True).delete()
    Unit.objects.filter(organisation=org).delete()
    Channel.objects.filter(organisation=org).delete()
    territories = Territory.objects.filter(organisation=org)
    for depth in sorted(set(territories.values_list("depth", flat=True)), reverse=True):
        territories.filter(depth=depth).delete()
    User.objects.filter(organisation=org).delete()
    org.delete()
