import datetime as dt
from decimal import Decimal

import pytest
from django.contrib import admin
from django.urls import reverse

from rumbo.catalog.models import PriceList, PriceListItem
from rumbo.core.models import AuditEntry
from rumbo.targets.models import Target
from rumbo.territories.models import Assignment

pytestmark = pytest.mark.django_db

MODELS = sorted(admin.site._registry, key=lambda m: m._meta.label)
# Task results hold other organisations' job arguments: superusers only.
SUPERUSER_ONLY = {"django_tasks_database.DBTaskResult"}


def test_task_results_are_for_superusers_only(cast, client):
    client.force_login(cast.admin)
    url = reverse("admin:django_tasks_database_dbtaskresult_changelist")
    assert client.get(url).status_code == 403


@pytest.mark.parametrize(
    "model", [m for m in MODELS if m._meta.label not in SUPERUSER_ONLY], ids=lambda m: m._meta.label
)
def test_every_admin_list_renders_for_the_organisations_admin(cast, client, model):
    client.force_login(cast.admin)
    info = (model._meta.app_label, model._meta.model_name)
    response = client.get(reverse("admin:{}_{}_changelist".format(*info)))
    assert response.status_code == 200
    assert b"Tienda Ajena" not in response.content
    model_admin = admin.site._registry[model]
    request = response.wsgi_request
    if model_admin.has_add_permission(request):
        assert client.get(reverse("admin:{}_{}_add".format(*info))).status_code == 200


def test_an_admin_of_another_organisation_cannot_open_andinas_account(cast, client):
    cast.otto.is_staff = True
    cast.otto.save()
    client.force_login(cast.otto)
    account = cast.accounts["alicia_1"]
    url = reverse("admin:customers_account_change", args=[account.pk])
    response = client.get(url, follow=True)
    assert b"Bodega Rosita" not in response.content
    listing = client.get(reverse("admin:customers_account_changelist"))
    assert b"Bodega Rosita" not in listing.content
    assert b"Tienda Ajena" in listing.content


def test_a_rep_is_kept_out_of_the_admin(cast, client):
    client.force_login(cast.alicia)
    response = client.get(reverse("admin:customers_account_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_assigning_a_territory_in_the_admin_ends_the_previous_coverage(cast, client):
    client.force_login(cast.admin)
    territory = cast.territories["ln1"]
    response = client.post(
        reverse("admin:territories_assignment_add"),
        {
            "territory": territory.pk,
            "user": cast.bruno.pk,
            "role": "rep",
            "valid_from": "2025-03-01",
        },
    )
    assert response.status_code == 302, response.content
    history = Assignment.objects.filter(territory=territory).order_by("valid_from")
    assert [(a.user.username, a.valid_to) for a in history] == [
        ("alicia", dt.date(2025, 3, 1)),
        ("bruno", None),
    ]
    assert AuditEntry.objects.filter(object_type="territories.assignment").count() >= 2


def test_a_price_changed_in_the_admin_is_audited(cast, client):
    client.force_login(cast.admin)
    price_list = PriceList.objects.get(organisation=cast.org, code="BOD")
    cola = cast.catalog["cola"]
    data = {
        "organisation": cast.org.pk, "code": "BOD", "name": "Bodegas", "currency": "PEN",
        "channel": cast.channel.pk, "is_active": "on",
        "items-TOTAL_FORMS": "1", "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0", "items-MAX_NUM_FORMS": "1000",
        "items-0-product": cola.pk, "items-0-price": "1.90",
    }  # fmt: skip
    response = client.post(reverse("admin:catalog_pricelist_change", args=[price_list.pk]), data)
    assert response.status_code == 302, response.content
    assert PriceListItem.objects.get(price_list=price_list, product=cola).price == Decimal("1.90")
    entry = AuditEntry.objects.get(object_type="catalog.pricelistitem")
    assert entry.actor == cast.admin
    assert entry.changes == {"price": [None, "1.9000"]}


def test_a_target_set_in_the_admin_is_audited(cast, client):
    client.force_login(cast.admin)
    response = client.post(
        reverse("admin:targets_target_add"),
        {"rep": cast.alicia.pk, "month": "2025-02-01", "measure": "amount", "value": "15000"},
    )
    assert response.status_code == 302, response.content
    target = Target.objects.get(rep=cast.alicia)
    assert target.value == Decimal("15000")
    assert AuditEntry.objects.filter(
        object_type="targets.target", object_id=str(target.pk)
    ).exists()
