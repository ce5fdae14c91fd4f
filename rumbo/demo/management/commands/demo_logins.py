"""`manage.py demo_logins`: one sign-in per role of the demo company, with its password."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from rumbo.demo.selectors import demo_logins


class Command(BaseCommand):
    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        self.help = _("Print one demo login per role (all share the demo password).")
        return super().create_parser(prog_name, subcommand, **kwargs)

    def handle(self, *args: Any, **options: Any) -> None:
        logins = demo_logins()
        if not logins:
            self.stdout.write(_("The demo company is not loaded; run `manage.py load_demo`."))
            return
        header = (_("Role"), _("User"), _("Password"), _("Name"), _("Territory"))
        rows = [header] + [
            (login.role, login.username, login.password, login.name, login.territory)
            for login in logins
        ]
        widths = [max(len(str(row[i])) for row in rows) for i in range(len(header))]
        for n, row in enumerate(rows):
            self.stdout.write(
                "  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)).rstrip()
            )
            if n == 0:
                self.stdout.write("  ".join("-" * w for w in widths))
