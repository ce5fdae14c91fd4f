"""Recompute the report rollups from the sales summaries and visits (after bulk loads)."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rumbo.core.models import Organisation
from rumbo.reports.rollups import rebuild


class Command(BaseCommand):
    help = (
        "Recompute the report rollups of one organisation (or all) from the monthly sales "
        "summaries and the visits. Run it after rebuild_sales_summary or a bulk load."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", help="organisation slug (default: every organisation)")

    def handle(self, *args: Any, org: str | None = None, **options: Any) -> None:
        organisations = Organisation.objects.all()
        if org:
            organisations = organisations.filter(slug=org)
            if not organisations.exists():
                raise CommandError(f"No organisation has the slug '{org}'.")
        for organisation in organisations:
            start = time.perf_counter()
            counts = rebuild(organisation_id=organisation.pk)
            seconds = time.perf_counter() - start
            self.stdout.write(f"{organisation}: {counts} in {seconds:.1f} s")
