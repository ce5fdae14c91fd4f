from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "rumbo.catalog"
    label = "catalog"
    verbose_name = _("Catalogue")

    def ready(self) -> None:
        from rumbo.catalog import models
        from rumbo.core import versions

        versions.watch(
            "catalogue", models.Category, models.Unit, models.Product, models.PriceList,
            models.PriceListItem, models.Promotion, models.PromotionTier,
        )  # fmt: skip
