"""Prospects imported from CSV: created, scored, found again by code, checked per row."""

import pytest

from rumbo.imports.models import ImportBatch
from rumbo.imports.tests.conftest import errors, run
from rumbo.prospects.models import Prospect

pytestmark = pytest.mark.django_db

TEXT = (
    "codigo,nombre,contacto,telefono,ubigeo,canal,origen,vendedor\n"
    "P-1,Bodega Los Andes,Juana Pérez,987111222,150135,Bodega,feria,R-alicia\n"
    "P-2,Bodega El Sur,,,150143,bodega,referido,bruno\n"
)


def test_prospects_import_scored_and_again_unchanged(cast):
    batch = run("prospects", TEXT, cast.admin)
    assert batch.status == ImportBatch.Status.IMPORTED, errors(batch)
    first = Prospect.objects.get(external_code="P-1")
    assert (first.owner, first.source, first.territory) == (
        cast.alicia,
        "event",
        cast.territories["ln1"],
    )
    assert first.score > 0 and len(first.score_factors) == 3
    assert run("prospects", TEXT, cast.admin).counts["unchanged"] == 2
    moved = run("prospects", TEXT.replace("987111222", "987000000"), cast.admin)
    assert moved.counts["updated"] == 1
    assert Prospect.objects.get(external_code="P-1").phone == "987000000"


def test_a_managers_import_stays_in_her_scope(cast):
    text = "codigo,nombre,ubigeo,canal,vendedor\nP-3,Fuera,130101,bodega,olga\n"
    batch = run("prospects", text, cast.maria, language="en")
    assert errors(batch) == ["Row 2, column vendedor: 'olga' is not one of your reps."]
    missing = run("prospects", "codigo,nombre\nP-4,Sin lugar\n", cast.admin, language="en")
    assert missing.status == ImportBatch.Status.INVALID
    assert not Prospect.objects.exists()
