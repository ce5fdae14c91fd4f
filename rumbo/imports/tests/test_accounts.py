import pytest

from rumbo.core.models import AuditEntry
from rumbo.customers.models import Account, Alignment
from rumbo.imports.models import ImportBatch
from rumbo.imports.tests.conftest import errors, run

pytestmark = pytest.mark.django_db

GOOD = """Código;Razón social;RUC;Canal;Ubigeo;Territorio;Línea de crédito
C100;Bodega Nueva S.A.C.;20100047218;Bodega;150135;LN1;1.500,50
C101;Minimarket Sur E.I.R.L.;07654321;bodega;150140;LS1;0
C001;Bodega Rosita E.I.R.L.;;Bodega;150135;LN1;
"""


def test_new_accounts_are_created_and_known_ones_left_alone(cast):
    batch = run("accounts", GOOD, cast.admin)
    assert batch.status == ImportBatch.Status.IMPORTED, errors(batch)
    assert batch.counts | {"extra": {}} == {"created": 2, "updated": 0, "unchanged": 1, "extra": {}}
    new = Account.objects.get(organisation=cast.org, external_code="C100")
    assert (new.tax_id_type, new.tax_id, str(new.credit_limit)) == ("ruc", "20100047218", "1500.50")
    assert new.territory == cast.territories["ln1"] and new.location_is_approximate
    assert Alignment.objects.filter(account=new).count() == 1
    dni = Account.objects.get(organisation=cast.org, external_code="C101")
    assert (dni.tax_id_type, dni.distrito_id) == ("dni", "150140")


def test_the_same_file_twice_changes_nothing(cast):
    run("accounts", GOOD, cast.admin)
    audit = AuditEntry.objects.count()
    stamps = dict(Account.objects.values_list("pk", "updated_at"))
    again = run("accounts", GOOD, cast.admin)
    assert (again.counts["created"], again.counts["updated"], again.counts["unchanged"]) == (
        0,
        0,
        3,
    )
    assert AuditEntry.objects.count() == audit
    assert dict(Account.objects.values_list("pk", "updated_at")) == stamps


def test_a_file_with_one_bad_row_imports_nothing_and_names_row_and_column_in_spanish(cast):
    bad = GOOD + "C102;Mala S.A.C.;2060;Bodega;150135;LN1;10\n"
    before = Account.objects.count()
    batch = run("accounts", bad, cast.admin)
    assert batch.status == ImportBatch.Status.INVALID
    assert errors(batch) == ["Fila 5, columna RUC: '2060' no es un RUC válido."]
    assert Account.objects.count() == before
    assert not Account.objects.filter(external_code="C100").exists()


def test_the_report_is_in_english_for_an_english_user(cast):
    batch = run(
        "accounts", GOOD + "C102;Mala;2060;Bodega;150135;LN1;10\n", cast.admin, language="en"
    )
    assert errors(batch) == ["Row 5, column RUC: '2060' is not a valid RUC."]


def test_every_problem_is_reported_with_its_row_and_column(cast):
    bad = (
        "Código;Razón social;Canal;Ubigeo;Territorio;Línea de crédito;Correo\n"
        "C200;Uno;Mayorista;150135;LN1;5;a@b.pe\n"
        "C201;Dos;Bodega;999999;LN1;5;a@b.pe\n"
        "C202;Tres;Bodega;150135;XX9;-5;correo\n"
        "C200;Cuatro;Bodega;150135;LN1;5;a@b.pe\n"
        "C203;;Bodega;;LN1;5;\n"
    )
    batch = run("accounts", bad, cast.admin)
    assert errors(batch) == [
        "Fila 2, columna Canal: ningún canal se llama 'Mayorista'.",
        "Fila 3, columna Ubigeo: ningún distrito tiene el ubigeo '999999'.",
        "Fila 4, columna Línea de crédito: '-5' es negativo; no puede serlo.",
        "Fila 4, columna Correo: 'correo' no es un correo electrónico.",
        "Fila 4, columna Territorio: ningún territorio tiene el código 'XX9'.",
        "Fila 5, columna Código: repite la fila 2 de este archivo.",
        "Fila 6, columna Ubigeo: una cuenta en el Perú necesita su ubigeo.",
        "Fila 6, columna Razón social: se necesita un valor.",
    ]
    assert batch.report["error_count"] == 8
    assert not Account.objects.filter(external_code__startswith="C20").exists()


def test_a_changed_row_updates_and_a_new_territory_moves_the_account(cast):
    text = "Código,Nombre comercial,Territorio,Teléfono\nC001,Bodega Rosita 2,LS1,999 888 777\n"
    batch = run("accounts", text, cast.admin, mapping={
        "external_code": "Código", "trade_name": "Nombre comercial", "territory": "Territorio",
        "phone": "Teléfono", "options": {"valid_from": "2025-02-01"},
    })  # fmt: skip
    assert batch.counts["updated"] == 1, errors(batch)
    account = Account.objects.get(pk=cast.accounts["alicia_1"].pk)
    assert (account.trade_name, account.phone) == ("Bodega Rosita 2", "999 888 777")
    assert account.territory == cast.territories["ls1"]
    assert account.legal_name == "Bodega Rosita E.I.R.L."  # not in the file: left alone
    assert (
        Alignment.objects.filter(account=account, valid_to__isnull=True)
        .get()
        .valid_from.isoformat()
        == "2025-02-01"
    )


def test_an_account_abroad_has_no_ubigeo_and_may_lack_coordinates(cast):
    text = (
        "code,legal_name,channel,country,city,lat,lon,ubigeo\n"
        "F1,A Bike Store,Bodega,United States,Seattle,47.659486,-122.408811,\n"
        "F2,No Place,Bodega,DE,Berlin,,,\n"
        "F3,Confused,Bodega,FR,Paris,48.86,2.36,150101\n"
    )
    mapping = {
        "external_code": "code",
        "legal_name": "legal_name",
        "channel": "channel",
        "country": "country",
        "city": "city",
        "lat": "lat",
        "lon": "lon",
        "ubigeo": "ubigeo",
    }
    batch = run("accounts", text, cast.admin, mapping=mapping, language="en")
    assert errors(batch) == ["Row 4, column ubigeo: an account outside Peru has no ubigeo."]
    batch = run("accounts", text.split("F3")[0], cast.admin, mapping=mapping)
    assert batch.status == ImportBatch.Status.IMPORTED, errors(batch)
    store = Account.objects.get(organisation=cast.org, external_code="F1")
    assert (store.country, store.city, store.distrito_id, store.lat) == (
        "US",
        "Seattle",
        None,
        47.659486,
    )
    nowhere = Account.objects.get(organisation=cast.org, external_code="F2")
    assert (nowhere.lat, nowhere.location_precision) == (None, "unknown")


def test_maria_imports_only_into_her_region(cast):
    text = (
        "Código;Razón social;Canal;Ubigeo;Territorio\n"
        "C300;En Lima;Bodega;150135;LN1\n"
        "C301;En Trujillo;Bodega;130101;TRU\n"
        "C005;Cambio ajeno;Bodega;130101;LN1\n"
        "C302;Sin territorio;Bodega;150135;\n"
    )
    batch = run("accounts", text, cast.maria)
    assert errors(batch) == [
        "Fila 3, columna Territorio: el territorio 'TRU' no es suyo.",
        "Fila 4, columna Código: esta cuenta no está en sus territorios.",
        "Fila 5, columna Territorio: ponga la cuenta en uno de sus territorios.",
    ]
    assert not Account.objects.filter(external_code="C300").exists()


def test_otto_imports_into_his_own_organisation_only(cast):
    text = "Código;Razón social;Canal;Ubigeo;Territorio\nC001;Otra Rosita;Bodega;150101;X1\n"
    batch = run("accounts", text, cast.otto)
    assert batch.status == ImportBatch.Status.IMPORTED, errors(batch)
    assert batch.counts["created"] == 1
    assert (
        Account.objects.get(pk=cast.accounts["alicia_1"].pk).legal_name == "Bodega Rosita E.I.R.L."
    )
    assert (
        Account.objects.get(organisation=cast.outsider, external_code="C001").legal_name
        == "Otra Rosita"
    )
    refused = run(
        "accounts",
        "Código;Razón social;Canal;Ubigeo;Territorio\nC9;X;Bodega;150101;LN1\n",
        cast.otto,
    )
    assert errors(refused) == [
        "Fila 2, columna Territorio: ningún territorio tiene el código 'LN1'."
    ]


def test_a_check_only_run_writes_nothing(cast):
    batch = run("accounts", GOOD, cast.admin, dry_run=True)
    assert batch.status == ImportBatch.Status.CHECKED
    assert batch.counts["created"] == 2
    assert not Account.objects.filter(external_code="C100").exists()
