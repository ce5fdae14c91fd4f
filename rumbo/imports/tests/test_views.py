"""The import pages with Django's test client: upload → map → preview → import, and who may."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from rumbo.core.models import Job
from rumbo.customers.models import Account
from rumbo.imports.forms import source_choice
from rumbo.imports.mapping import Source
from rumbo.imports.models import ImportBatch, MappingPreset
from rumbo.imports.tests.conftest import run

pytestmark = pytest.mark.django_db

CSV = (
    "Código;Razón social;RUC;Canal;Ubigeo;Territorio\n"
    "C100;Panadería Ñañez S.A.C.;20100047218;Bodega;150135;LN1\n"
    "C101;Bodega Junín E.I.R.L.;20131312955;Bodega;150140;LS1\n"
)


def upload(client, content: bytes, name: str = "clientes.csv", kind: str = "accounts", **extra):
    file = SimpleUploadedFile(name, content)
    return client.post(reverse("imports:list"), {"kind": kind, "file": file, **extra})


def mapping_post(batch: ImportBatch, **extra: str) -> dict[str, str]:
    """The mapping form as the page suggests it, plus changes."""
    data = {
        f"column_{field}": source_choice(Source.from_json(src))
        for field, src in batch.mapping["columns"].items()
    }
    data.update(extra)
    return data


def test_reps_viewers_and_strangers_cannot_reach_the_import_pages(cast, client):
    batch = run("accounts", CSV, cast.admin)
    pages = [
        reverse("imports:list"), reverse("imports:mapping", args=[batch.pk]),
        reverse("imports:preview", args=[batch.pk]), reverse("imports:detail", args=[batch.pk]),
    ]  # fmt: skip
    for user in (cast.alicia, cast.vera, cast.otto, cast.maria):
        client.force_login(user)
        for page in pages[1:] if user in (cast.otto, cast.maria) else pages:
            assert client.get(page).status_code == 404, (user, page)
        assert client.post(pages[2], {"action": "import"}).status_code == 404
    client.logout()
    assert client.get(pages[0]).status_code == 302


def test_upload_map_preview_and_import_in_the_browser_flow(
    cast, client, django_capture_on_commit_callbacks
):
    client.force_login(cast.admin)
    page = client.get(reverse("imports:list"))
    assert page.status_code == 200 and "Importar" in page.content.decode()
    response = upload(client, CSV.encode("latin-1"))
    batch = ImportBatch.objects.get(user=cast.admin)
    assert response.url == reverse("imports:mapping", args=[batch.pk])
    assert batch.mapping["columns"]["tax_id"] == "RUC"  # suggested from the header
    page = client.get(response.url).content.decode()
    assert "Razón social" in page and "separado por “;”" in page
    response = client.post(response.url, mapping_post(batch, save_as="ERP clientes"))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert MappingPreset.objects.get(organisation=cast.org, name="ERP clientes").kind == "accounts"
    preview = client.get(response.url).content.decode()
    assert "Panadería Ñañez S.A.C." in preview and "20100047218" in preview
    assert not Account.objects.filter(external_code="C100").exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:preview", args=[batch.pk]), {"action": "import"})
    job = Job.objects.get(pk=int(response.url.rstrip("/").split("/")[-1]))
    assert response.url == reverse("core:job", args=[job.pk])
    assert job.status == Job.Status.SUCCEEDED and job.percent == 100
    assert job.result["url"] == reverse("imports:detail", args=[batch.pk])
    assert "2 nuevos" in job.message
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.IMPORTED and batch.job_id == job.pk
    assert (
        Account.objects.get(organisation=cast.org, external_code="C100").territory
        == cast.territories["ln1"]
    )
    detail = client.get(job.result["url"]).content.decode()
    assert 'id="count-created">2<' in detail


def test_a_bad_file_imports_nothing_and_the_report_names_row_and_column(
    cast, client, django_capture_on_commit_callbacks
):
    client.force_login(cast.maria)
    upload(client, (CSV + "C102;Mala S.A.C.;2060;Bodega;150135;LN1\n").encode("utf-8"))
    batch = ImportBatch.objects.get(user=cast.maria)
    client.post(reverse("imports:mapping", args=[batch.pk]), mapping_post(batch))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:preview", args=[batch.pk]), {"action": "import"})
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.INVALID
    assert batch.report["errors"][0]["text"] == "Fila 4, columna RUC: '2060' no es un RUC válido."
    page = client.get(reverse("imports:detail", args=[batch.pk])).content.decode()
    assert "1 problema: no se importó nada" in page and "no es un RUC válido" in page
    assert not Account.objects.filter(external_code__in=["C100", "C101", "C102"]).exists()


def test_check_only_then_import_from_the_report(cast, client, django_capture_on_commit_callbacks):
    client.force_login(cast.admin)
    upload(client, CSV.encode())
    batch = ImportBatch.objects.get(user=cast.admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:preview", args=[batch.pk]), {"action": "check"})
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.CHECKED and batch.counts["created"] == 2
    assert not Account.objects.filter(external_code="C100").exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:preview", args=[batch.pk]), {"action": "import"})
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.IMPORTED
    assert client.get(reverse("imports:mapping", args=[batch.pk])).status_code == 302


def test_an_xlsx_upload_with_a_saved_mapping(cast, client, django_capture_on_commit_callbacks):
    preset = MappingPreset.objects.create(
        organisation=cast.org, name="sistema", kind="accounts",
        mapping={"columns": {"external_code": "Cod", "legal_name": "Nombre", "tax_id": "Doc",
                             "channel": {"value": "bodega"}, "ubigeo": "Ubi", "territory": "Ruta"}},
    )  # fmt: skip
    book = Workbook()
    book.active.append(["Cod", "Nombre", "Doc", "Ubi", "Ruta"])
    book.active.append(["X1", "Minimarket Excel", 20100070970, 10101, "LN1"])
    out = io.BytesIO()
    book.save(out)
    client.force_login(cast.admin)
    response = upload(client, out.getvalue(), "cuentas.xlsx", preset=preset.pk)
    batch = ImportBatch.objects.get(user=cast.admin)
    assert batch.mapping == preset.mapping | {"options": {}}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:preview", args=[batch.pk]), {"action": "import"})
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.IMPORTED, batch.report
    account = Account.objects.get(organisation=cast.org, external_code="X1")
    assert (account.tax_id, account.distrito_id) == ("20100070970", "010101")
    assert response.status_code == 302


def test_a_file_that_is_not_a_table_is_refused_on_the_upload_page(cast, client):
    client.force_login(cast.admin)
    response = upload(client, b"\n \n")
    assert response.status_code == 200 and "El archivo está vacío." in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_maria_is_offered_only_what_she_may_import_and_otto_sees_nothing_of_andina(cast, client):
    MappingPreset.objects.create(
        organisation=cast.org, name="andina-clientes", kind="accounts", mapping={}
    )
    run("accounts", CSV, cast.admin)
    client.force_login(cast.maria)
    page = client.get(reverse("imports:list")).content.decode()
    assert 'value="accounts"' in page and 'value="products"' not in page
    assert "andina-clientes" in page and "accounts.csv" not in page  # the admin's import
    assert upload(client, b"sku\nX\n", "p.csv", kind="products").status_code == 200
    client.force_login(cast.otto)
    page = client.get(reverse("imports:list")).content.decode()
    assert "andina-clientes" not in page and "accounts.csv" not in page
    preset = MappingPreset.objects.get(name="andina-clientes")
    assert client.post(reverse("imports:preset_delete", args=[preset.pk])).status_code == 404
    assert MappingPreset.objects.filter(pk=preset.pk).exists()


def test_the_import_list_costs_the_same_few_queries_however_many_imports(
    cast, client, django_assert_max_num_queries
):
    for n in range(5):
        run("accounts", CSV.replace("C10", f"D{n}"), cast.admin)
        MappingPreset.objects.create(
            organisation=cast.org, name=f"m{n}", kind="accounts", mapping={}
        )
    client.force_login(cast.admin)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("imports:list"))
    assert page.content.decode().count("accounts.csv") == 5
