"""Writes on the territory tree and on who covers each territory."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from rumbo.core import audit
from rumbo.core.models import Organisation, Role, User
from rumbo.territories.models import Assignment, AssignmentRole, Level, Territory

# Who may hold each kind of assignment: managers may also cover accounts themselves.
ALLOWED_ROLES: dict[str, tuple[str, ...]] = {
    AssignmentRole.REP: (Role.REP, Role.MANAGER),
    AssignmentRole.MANAGER: (Role.MANAGER, Role.ADMIN),
}
# What update_territory changes; the parent changes through move_territory.
TERRITORY_FIELDS = ["name", "code", "level", "is_active"]


def _path_for(territory: Territory, parent: Territory | None) -> str:
    return (parent.path if parent else "") + f"{territory.pk:06d}/"


@transaction.atomic
def create_territory(
    *,
    organisation: Organisation,
    name: str,
    code: str,
    level: str = Level.TERRITORY,
    parent: Territory | None = None,
    actor: User | None = None,
) -> Territory:
    if parent is not None and parent.organisation_id != organisation.pk:
        raise ValidationError(
            {"parent": _("The parent territory belongs to another organisation.")}
        )
    territory = Territory(
        organisation=organisation, name=name, code=code, level=level, parent=parent
    )
    territory.full_clean(exclude=["path"])
    territory.save()
    territory.path = _path_for(territory, parent)
    territory.depth = parent.depth + 1 if parent else 0
    territory.save(update_fields=["path", "depth"])
    if actor is not None:
        audit.record(
            actor=actor, obj=territory, action="create", changes={"parent": [None, str(parent)]}
        )
    return territory


@transaction.atomic
def move_territory(
    *, territory: Territory, parent: Territory | None, actor: User | None = None
) -> Territory:
    """Hang a territory (and its subtree) under another parent."""
    if parent is not None:
        if parent.organisation_id != territory.organisation_id:
            raise ValidationError(
                {"parent": _("The parent territory belongs to another organisation.")}
            )
        if parent.path.startswith(territory.path):
            raise ValidationError({"parent": _("A territory cannot move under itself.")})
    old_path, old_parent = territory.path, territory.parent
    new_path = _path_for(territory, parent)
    depth_change = (parent.depth + 1 if parent else 0) - territory.depth
    Territory.objects.filter(
        organisation_id=territory.organisation_id, path__startswith=old_path
    ).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + depth_change,
    )
    Territory.objects.filter(pk=territory.pk).update(parent=parent)
    territory.refresh_from_db()
    audit.record(
        actor=actor,
        obj=territory,
        action="update",
        changes={
            "parent": [str(old_parent) if old_parent else None, str(parent) if parent else None]
        },
    )
    return territory


@transaction.atomic
def update_territory(
    *, territory: Territory, actor: User | None = None, **fields: Any
) -> Territory:
    """Rename a territory, change its code or level, or (de)activate it; what changed is audited
    like the rest of the tree's history."""
    unknown = set(fields) - set(TERRITORY_FIELDS)
    if unknown:
        raise ValueError(f"Not territory fields: {sorted(unknown)}")
    before = audit.snapshot(territory, list(fields))
    for name, value in fields.items():
        setattr(territory, name, value)
    territory.full_clean(exclude=["path"])
    changes = audit.changes_between(before, audit.snapshot(territory, list(fields)))
    if not changes:
        return territory
    territory.save(update_fields=list(changes))
    audit.record(actor=actor, obj=territory, action="update", changes=changes)
    return territory


@transaction.atomic
def assign(
    *,
    territory: Territory,
    user: User,
    role: str = AssignmentRole.REP,
    valid_from: dt.date | None = None,
    replace: bool = True,
    actor: User | None = None,
) -> Assignment:
    """`user` covers `territory` from `valid_from`. With `replace`, whoever covered it in the
    same role until then stops the day before (history is kept, never rewritten)."""
    valid_from = valid_from or timezone.localdate()
    if user.organisation_id != territory.organisation_id:
        raise ValidationError(_("This user belongs to another organisation."))
    if user.role not in ALLOWED_ROLES[role]:
        raise ValidationError(
            _("%(user)s is a %(role)s and cannot be assigned as %(as)s.")
            % {"user": user, "role": user.get_role_display(), "as": AssignmentRole(role).label}
        )
    current = (
        Assignment.objects.select_for_update()
        .filter(territory=territory, role=role)
        .active_on(valid_from)
    )
    if current.filter(user=user).exists():
        raise ValidationError(
            _("%(user)s already covers %(t)s on that date.") % {"user": user, "t": territory}
        )
    if Assignment.objects.filter(
        territory=territory, role=role, user=user, valid_from__gt=valid_from
    ).exists():
        raise ValidationError(
            _("A later assignment of %(user)s exists; end it first.") % {"user": user}
        )
    if replace:
        for old in current:
            _close(old, valid_from, actor)
    assignment = Assignment.objects.create(
        organisation_id=territory.organisation_id,
        territory=territory,
        user=user,
        role=role,
        valid_from=valid_from,
        created_by=actor,
    )
    audit.record(
        actor=actor,
        obj=assignment,
        action="create",
        changes={
            "user": [None, str(user)],
            "territory": [None, str(territory)],
            "valid_from": [None, valid_from],
        },
    )
    return assignment


def _close(assignment: Assignment, day: dt.date, actor: User | None) -> None:
    if day <= assignment.valid_from:
        raise ValidationError(
            _("%(a)s starts on or after %(d)s; it cannot end then.") % {"a": assignment, "d": day}
        )
    Assignment.objects.filter(pk=assignment.pk, valid_to__isnull=True).update(valid_to=day)
    audit.record(actor=actor, obj=assignment, action="update", changes={"valid_to": [None, day]})


@transaction.atomic
def end_assignment(
    *, assignment: Assignment, valid_to: dt.date | None = None, actor: User | None = None
) -> Assignment:
    """Stop a coverage on `valid_to` (exclusive). An assignment ends once and for all."""
    if assignment.valid_to is not None:
        raise ValidationError(
            _("This assignment has already ended on %(d)s.") % {"d": assignment.valid_to}
        )
    _close(assignment, valid_to or timezone.localdate(), actor)
    assignment.refresh_from_db()
    return assignment
