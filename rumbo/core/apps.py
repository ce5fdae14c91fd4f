from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _install_versions(using: str, **kwargs: Any) -> None:
    from rumbo.core import versions

    versions.install(connections[using])


class CoreConfig(AppConfig):
    name = "rumbo.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        post_migrate.connect(_install_versions, sender=self)
