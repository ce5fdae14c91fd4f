"""python manage.py import_data <kind> <file> --org <slug> [--mapping JSON-or-file] [--dry-run]

The same path as the web pages: the file is stored as an import, every row is checked, and only a
file without problems is written, in one transaction. Prints the report; exits with status 1
when the file has problems.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from rumbo.core.models import Organisation, User
from rumbo.imports.kinds import KINDS
from rumbo.imports.mapping import MappingError
from rumbo.imports.models import ImportBatch, MappingPreset
from rumbo.imports.readers import UnreadableFile
from rumbo.imports.services import create_batch, import_file, start_import


class Command(BaseCommand):
    help = "Import a CSV or XLSX file (accounts, reps, orders, targets, ...) into an organisation."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("file", type=Path)
        parser.add_argument("--org", required=True, help="slug of the organisation")
        parser.add_argument("--mapping", help="mapping as JSON, or the path of a JSON file")
        parser.add_argument("--preset", help="name of a saved mapping of the organisation")
        parser.add_argument("--user", help="import as this user (their scope applies)")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument(
            "--background",
            action="store_true",
            help="queue it as a background job (needs --user; the job page shows its progress)",
        )
        parser.add_argument("--language", default="", help="language of the report (es, en)")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["org"]).first()
        if organisation is None:
            raise CommandError(f"No organisation has the slug {options['org']!r}.")
        user = self.user(organisation, options["user"])
        mapping = self.mapping(organisation, options)
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        language = options["language"] or (user.language if user else "") or "es"
        if options["background"]:
            self.queue(organisation, user, path, mapping, language, options)
            return
        try:
            batch = import_file(
                organisation=organisation, user=user, kind=options["kind"], file_name=path.name,
                content=path.read_bytes(), mapping=mapping, dry_run=options["dry_run"],
                language=language, progress=self.progress,
            )  # fmt: skip
        except (UnreadableFile, MappingError) as exc:
            raise CommandError(str(exc)) from exc
        self.report(batch)
        if batch.status == ImportBatch.Status.INVALID:
            sys.exit(1)

    def queue(
        self, organisation: Organisation, user: User | None, path: Path,
        mapping: dict[str, Any] | None, language: str, options: dict[str, Any],
    ) -> None:  # fmt: skip
        """Store the file and hand it to the task worker, as the web pages do."""
        if user is None:
            raise CommandError("--background needs --user: the job belongs to someone.")
        try:
            batch = create_batch(
                organisation=organisation, user=user, kind=options["kind"], file_name=path.name,
                content=path.read_bytes(), mapping=mapping, language=language,
            )  # fmt: skip
        except (UnreadableFile, MappingError) as exc:
            raise CommandError(str(exc)) from exc
        with transaction.atomic():
            job = start_import(batch=batch, user=user, dry_run=options["dry_run"])
        self.stdout.write(f"Queued as job {job.pk}: {reverse('core:job', args=[job.pk])}")

    def user(self, organisation: Organisation, username: str | None) -> User | None:
        if not username:
            return None
        user = User.objects.filter(organisation=organisation, username=username).first()
        if user is None:
            raise CommandError(f"{organisation} has no user {username!r}.")
        return user

    def mapping(self, organisation: Organisation, options: dict[str, Any]) -> dict[str, Any] | None:
        if options["preset"]:
            preset = MappingPreset.objects.filter(
                organisation=organisation, name=options["preset"]
            ).first()
            if preset is None:
                raise CommandError(f"{organisation} has no saved mapping {options['preset']!r}.")
            return preset.mapping
        text = options["mapping"]
        if not text:
            return None
        if not text.lstrip().startswith("{"):
            text = Path(text).read_text(encoding="utf-8")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CommandError(f"The mapping is not valid JSON: {exc}") from exc
        return data

    def progress(self, done: int, total: int) -> None:
        self.stderr.write(f"\r{done}/{total}", ending="")

    def report(self, batch: ImportBatch) -> None:
        self.stderr.write("")
        with translation.override(batch.language):
            for problem in batch.report.get("errors", []):
                self.stdout.write(problem["text"])
            for warning in batch.report.get("warnings", []):
                self.stdout.write(warning)
            hidden = batch.error_count - len(batch.report.get("errors", []))
            if hidden > 0:
                self.stdout.write(f"… {hidden} more")
            self.stdout.write(f"{batch.get_status_display()}: {json.dumps(batch.counts)}")
