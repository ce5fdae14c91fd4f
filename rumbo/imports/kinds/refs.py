"""Finding the rows an import refers to (channels, territories, accounts, people, products, ...).

Every lookup is filtered by the importing organisation, so a code that exists only in another
organisation reads as unknown. Each table is loaded once per import, in bulk.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.db.models import Model, QuerySet

from rumbo.catalog.models import Category, Product, Unit
from rumbo.core.models import User
from rumbo.customers.models import Account, Channel
from rumbo.geo.models import Distrito
from rumbo.imports.values import normalise
from rumbo.team.models import Rep
from rumbo.territories.models import Territory

if TYPE_CHECKING:
    from rumbo.imports.kinds.base import Context

CHUNK = 500


def in_chunks(qs: QuerySet[Any], field: str, values: Iterable[str]) -> list[Any]:
    """qs.filter(field__in=values), in chunks, so a big file stays within database limits."""
    values = sorted(set(values))
    rows: list[Any] = []
    for start in range(0, len(values), CHUNK):
        rows.extend(qs.filter(**{f"{field}__in": values[start : start + CHUNK]}))
    return rows


def by_code_or_name(
    objects: Iterable[Model], code: str = "code", name: str = "name"
) -> dict[str, Any]:
    """Objects found by their code, or by their name in any case and accents."""
    found: dict[str, Any] = {}
    for obj in objects:
        found.setdefault(normalise(str(getattr(obj, name))), obj)
    for obj in objects:
        found[normalise(str(getattr(obj, code)))] = obj
    return found


class Refs:
    """The organisation's reference rows, loaded once per import."""

    def __init__(self, ctx: Context) -> None:
        self.org_id = ctx.organisation.pk

    @cached_property
    def channels(self) -> dict[str, Channel]:
        return by_code_or_name(list(Channel.objects.filter(organisation_id=self.org_id)))

    def channel(self, value: str) -> Channel | None:
        return self.channels.get(normalise(value))

    @cached_property
    def territories(self) -> dict[str, Territory]:
        return {t.code: t for t in Territory.objects.filter(organisation_id=self.org_id)}

    @cached_property
    def ubigeos(self) -> set[str]:
        return set(Distrito.objects.values_list("ubigeo", flat=True))

    def distrito(self, ubigeo: str) -> Distrito:
        return Distrito.objects.get(pk=ubigeo)

    def accounts(self, codes: Iterable[str]) -> dict[str, Account]:
        qs = Account.objects.filter(organisation_id=self.org_id)
        return {a.external_code: a for a in in_chunks(qs, "external_code", codes)}

    @cached_property
    def users(self) -> dict[str, User]:
        return {u.username: u for u in User.objects.filter(organisation_id=self.org_id)}

    @cached_property
    def reps(self) -> dict[str, Rep]:
        """Field profiles by rep code."""
        qs = Rep.objects.filter(organisation_id=self.org_id).select_related("user")
        return {r.code: r for r in qs}

    def person(self, value: str) -> User | None:
        """A user by rep code first, then by username."""
        rep = self.reps.get(value)
        return rep.user if rep is not None else self.users.get(value)

    @cached_property
    def products(self) -> dict[str, Product]:
        return {p.sku: p for p in Product.objects.filter(organisation_id=self.org_id)}

    @cached_property
    def categories(self) -> dict[str, Category]:
        return by_code_or_name(list(Category.objects.filter(organisation_id=self.org_id)))

    def category(self, value: str) -> Category | None:
        return self.categories.get(normalise(value))

    @cached_property
    def units(self) -> dict[str, Unit]:
        return by_code_or_name(list(Unit.objects.filter(organisation_id=self.org_id)))
