"""The same seed gives the same company; the commands refuse, skip and replace as documented."""

from __future__ import annotations

import datetime as dt
import hashlib
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from rumbo.catalog.models import PriceListItem
from rumbo.core.models import Organisation, User
from rumbo.customers.models import Account
from rumbo.demo.people import DEMO_PASSWORD
from rumbo.demo.selectors import demo_logins
from rumbo.demo.services import load_demo
from rumbo.demo.sizes import SIZES, Size, default_end, month_starts
from rumbo.interactions.models import (
    Campaign,
    CampaignTouch,
    ContactPolicy,
    Interaction,
    PlannedActivity,
    Ticket,
)
from rumbo.orders.models import Order, OrderLine
from rumbo.prospects.models import Appointment, Prospect, ProspectTouch
from rumbo.targets.models import Target
from rumbo.territories.models import Assignment

pytestmark = pytest.mark.django_db
END = dt.date(2025, 6, 30)
# Fewer months than "tiny": enough to compare two loads.
QUICK = Size("quick", accounts=40, reps=5, months=4, zones="tiny")


def fingerprint(org: Organisation) -> str:
    """A digest of everything the generator decided, free of database ids and load times."""
    parts = [
        Account.objects.filter(organisation=org)
        .order_by("external_code")
        .values_list(
            "external_code",
            "legal_name",
            "trade_name",
            "tax_id",
            "lat",
            "lon",
            "status",
            "opened_on",
            "closed_on",
            "credit_limit",
            "territory__code",
            "channel__code",
            "opening_hours",
            "address",
        ),
        Order.objects.filter(organisation=org)
        .order_by("number")
        .values_list(
            "number",
            "account__external_code",
            "ordered_on",
            "status",
            "net_amount",
            "tax_amount",
            "total_amount",
            "rep__username",
            "territory__code",
            "created_at",
        ),
        OrderLine.objects.filter(order__organisation=org)
        .order_by("order__number", "id")
        .values_list("order__number", "product__sku", "quantity", "unit_price", "net_amount"),
        Interaction.objects.filter(organisation=org)
        .order_by("occurred_at", "id")
        .values_list("account__external_code", "kind", "occurred_at", "outcome", "user__username"),
        Target.objects.filter(organisation=org)
        .order_by("id")
        .values_list("rep__username", "territory__code", "month", "measure", "value"),
        User.objects.filter(organisation=org)
        .order_by("username")
        .values_list("username", "first_name", "last_name", "role", "team", "is_active"),
        Assignment.objects.filter(organisation=org)
        .order_by("territory__code", "valid_from")
        .values_list("territory__code", "user__username", "valid_from", "valid_to"),
        PriceListItem.objects.filter(price_list__organisation=org)
        .order_by("price_list__code", "product__sku")
        .values_list("price_list__code", "product__sku", "price"),
        *_beyond_sales(org),
    ]
    return hashlib.sha256(repr([list(p) for p in parts]).encode()).hexdigest()


def _beyond_sales(org: Organisation) -> list[Any]:
    """Tickets, campaigns, prospects and plans, as the generator decided them."""
    return [
        Ticket.objects.filter(organisation=org)
        .order_by("number")
        .values_list("number", "account__external_code", "topic", "status", "opened_at",
                     "closed_at", "priority"),
        CampaignTouch.objects.filter(campaign__organisation=org)
        .order_by("campaign__code", "account__external_code")
        .values_list("campaign__code", "account__external_code", "status", "planned_on"),
        Prospect.objects.filter(organisation=org)
        .order_by("created_at", "name")
        .values_list("name", "status", "owner__username", "territory__code", "distrito",
                     "lat", "lon", "score", "lost_reason", "account__external_code"),
        ProspectTouch.objects.filter(prospect__organisation=org)
        .order_by("occurred_at", "prospect__name")
        .values_list("prospect__name", "kind", "outcome", "occurred_at"),
        Appointment.objects.filter(organisation=org)
        .order_by("rep__username", "day", "start_time")
        .values_list("rep__username", "prospect__name", "day", "start_time"),
        PlannedActivity.objects.filter(organisation=org)
        .order_by("rep__username", "day", "start_time", "account__external_code", "title")
        .values_list("rep__username", "day", "start_time", "kind", "account__external_code",
                     "title", "source"),
        ContactPolicy.objects.filter(organisation=org)
        .order_by("segment")
        .values_list("segment", "min_days_between", "max_per_month", "min_per_month"),
    ]  # fmt: skip


def test_the_same_seed_gives_the_same_company_and_another_seed_another() -> None:
    first = fingerprint(load_demo(size=QUICK, seed=7, end=END).organisation)
    again = fingerprint(load_demo(size=QUICK, seed=7, end=END, replace=True).organisation)
    other = fingerprint(load_demo(size=QUICK, seed=8, end=END, replace=True).organisation)
    assert first == again
    assert other != first
    assert Organisation.objects.filter(slug="andina").count() == 1


def test_replacing_the_demo_leaves_no_row_of_the_old_one() -> None:
    old = load_demo(size=QUICK, seed=7, end=END).organisation
    assert Prospect.objects.filter(organisation=old).exists()
    new = load_demo(size=QUICK, seed=7, end=END, replace=True).organisation
    for model in (Ticket, Campaign, ContactPolicy, PlannedActivity, Prospect, Appointment):
        rows = model._default_manager.all()
        assert rows.count() == rows.filter(organisation=new).count() > 0, model
    touches = CampaignTouch.objects.all()
    assert touches.count() == touches.filter(campaign__organisation=new).count() > 0
    leads = ProspectTouch.objects.all()
    assert leads.count() == leads.filter(prospect__organisation=new).count() > 0


def test_load_demo_refuses_a_second_load_unless_told_to_replace() -> None:
    outsider = Organisation.objects.create(name="Comercial Otra S.A.", slug="otra")
    User.objects.create(organisation=outsider, username="otto")
    call_command("load_demo", size="tiny", seed=1, end="2025-06-30", stdout=StringIO())
    with pytest.raises(CommandError, match="--replace"):
        call_command("load_demo", size="tiny", seed=1, end="2025-06-30", stdout=StringIO())
    out = StringIO()
    call_command("load_demo", size="tiny", seed=2, end="2025-06-30", replace=True, stdout=out)
    assert "orders.OrderLine" in out.getvalue()
    assert Organisation.objects.filter(slug="andina").count() == 1
    assert User.objects.filter(username="otto", organisation=outsider).exists()


def test_a_clash_with_another_organisations_user_is_a_clear_error() -> None:
    outsider = Organisation.objects.create(name="Comercial Otra S.A.", slug="otra")
    User.objects.create(organisation=outsider, username="admin")
    with pytest.raises(CommandError, match=r"(?i)usuario|user"):
        call_command("load_demo", size="tiny", seed=1, end="2025-06-30", stdout=StringIO())
    assert not Organisation.objects.filter(slug="andina").exists()


def test_if_empty_leaves_a_database_with_an_organisation_alone() -> None:
    Organisation.objects.create(name="Comercial Otra S.A.", slug="otra")
    out = StringIO()
    call_command("load_demo", size="tiny", seed=1, if_empty=True, stdout=out)
    assert not Organisation.objects.filter(slug="andina").exists()
    assert out.getvalue().strip()


def test_demo_logins_prints_one_login_per_role_with_the_demo_password() -> None:
    out = StringIO()
    call_command("demo_logins", stdout=out)
    assert "load_demo" in out.getvalue()
    load_demo(size=QUICK, seed=1, end=END)
    out = StringIO()
    call_command("demo_logins", stdout=out)
    lines = out.getvalue().splitlines()
    logins = demo_logins()
    assert len(lines) == 2 + len(logins) == 2 + 5  # header, rule, one line per login
    roles = []
    for login, line in zip(logins, lines[2:], strict=True):
        user = User.objects.get(username=login.username)
        assert login.username in line and DEMO_PASSWORD in line
        assert user.check_password(DEMO_PASSWORD) and user.is_active
        roles.append(user.role)
        if user.role == "rep":
            assert login.territory == "Lima Norte 1" and login.territory in line
    assert roles == ["admin", "manager", "rep", "viewer", "viewer"]


def test_the_default_end_is_the_last_day_of_the_previous_month() -> None:
    assert default_end(dt.date(2026, 11, 25)) == dt.date(2026, 10, 31)
    assert default_end(dt.date(2026, 1, 1)) == dt.date(2025, 12, 31)
    months = month_starts(dt.date(2026, 10, 31), SIZES["small"].months)
    assert (months[0], months[-1], len(months)) == (dt.date(2023, 11, 1), dt.date(2026, 10, 1), 36)
