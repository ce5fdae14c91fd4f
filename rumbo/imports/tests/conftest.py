"""Helpers of the import tests: files as bytes, and loading a sample company slice."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from rumbo.core.models import Organisation, Role, User
from rumbo.imports.models import ImportBatch
from rumbo.imports.services import import_file
from rumbo.imports.sources import SOURCES, prepare_organisation
from rumbo.testing import OrganisationFactory, person

DATA = Path(__file__).parent / "data"


def read_csv(path: Path) -> list[dict[str, str]]:
    """A slice file read with nothing but the csv module, to compute expected figures."""
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def load_source(source: str, organisation: Organisation, user: User) -> list[ImportBatch]:
    """Import every step of a source's slice through the ordinary import path."""
    prepare_organisation(organisation=organisation, source=source, user=user)
    batches = []
    for step in SOURCES[source].steps:
        file_name, content = step.build(DATA / source)
        batch = import_file(
            organisation=organisation, user=user, kind=step.kind, file_name=file_name,
            content=content, mapping=step.mapping, language="en",
        )  # fmt: skip
        assert batch.status == ImportBatch.Status.IMPORTED, (step.preset, batch.report)
        batches.append(batch)
    return batches


@pytest.fixture
def company(db: None) -> tuple[Organisation, User]:
    org = OrganisationFactory.create(name="Sample Company", slug="sample")
    return org, person("sample-admin", "Sam", org, Role.ADMIN)


def run(
    kind: str,
    text: str,
    user: User,
    *,
    mapping: dict | None = None,
    dry_run: bool = False,
    language: str = "es",
    encoding: str = "utf-8",
) -> ImportBatch:
    """Import a CSV written in the test as `user` of their organisation."""
    return import_file(
        organisation=user.organisation, user=user, kind=kind, file_name=f"{kind}.csv",
        content=text.encode(encoding), mapping=mapping, dry_run=dry_run, language=language,
    )  # fmt: skip


def errors(batch: ImportBatch) -> list[str]:
    return [e["text"] for e in batch.report["errors"]]
