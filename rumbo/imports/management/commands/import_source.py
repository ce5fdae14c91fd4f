"""python manage.py import_source <adventureworks|northwind> <folder> --org <slug> [--dry-run]

Loads a public sample company through the ordinary import path, one step (kind + saved mapping)
after another; see rumbo/imports/sources.py. Stops at the first file that has problems.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rumbo.core.models import Organisation
from rumbo.imports.models import ImportBatch
from rumbo.imports.services import import_file
from rumbo.imports.sources import SOURCES, prepare_organisation


class Command(BaseCommand):
    help = "Import AdventureWorks or Northwind (or a slice of them) into an organisation."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", choices=sorted(SOURCES))
        parser.add_argument("folder", type=Path)
        parser.add_argument("--org", required=True, help="slug of the organisation")
        parser.add_argument("--name", default="", help="name of the organisation, if it is new")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument("--language", default="es")

    def handle(self, *args: Any, **options: Any) -> None:
        spec = SOURCES[options["source"]]
        organisation, _created = Organisation.objects.get_or_create(
            slug=options["org"], defaults={"name": options["name"] or spec.name}
        )
        prepare_organisation(organisation=organisation, source=options["source"])
        for step in spec.steps:
            started = time.perf_counter()
            try:
                file_name, content = step.build(options["folder"])
            except FileNotFoundError as exc:
                raise CommandError(str(exc)) from exc
            batch = import_file(
                organisation=organisation, user=None, kind=step.kind, file_name=file_name,
                content=content, mapping=step.mapping, dry_run=options["dry_run"],
                language=options["language"],
            )  # fmt: skip
            seconds = time.perf_counter() - started
            self.stdout.write(
                f"{step.preset}: {batch.row_count} rows, {batch.get_status_display()}, "
                f"{json.dumps(batch.counts)} in {seconds:.1f} s"
            )
            if batch.status == ImportBatch.Status.INVALID:
                for problem in batch.report["errors"][:20]:
                    self.stdout.write(f"  {problem['text']}")
                raise CommandError(f"{step.preset} has problems; nothing of it was imported.")
