"""Reads behind the territory screens: the visible tree with who covers each node and how many
accounts it holds, and one territory's page. Each runs a fixed number of queries.

Accounts sit above territories in the app layers, so they are counted through the reverse
relation `Territory.accounts`; a visible territory's accounts are all visible to the user.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch
from django.http import Http404
from django.utils import timezone

from rumbo.territories.models import Assignment, AssignmentRole, Territory, TerritoryQuerySet

if TYPE_CHECKING:
    from rumbo.core.models import User


@dataclass
class TreeNode:
    """A territory with its coverage now, its own and subtree account counts, and its children."""

    territory: Territory
    reps: list[Assignment] = field(default_factory=list)
    managers: list[Assignment] = field(default_factory=list)
    own_accounts: int = 0
    total_accounts: int = 0
    children: list[TreeNode] = field(default_factory=list)


def _with_coverage(territories: TerritoryQuerySet) -> TerritoryQuerySet:
    """Territories with their account count and their active assignments (as `current`)."""
    return territories.annotate(n_accounts=Count("accounts")).prefetch_related(
        Prefetch(
            "assignments",
            queryset=Assignment.objects.active_on().select_related("user").order_by("valid_from"),
            to_attr="current",
        )
    )


def _node(t: Territory) -> TreeNode:
    current: list[Assignment] = t.current  # type: ignore[attr-defined]
    return TreeNode(
        territory=t,
        reps=[a for a in current if a.role == AssignmentRole.REP],
        managers=[a for a in current if a.role == AssignmentRole.MANAGER],
        own_accounts=t.n_accounts,  # type: ignore[attr-defined]
        total_accounts=t.n_accounts,  # type: ignore[attr-defined]
    )


def _link(nodes: list[TreeNode]) -> list[TreeNode]:
    """Hang each node under its parent (nodes in path order) and add up subtree counts.
    Returns the roots: the nodes whose parent the user may not see."""
    by_id = {n.territory.pk: n for n in nodes}
    roots: list[TreeNode] = []
    for node in nodes:
        parent = by_id.get(node.territory.parent_id or 0)
        (parent.children if parent else roots).append(node)
    for node in reversed(nodes):  # deepest first, so children are complete before parents
        node.total_accounts = node.own_accounts + sum(c.total_accounts for c in node.children)
    return roots


def territory_tree(user: User) -> list[TreeNode]:
    """The part of the tree the user may see, as root nodes, in three queries."""
    territories = _with_coverage(Territory.objects.visible_to(user)).order_by("path")
    return _link([_node(t) for t in territories])


def count_nodes(roots: list[TreeNode]) -> int:
    return sum(1 + count_nodes(n.children) for n in roots)


@dataclass(frozen=True)
class HistoryRow:
    """One assignment and whether it is in force today ('now'), over ('ended') or to come."""

    assignment: Assignment
    state: str

    @classmethod
    def of(cls, a: Assignment, today: dt.date) -> HistoryRow:
        if a.valid_from > today:
            return cls(a, "planned")
        return cls(a, "ended" if a.valid_to is not None and a.valid_to <= today else "now")


@dataclass(frozen=True)
class TerritoryDetail:
    territory: Territory
    node: TreeNode
    breadcrumbs: list[Territory]
    history: list[HistoryRow]


def territory_detail(user: User, pk: int, *, today: dt.date | None = None) -> TerritoryDetail:
    """Territory `pk` with its visible ancestors, subtree counts and assignment history; 404
    when the user may not see it."""
    visible = Territory.objects.visible_to(user)
    territory = visible.filter(pk=pk).first()
    if territory is None:
        raise Http404
    subtree = _with_coverage(visible.filter(path__startswith=territory.path)).order_by("path")
    nodes = [_node(t) for t in subtree]
    _link(nodes)
    history = (
        Assignment.objects.filter(territory=territory)
        .select_related("user", "created_by")
        .order_by("-valid_from", "-id")
    )
    return TerritoryDetail(
        territory=territory,
        node=nodes[0],
        breadcrumbs=list(territory.ancestors().filter(pk__in=visible.values("pk"))),
        history=[HistoryRow.of(a, today or timezone.localdate()) for a in history],
    )
