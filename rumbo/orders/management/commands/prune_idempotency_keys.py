"""Forget the stored responses of old Idempotency-Keys (a phone retries within days, not months).

The order keeps its key, so a very late retry of a forgotten key is still refused (409) and
never writes a second order.
"""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from rumbo.orders.idempotency import prune


class Command(BaseCommand):
    help = "Delete stored idempotent responses older than --days (30 by default)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=30)

    def handle(self, *args: Any, days: int = 30, **options: Any) -> None:
        before = timezone.now() - dt.timedelta(days=days)
        self.stdout.write(f"{prune(before=before)} stored responses older than {days} days deleted")
