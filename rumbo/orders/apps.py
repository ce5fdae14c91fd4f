from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "rumbo.orders"
    label = "orders"
    verbose_name = _("Orders")

    def ready(self) -> None:
        from rumbo.core import versions
        from rumbo.orders import models

        versions.watch("catalogue", models.OrderPolicy, models.QuantityLimit)
