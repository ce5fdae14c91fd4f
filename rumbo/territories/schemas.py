"""API shapes of territories: a short reference and the tree node with who covers it now."""

from __future__ import annotations

from django.db.models import Q
from ninja import Field, FilterSchema, Schema

from rumbo.core.models import User
from rumbo.core.schemas import PersonRef
from rumbo.territories.models import AssignmentRole, Level, Territory


class TerritoryRef(Schema):
    id: int
    code: str
    name: str


def _people(obj: Territory, role: str) -> list[User]:
    """Users of the prefetched `current_assignments` in one role."""
    return [a.user for a in getattr(obj, "current_assignments", []) if a.role == role]


class TerritoryOut(Schema):
    id: int
    code: str
    name: str
    level: Level
    parent_id: int | None
    depth: int = Field(description="0 for a root; one more per level below it.")
    path: str = Field(description="Materialised path of zero-padded ids, root first.")
    is_active: bool
    reps: list[PersonRef] = Field(description="Reps covering the territory today.")
    managers: list[PersonRef] = Field(description="Managers of the territory today.")

    @staticmethod
    def resolve_reps(obj: Territory) -> list[User]:
        return _people(obj, AssignmentRole.REP)

    @staticmethod
    def resolve_managers(obj: Territory) -> list[User]:
        return _people(obj, AssignmentRole.MANAGER)


class TerritoryQuery(FilterSchema):
    q: str | None = Field(None, description="Part of the name or code.")
    level: Level | None = None
    parent: int | None = Field(None, description="Only the children of this territory.")
    is_active: bool | None = None

    def filter_q(self, value: str | None) -> Q:
        return Q(name__icontains=value) | Q(code__icontains=value) if value else Q()

    def filter_parent(self, value: int | None) -> Q:
        return Q(parent_id=value) if value is not None else Q()
