"""Load Peru's departamentos, provincias, distritos and centros poblados from rumbo/geo/data."""

from django.db import migrations


def load(apps, schema_editor):
    from rumbo.geo.loader import load as load_geo

    load_geo(
        apps.get_model("geo", "Departamento"),
        apps.get_model("geo", "Provincia"),
        apps.get_model("geo", "Distrito"),
        apps.get_model("geo", "CentroPoblado"),
    )


def unload(apps, schema_editor):
    for name in ("CentroPoblado", "Distrito", "Provincia", "Departamento"):
        apps.get_model("geo", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("geo", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
