"""Imports: store an uploaded file, map its columns, check every row, then write all or nothing.

`run_batch` is the one code path of the web pages (through a background job) and of the
`import_data` command: it checks the whole file first and writes only when no row has a problem,
in one transaction, so a file with one bad row imports nothing.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rumbo.core.jobs import start_job
from rumbo.core.models import Job, Organisation, User
from rumbo.imports.kinds import get_kind
from rumbo.imports.kinds.base import Context, Op, Problem, Record
from rumbo.imports.mapping import Mapping
from rumbo.imports.models import ImportBatch, MappingPreset
from rumbo.imports.readers import Table, read_table

Progress = Callable[[int, int], None]
PREVIEW_ROWS = 20
PROGRESS_EVERY = 200


class RowFailed(Exception):
    """A write refused by a service although the row passed the checks; everything rolls back."""

    def __init__(self, row: int, message: str) -> None:
        super().__init__(message)
        self.row, self.message = row, message


def read(batch: ImportBatch) -> Table:
    return read_table(bytes(batch.content), batch.file_name)


@transaction.atomic
def create_batch(
    *,
    organisation: Organisation,
    user: User | None,
    kind: str,
    file_name: str,
    content: bytes,
    mapping: dict[str, Any] | None = None,
    language: str = "",
) -> ImportBatch:
    """Store a file to import. Without a mapping, one is suggested from the file's headers.

    Raises UnreadableFile (a message for the user) and KeyError for an unknown kind."""
    import_kind = get_kind(kind)
    if not import_kind.allowed(user):
        raise PermissionDenied
    table = read_table(content, file_name)
    chosen = Mapping.from_json(mapping) if mapping else import_kind.suggest(table)
    return ImportBatch.objects.create(
        organisation=organisation,
        user=user,
        kind=kind,
        file_name=file_name[:255],
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        row_count=len(table.rows),
        mapping=chosen.to_json(),
        language=language or translation.get_language() or "es",
    )


def set_mapping(*, batch: ImportBatch, mapping: Mapping) -> ImportBatch:
    batch.mapping = mapping.to_json()
    batch.status = ImportBatch.Status.UPLOADED
    batch.save(update_fields=["mapping", "status"])
    return batch


@transaction.atomic
def save_preset(
    *, organisation: Organisation, user: User | None, name: str, kind: str, mapping: Mapping
) -> MappingPreset:
    """Save (or replace) a mapping under a name, for the next file from the same system."""
    get_kind(kind)
    preset, _created = MappingPreset.objects.update_or_create(
        organisation=organisation,
        name=name.strip(),
        defaults={"kind": kind, "mapping": mapping.to_json(), "created_by": user},
    )
    return preset


def delete_preset(*, preset: MappingPreset) -> None:
    preset.delete()


def earlier_imports(batch: ImportBatch) -> list[ImportBatch]:
    """Imports of the very same file into the same organisation, newest first."""
    return list(
        ImportBatch.objects.filter(
            organisation_id=batch.organisation_id,
            sha256=batch.sha256,
            status=ImportBatch.Status.IMPORTED,
        )
        .exclude(pk=batch.pk)
        .defer("content")[:5]
    )


@dataclass
class Preview:
    fields: list[Any]  # the kind's fields that the mapping fills
    records: list[Record]
    problems: list[Problem]


def preview(batch: ImportBatch, limit: int = PREVIEW_ROWS) -> Preview:
    """The first rows as Rumbo will read them, with the problems of their cells."""
    kind, table, ctx = _setup(batch)
    if ctx.problems:
        return Preview([], [], ctx.problems)
    head = Table(headers=table.headers, rows=table.rows[:limit])
    records = kind.records(head, ctx.mapping, ctx)
    names = set(ctx.mapping.sources) | {name for r in records for name in r.values}
    fields = [f for f in kind.fields if f.name in names]
    return Preview(fields, records, ctx.problems)


def _setup(batch: ImportBatch) -> tuple[Any, Table, Context]:
    kind = get_kind(batch.kind)
    table = read(batch)
    try:
        mapping = Mapping.from_json(batch.mapping)
    except Exception as exc:  # MappingError, or a value of the wrong type in stored JSON
        mapping = Mapping()
        ctx = Context(organisation=batch.organisation, actor=batch.user, mapping=mapping)
        ctx.error(0, "", str(exc))
        return kind, table, ctx
    ctx = Context(organisation=batch.organisation, actor=batch.user, mapping=mapping)
    for message in mapping.check((f.name for f in kind.fields), table):
        ctx.error(0, "", message)
    if not kind.allowed(batch.user):
        ctx.error(0, "", _("You may not import this kind of data."))
    return kind, table, ctx


def run_batch(
    *, batch: ImportBatch, dry_run: bool = False, progress: Progress | None = None
) -> ImportBatch:
    """Check every row; then, unless `dry_run` or a row has a problem, write them all."""
    progress = progress or (lambda done, total: None)
    with translation.override(batch.language):
        _mark(batch, ImportBatch.Status.RUNNING, dry_run=dry_run)
        try:
            status, ctx, ops = _check_and_write(batch, dry_run, progress)
        except Exception:
            _mark(batch, ImportBatch.Status.FAILED, finished=True)
            raise
        batch.counts = tally(ops, ctx)
        batch.report = {
            "errors": [p.as_dict() for p in sorted(ctx.problems, key=lambda p: p.row)],
            "error_count": ctx.problem_count,
            "warnings": ctx.warnings[:100],
            "rows": batch.row_count,
        }
        batch.status, batch.finished_at = status, timezone.now()
        batch.save(update_fields=["counts", "report", "status", "finished_at"])
    return batch


def _check_and_write(
    batch: ImportBatch, dry_run: bool, progress: Progress
) -> tuple[str, Context, list[Op]]:
    kind, table, ctx = _setup(batch)
    total = 2 * max(len(table.rows), 1)
    ops: list[Op] = []
    if not ctx.problems:
        records = kind.records(table, ctx.mapping, ctx)
        ops = kind.plan(records, ctx)
    progress(len(table.rows), total)
    if ctx.problem_count:
        return ImportBatch.Status.INVALID, ctx, ops
    if dry_run:
        return ImportBatch.Status.CHECKED, ctx, ops
    try:
        write(
            ops,
            lambda done: progress(
                len(table.rows) + done * len(table.rows) // max(len(ops), 1), total
            ),
        )
    except RowFailed as exc:
        ctx.error(exc.row, "", exc.message)
        return ImportBatch.Status.INVALID, ctx, []
    return ImportBatch.Status.IMPORTED, ctx, ops


def write(ops: list[Op], progress: Callable[[int], None]) -> None:
    """Run every planned write in one transaction; a refused one undoes them all."""
    with transaction.atomic():
        for done, op in enumerate(ops, start=1):
            if op.run is not None:
                try:
                    op.run()
                except ValidationError as exc:
                    raise RowFailed(op.row, " ".join(exc.messages)) from exc
            if done % PROGRESS_EVERY == 0:
                progress(done)
    progress(len(ops))


def tally(ops: list[Op], ctx: Context) -> dict[str, Any]:
    """How many objects the import creates, updates and leaves unchanged (and what else)."""
    main = Counter(op.action for op in ops if not op.extra)
    extra = Counter(op.extra for op in ops if op.extra)
    extra.update(ctx.state.get("counts", {}))
    return {
        "created": main["create"],
        "updated": main["update"],
        "unchanged": main["unchanged"],
        "extra": dict(extra),
    }


def _mark(
    batch: ImportBatch, status: str, *, dry_run: bool | None = None, finished: bool = False
) -> None:
    batch.status = status
    fields = ["status"]
    if dry_run is not None:
        batch.dry_run = dry_run
        fields.append("dry_run")
    if finished:
        batch.finished_at = timezone.now()
        fields.append("finished_at")
    batch.save(update_fields=fields)


def import_file(
    *,
    organisation: Organisation,
    user: User | None,
    kind: str,
    file_name: str,
    content: bytes,
    mapping: dict[str, Any] | None = None,
    dry_run: bool = False,
    language: str = "",
    progress: Progress | None = None,
) -> ImportBatch:
    """Store a file and import it now, in this process (the command's path)."""
    batch = create_batch(
        organisation=organisation, user=user, kind=kind, file_name=file_name,
        content=content, mapping=mapping, language=language,
    )  # fmt: skip
    return run_batch(batch=batch, dry_run=dry_run, progress=progress)


def start_import(*, batch: ImportBatch, user: User, dry_run: bool) -> Job:
    """Check (and unless `dry_run`, import) the batch in a background job with a progress bar."""
    from rumbo.imports.tasks import run_import

    _mark(batch, ImportBatch.Status.QUEUED, dry_run=dry_run)
    label = _("Check of %(file)s") if dry_run else _("Import of %(file)s")
    job = start_job(
        user=user, kind="import", label=label % {"file": batch.file_name}, task=run_import,
        total=2 * batch.row_count, batch_id=batch.pk, dry_run=dry_run,
    )  # fmt: skip
    ImportBatch.objects.filter(pk=batch.pk).update(job=job)
    batch.job = job
    return job


class JobProgress:
    """Report a job's progress where the job page sees it even while the import's transaction
    is open: on PostgreSQL through a second connection. SQLite has one writer at a time, so there
    the bar moves when the checking ends and when the writing commits."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.side = (
            connections.create_connection(DEFAULT_DB_ALIAS)
            if connection.vendor == "postgresql"
            else None
        )

    def __call__(self, done: int, total: int) -> None:
        if self.side is None:
            Job.objects.filter(pk=self.job_id).update(done=done, total=total)
            return
        sql = f"UPDATE {Job._meta.db_table} SET done = %s, total = %s WHERE id = %s"
        with self.side.cursor() as cursor:
            cursor.execute(sql, [done, total, self.job_id])

    def close(self) -> None:
        if self.side is not None:
            self.side.close()


def result_of(batch: ImportBatch) -> dict[str, Any]:
    """What the job page shows when the import ends, and where its report is."""
    counts = batch.counts or {}
    if batch.status == ImportBatch.Status.INVALID:
        message = ngettext(
            "%(n)s problem found: nothing was imported.",
            "%(n)s problems found: nothing was imported.",
            batch.error_count,
        ) % {"n": batch.error_count}
    else:
        message = _("%(c)s new, %(u)s changed, %(s)s unchanged.") % {
            "c": counts.get("created", 0), "u": counts.get("updated", 0),
            "s": counts.get("unchanged", 0),
        }  # fmt: skip
    return {
        "url": reverse("imports:detail", args=[batch.pk]),
        "status": batch.status,
        "message": message,
    }
