"""`manage.py load_demo --size small --seed 1`: load the demo company (see rumbo.demo)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from rumbo.core.models import Organisation
from rumbo.demo.services import DemoExists, load_demo
from rumbo.demo.sizes import SIZES, default_end


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(
            _("'%(value)s' is not a date (YYYY-MM-DD).") % {"value": value}
        ) from error


class Command(BaseCommand):
    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        self.help = _(
            "Load the demo company Distribuidora Andina S.A.C. with years of sales history."
        )
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--size",
            choices=list(SIZES),
            default="small",
            help=_(
                "tiny (tests), small (~2,000 accounts), medium (~20,000) "
                "or large (~50,000 accounts, over 10 million order lines)"
            ),
        )
        parser.add_argument(
            "--seed", type=int, default=1, help=_("the same seed gives the same company")
        )
        parser.add_argument(
            "--end",
            type=_date,
            default=None,
            help=_("last day of the history (default: end of last month)"),
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help=_("do nothing when the database already has an organisation"),
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help=_("delete the demo company first if it is already loaded"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and Organisation.objects.exists():
            self.stdout.write(_("The database already has an organisation; no demo loaded."))
            return
        size, end = SIZES[options["size"]], options["end"] or default_end()
        if isinstance(end, str):  # call_command(end="2025-06-30") skips argparse
            end = _date(end)
        self.stdout.write(
            _("Loading the %(size)s demo company (seed %(seed)s, history until %(end)s)…")
            % {"size": size.name, "seed": options["seed"], "end": end.isoformat()}
        )
        try:
            report = load_demo(
                size=size,
                seed=options["seed"],
                end=end,
                replace=options["replace"],
                say=self.stdout.write,
            )
        except DemoExists as error:
            raise CommandError(str(error)) from error
        except ValidationError as error:  # e.g. a user "admin" in another organisation
            raise CommandError(" ".join(error.messages)) from error
        for label, count in sorted(report.rows.items()):
            took = report.write_seconds.get(label)
            spent = _("%(seconds).1f s writing") % {"seconds": took} if took else ""
            self.stdout.write(
                f"  {label:<32} {number_format(count, force_grouping=True):>12}  {spent}"
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("Loaded %(org)s in %(seconds).1f s.")
                % {"org": report.organisation.name, "seconds": report.seconds}
            )
        )
