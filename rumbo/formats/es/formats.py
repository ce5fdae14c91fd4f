"""Spanish (Peru) number formats: S/ 1.234,50 (Django's generic Spanish groups with a space)."""

from django.conf.locale.es.formats import *  # noqa: F403

THOUSAND_SEPARATOR = "."
