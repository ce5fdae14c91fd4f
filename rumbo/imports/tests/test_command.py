"""python manage.py import_data: the same checks and writes as the pages."""

import json

import pytest
from django.core.management import CommandError, call_command

from rumbo.customers.models import Account
from rumbo.imports.models import ImportBatch, MappingPreset

pytestmark = pytest.mark.django_db

CSV = "cod|razon|ruc|ubigeo|ruta\nC100|Bodega Nueva|20100047218|150135|LN1\n"
MAPPING = {
    "external_code": "cod", "legal_name": "razon", "tax_id": "ruc", "ubigeo": "ubigeo",
    "territory": "ruta", "channel": {"value": "bodega"},
}  # fmt: skip


def test_the_command_imports_with_a_mapping_given_as_json_or_as_a_file(cast, tmp_path, capsys):
    data = tmp_path / "clientes.csv"
    data.write_text(CSV, encoding="latin-1")
    call_command(
        "import_data",
        "accounts",
        str(data),
        "--org",
        "andina",
        "--mapping",
        json.dumps(MAPPING),
        "--dry-run",
    )
    assert "Revisado" in capsys.readouterr().out
    assert not Account.objects.filter(external_code="C100").exists()
    mapping_file = tmp_path / "mapping.json"
    mapping_file.write_text(json.dumps(MAPPING))
    call_command(
        "import_data", "accounts", str(data), "--org", "andina", "--mapping", str(mapping_file)
    )
    assert Account.objects.get(organisation=cast.org, external_code="C100").tax_id == "20100047218"
    batch = ImportBatch.objects.latest("created_at")
    assert (batch.user, batch.status, batch.counts["created"]) == (None, "imported", 1)


def test_the_command_reports_problems_and_fails(cast, tmp_path, capsys):
    data = tmp_path / "clientes.csv"
    data.write_text(CSV.replace("20100047218", "2060"), encoding="utf-8")
    with pytest.raises(SystemExit) as exit_code:
        call_command(
            "import_data",
            "accounts",
            str(data),
            "--org",
            "andina",
            "--mapping",
            json.dumps(MAPPING),
        )
    assert exit_code.value.code == 1
    assert "Fila 2, columna ruc: '2060' no es un RUC válido." in capsys.readouterr().out
    assert not Account.objects.filter(external_code="C100").exists()


def test_the_command_uses_a_saved_mapping_and_a_users_scope(cast, tmp_path, capsys):
    MappingPreset.objects.create(
        organisation=cast.org, name="erp", kind="accounts", mapping=MAPPING
    )
    data = tmp_path / "clientes.csv"
    data.write_text(CSV.replace("LN1", "TRU"), encoding="utf-8")
    with pytest.raises(SystemExit):
        call_command(
            "import_data",
            "accounts",
            str(data),
            "--org",
            "andina",
            "--preset",
            "erp",
            "--user",
            "maria",
            "--language",
            "en",
        )
    assert "territory 'TRU' is not yours" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("import_data", "accounts", str(data), "--org", "nadie", "--preset", "erp")
    with pytest.raises(CommandError):
        call_command("import_data", "accounts", str(data), "--org", "otra", "--preset", "erp")


def test_the_command_can_queue_a_background_job(
    cast, tmp_path, capsys, django_capture_on_commit_callbacks
):
    data = tmp_path / "clientes.csv"
    data.write_text(CSV, encoding="utf-8")
    args = [
        "import_data",
        "accounts",
        str(data),
        "--org",
        "andina",
        "--mapping",
        json.dumps(MAPPING),
    ]
    with pytest.raises(CommandError):
        call_command(*args, "--background")
    with django_capture_on_commit_callbacks(execute=True):
        call_command(*args, "--background", "--user", "admin")
    assert "/jobs/" in capsys.readouterr().out
    batch = ImportBatch.objects.get(user=cast.admin)
    assert batch.status == "imported" and batch.job is not None and batch.job.status == "succeeded"


def test_a_wrong_mapping_or_file_is_a_clear_command_error(cast, tmp_path):
    data = tmp_path / "clientes.csv"
    data.write_text(CSV, encoding="utf-8")
    with pytest.raises(CommandError, match="JSON"):
        call_command("import_data", "accounts", str(data), "--org", "andina", "--mapping", "{nope")
    with pytest.raises(CommandError):
        call_command(
            "import_data", "accounts", str(data), "--org", "andina", "--mapping", '{"x": 1}'
        )
    with pytest.raises(CommandError):
        call_command("import_data", "accounts", str(tmp_path / "missing.csv"), "--org", "andina")
    assert not ImportBatch.objects.exists()
