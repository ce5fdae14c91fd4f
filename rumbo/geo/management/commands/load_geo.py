"""Reload the geography tables from the shipped files (after updating rumbo/geo/data)."""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from rumbo.geo import loader
from rumbo.geo.models import CentroPoblado, Departamento, Distrito, Provincia


class Command(BaseCommand):
    help = "Reload departamentos, provincias, distritos and centros poblados from rumbo/geo/data."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            counts = loader.load(Departamento, Provincia, Distrito, CentroPoblado)
        self.stdout.write(", ".join(f"{name}: {n}" for name, n in counts.items()))
