"""The OpenAPI schema stays what the committed snapshot says, so API changes are deliberate.

After an intended change, refresh the snapshot and commit it with the change:

    RUMBO_UPDATE_SNAPSHOTS=1 .venv/bin/pytest -p no:xdist rumbo/core/tests/test_openapi_snapshot.py
"""

import difflib
import json
import os
from pathlib import Path

import pytest
from django.utils import translation

from rumbo.api import api

SNAPSHOT = Path(__file__).with_name("openapi_snapshot.json")
REFRESH = (
    "RUMBO_UPDATE_SNAPSHOTS=1 .venv/bin/pytest -p no:xdist "
    "rumbo/core/tests/test_openapi_snapshot.py"
)


def current_schema() -> str:
    with translation.override("en"):
        schema = api.get_openapi_schema(path_prefix="/api/")
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def test_the_openapi_schema_matches_its_committed_snapshot():
    schema = current_schema()
    if os.environ.get("RUMBO_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.write_text(schema, encoding="utf-8")
    expected = SNAPSHOT.read_text(encoding="utf-8") if SNAPSHOT.exists() else ""
    if schema != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                schema.splitlines(keepends=True),
                fromfile="openapi_snapshot.json (committed)",
                tofile="openapi schema (now)",
            )
        )
        pytest.fail(
            f"The OpenAPI schema changed. If the change is intended, refresh the snapshot with\n"
            f"    {REFRESH}\nand commit it.\n\n{diff}",
            pytrace=False,
        )


def test_every_operation_has_a_summary_and_a_tag():
    schema = json.loads(current_schema())
    operations = [op for path in schema["paths"].values() for op in path.values()]
    assert len(operations) >= 11
    assert all(op.get("summary") and op.get("tags") for op in operations)


def test_every_endpoint_but_health_requires_a_session_or_a_token():
    schema = json.loads(current_schema())
    open_paths = [
        path
        for path, operations in schema["paths"].items()
        for op in operations.values()
        if not op.get("security")
    ]
    assert open_paths == ["/api/health"]
    schemes = schema["components"]["securitySchemes"]
    assert set(schemes) == {"BearerToken", "HeaderToken", "SessionAuth"}


def test_the_api_docs_load_swagger_from_our_own_static_files(client):
    html = client.get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn." not in html and "https://" not in html
