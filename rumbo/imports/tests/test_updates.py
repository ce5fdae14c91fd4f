"""Imports that change what Rumbo has go through the apps' services: their checks hold, and
a change a service refuses undoes the whole file."""

import pytest

from rumbo.catalog.models import Category, PriceList
from rumbo.core.models import AuditEntry, User
from rumbo.imports.models import ImportBatch
from rumbo.imports.tests.conftest import errors, run
from rumbo.territories.models import Territory

pytestmark = pytest.mark.django_db


def test_categories_are_renamed_and_moved_under_a_parent_of_the_same_file(cast):
    text = "codigo,nombre,padre\nSNK,Piqueos,ALI\nALI,Alimentos,\n"
    batch = run("categories", text, cast.admin)
    assert (batch.counts["created"], batch.counts["updated"]) == (1, 1), errors(batch)
    snacks = Category.objects.get(pk=cast.catalog["snacks"].pk)
    assert (snacks.name, snacks.parent and snacks.parent.code) == ("Piqueos", "ALI")
    assert run("categories", text, cast.admin).counts["unchanged"] == 2


def test_a_category_moved_under_its_own_child_undoes_the_whole_file(cast):
    run("categories", "codigo,nombre,padre\nAGU,Agua,BEB\n", cast.admin)
    text = "codigo,nombre,padre\nNEW,Nueva,\nBEB,Bebidas,AGU\n"
    batch = run("categories", text, cast.admin, language="en")
    assert batch.status == ImportBatch.Status.INVALID
    assert errors(batch) == ["Row 3: A category cannot hang under itself."]
    assert not Category.objects.filter(organisation=cast.org, code="NEW").exists()
    assert Category.objects.get(pk=cast.catalog["drinks"].pk).parent is None


def test_new_categories_and_units_of_products_are_made_before_their_products(cast):
    text = (
        "sku;nombre;categoria;unidad;precio\n"
        "LAC-001;Yogur;Lácteos;CJA;6\n"
        "LAC-002;Queso;Lácteos;CJA;9\n"
    )
    batch = run("products", text, cast.admin, language="en")
    assert batch.status == ImportBatch.Status.IMPORTED, errors(batch)
    assert batch.counts["extra"] == {"new categories": 1, "new units": 1}
    products = cast.org.products.filter(sku__startswith="LAC").select_related("category", "unit")
    assert {(p.category.name, p.unit.code) for p in products} == {("Lácteos", "CJA")}


def test_a_price_lists_new_details_are_audited_once(cast):
    text = "lista;nombre lista;incluye igv;sku;precio\nBOD;Bodegas Lima;sí;BEB-001;2,36\n"
    batch = run("price_lists", text, cast.admin, language="en")
    assert batch.counts["extra"] == {"changed price lists": 1}, errors(batch)
    bodegas = PriceList.objects.get(organisation=cast.org, code="BOD")
    assert (bodegas.name, bodegas.prices_include_tax) == ("Bodegas Lima", True)
    entry = AuditEntry.objects.get(object_type="catalog.pricelist")
    assert (entry.actor, entry.changes["prices_include_tax"]) == (cast.admin, [False, True])
    again = run("price_lists", text, cast.admin)
    assert (again.counts["extra"], again.counts["unchanged"]) == ({}, 1)
    assert AuditEntry.objects.filter(object_type="catalog.pricelist").count() == 1


def test_territories_are_renamed_and_deactivated_with_an_audit_entry(cast):
    text = "codigo,nombre,activo,padre\nTRU,Trujillo Centro,no,\nTRU2,Trujillo Sur,no,NOR\n"
    batch = run("territories", text, cast.admin)
    assert (batch.counts["created"], batch.counts["updated"]) == (1, 1), errors(batch)
    found = dict(Territory.objects.filter(code__startswith="TRU").values_list("name", "is_active"))
    assert found == {"Trujillo Centro": False, "Trujillo Sur": False}
    entry = AuditEntry.objects.filter(object_type="territories.territory").latest("id")
    assert (entry.actor, entry.changes["is_active"]) == (cast.admin, [True, False])


def test_a_manager_who_would_report_to_her_own_rep_undoes_the_whole_file(cast):
    text = "usuario,codigo,nombres,jefe\nbruno,R-bruno,Bruno José,\nmaria,R-maria,María,alicia\n"
    batch = run("reps", text, cast.admin, language="en")
    assert batch.status == ImportBatch.Status.INVALID
    assert errors(batch) == ["Row 3: María cannot report to someone who reports to them."]
    assert User.objects.get(pk=cast.bruno.pk).first_name == "Bruno"
    assert User.objects.get(pk=cast.maria.pk).manager is None
