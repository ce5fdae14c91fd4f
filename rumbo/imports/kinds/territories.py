"""Import of the territory tree (upsert by code) and of who covers each territory from when."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rumbo.core.models import User
from rumbo.imports import values as v
from rumbo.imports.kinds.base import (
    Context,
    Field,
    Kind,
    Op,
    Record,
    changed,
    duplicates,
    fail,
    parents_first,
)  # fmt: skip
from rumbo.territories.models import Assignment, AssignmentRole, Level, Territory
from rumbo.territories.services import (
    ALLOWED_ROLES,
    assign,
    create_territory,
    move_territory,
    update_territory,
)

LEVELS = {
    "country": Level.COUNTRY, "pais": Level.COUNTRY, "region": Level.REGION,
    "zone": Level.ZONE, "zona": Level.ZONE, "territory": Level.TERRITORY,
    "territorio": Level.TERRITORY, "ruta": Level.TERRITORY,
}  # fmt: skip
ASSIGNMENT_ROLES = {
    "rep": AssignmentRole.REP, "vendedor": AssignmentRole.REP, "manager": AssignmentRole.MANAGER,
    "gerente": AssignmentRole.MANAGER, "supervisor": AssignmentRole.MANAGER,
    "jefe": AssignmentRole.MANAGER,
}  # fmt: skip


class Territories(Kind):
    code = "territories"
    label = gettext_lazy("Territories")
    fields = (
        Field("code", gettext_lazy("Code"), v.text(40), required=True,
              synonyms=("codigo", "codigo territorio", "territory id", "territory code")),
        Field("name", gettext_lazy("Name"), v.text(120),
              synonyms=("nombre", "territorio", "descripcion", "territory description")),
        Field("level", gettext_lazy("Level"),
              v.choice(LEVELS, gettext_lazy("country, region, zone, territory")),
              synonyms=("nivel", "tipo")),
        Field("parent", gettext_lazy("Parent code"), v.text(40),
              synonyms=("padre", "codigo padre", "parent id", "parent code", "region id")),
        Field("is_active", gettext_lazy("Active"), v.boolean, synonyms=("activo",)),
    )  # fmt: skip
    layout_help = gettext_lazy(
        "One row per territory: code, name, level and the code of its parent (empty for the "
        "top). A parent may come later in the file."
    )

    def plan(self, records: list[Record], ctx: Context) -> list[Op]:
        repeated = duplicates(records, lambda r: r.get("code"), "code", ctx)
        rows = [r for r in records if r.row not in repeated and not r.failed]
        in_file = {r.values["code"] for r in rows}
        made: dict[str, Territory] = dict(ctx.refs.territories)
        ops = []
        for record in parents_first(
            rows, lambda r: r.get("code"), lambda r: r.get("parent"), "parent", ctx
        ):
            op = self.plan_row(record, in_file, made, ctx)
            if op is not None:
                ops.append(op)
        return ops

    def plan_row(
        self, record: Record, in_file: set[str], made: dict[str, Territory], ctx: Context
    ) -> Op | None:
        code, parent_code = record.values["code"], record.get("parent")
        territory = ctx.refs.territories.get(code)
        parent = ctx.refs.territories.get(parent_code) if parent_code else None
        if territory is not None and not ctx.territory_in_scope(territory.pk):
            fail(record, "code", _("territory '%(v)s' is not yours.") % {"v": code}, ctx)
        if parent_code and parent is None and parent_code not in in_file:
            fail(
                record, "parent", _("no territory has the code '%(v)s'.") % {"v": parent_code}, ctx
            )
        elif parent is not None and not ctx.territory_in_scope(parent.pk):
            fail(record, "parent", _("territory '%(v)s' is not yours.") % {"v": parent_code}, ctx)
        elif territory is None and parent_code is None and ctx.scope.territory_ids is not None:
            fail(record, "parent", _("a new territory must hang under one of yours."), ctx)
        if territory is None:
            if not ctx.require(record, ("name",), self.by_name):
                return None
            return Op(record.row, "create", lambda: self.create(record, made, ctx))
        if parent is not None and parent.path.startswith(territory.path):
            fail(record, "parent", _("a territory cannot move under itself."), ctx)
        if record.failed:
            return None
        diff = changed(
            territory, {k: record.values[k] for k in ("name", "level", "is_active") if k in record}
        )
        moves = parent_code is not None and (
            territory.parent_id is None or parent is None or parent.pk != territory.parent_id
        )
        if not diff and not moves:
            return Op(record.row, "unchanged")
        return Op(
            record.row,
            "update",
            lambda: self.update(territory, diff, made.get(parent_code or ""), moves, ctx),
        )

    def create(self, record: Record, made: dict[str, Territory], ctx: Context) -> Territory:
        parent_code = record.get("parent")
        territory = create_territory(
            organisation=ctx.organisation, name=record.values["name"], code=record.values["code"],
            level=record.get("level", Level.TERRITORY),
            parent=made[parent_code] if parent_code else None, actor=ctx.actor,
        )  # fmt: skip
        if record.get("is_active") is False:
            territory = update_territory(territory=territory, is_active=False, actor=ctx.actor)
        made[territory.code] = territory
        return territory

    def update(
        self, territory: Territory, diff: dict[str, Any], parent: Territory | None, moves: bool,
        ctx: Context,
    ) -> Territory:  # fmt: skip
        if diff:
            territory = update_territory(territory=territory, actor=ctx.actor, **diff)
        if moves:
            territory = move_territory(territory=territory, parent=parent, actor=ctx.actor)
        return territory


class Assignments(Kind):
    code = "assignments"
    label = gettext_lazy("Assignments")
    fields = (
        Field("territory", gettext_lazy("Territory (code)"), v.text(40), required=True,
              synonyms=("territorio", "codigo territorio", "territory id", "sales territory key")),
        Field("rep", gettext_lazy("Rep (code or username)"), v.text(150), required=True,
              synonyms=("vendedor", "codigo vendedor", "usuario", "employee id", "employee key")),
        Field("role", gettext_lazy("Role"),
              v.choice(ASSIGNMENT_ROLES, gettext_lazy("rep, manager")),
              synonyms=("rol",)),
        Field("valid_from", gettext_lazy("From"), v.date, required=True,
              synonyms=("desde", "fecha inicio", "start date", "valido desde")),
        Field("replace", gettext_lazy("Replaces whoever covered it"), v.boolean,
              synonyms=("reemplaza",)),
    )  # fmt: skip
    layout_help = gettext_lazy(
        "One row per coverage: territory, rep, role and first day. Several people may cover one "
        "territory; with “replaces”, whoever covered it in that role stops the day before."
    )

    def plan(self, records: list[Record], ctx: Context) -> list[Op]:
        key = lambda r: (r.get("territory"), r.get("rep"), r.get("role", AssignmentRole.REP))  # noqa: E731
        repeated = duplicates(records, key, "rep", ctx)
        replacing = [r for r in records if r.get("replace")]
        duplicates(
            replacing, lambda r: (r.get("territory"), r.get("role", AssignmentRole.REP)), "replace",
            ctx, _("row %(row)s already replaces whoever covers this territory."),
        )  # fmt: skip
        ops = []
        for record in records:
            territory = self.territory(record, ctx)
            user = self.user(record, ctx)
            if record.failed or record.row in repeated or territory is None or user is None:
                continue
            op = self.plan_row(record, territory, user, ctx)
            if op is not None:
                ops.append(op)
        return ops

    def territory(self, record: Record, ctx: Context) -> Territory | None:
        code = record.get("territory")
        territory = ctx.refs.territories.get(code) if code else None
        if code and territory is None:
            fail(record, "territory", _("no territory has the code '%(v)s'.") % {"v": code}, ctx)
        elif territory is not None and not ctx.territory_in_scope(territory.pk):
            fail(record, "territory", _("territory '%(v)s' is not yours.") % {"v": code}, ctx)
            return None
        return territory

    def user(self, record: Record, ctx: Context) -> User | None:
        code = record.get("rep")
        user = ctx.refs.person(code) if code else None
        if code and (user is None or not ctx.user_in_scope(user.pk)):
            fail(record, "rep", _("no user or rep has the code '%(v)s'.") % {"v": code}, ctx)
            return None
        role = record.get("role", AssignmentRole.REP)
        if user is not None and user.role not in ALLOWED_ROLES[role]:
            message = _("%(user)s is a %(role)s and cannot be assigned as %(as)s.") % {
                "user": user, "role": user.get_role_display(), "as": AssignmentRole(role).label,
            }  # fmt: skip
            fail(record, "role", message, ctx)
        return user

    def plan_row(self, record: Record, territory: Territory, user: User, ctx: Context) -> Op | None:
        role, day = record.get("role", AssignmentRole.REP), record.values["valid_from"]
        same = Assignment.objects.filter(territory=territory, role=role)
        if same.filter(user=user).active_on(day).exists():
            return Op(record.row, "unchanged")
        if same.filter(user=user, valid_from__gt=day).exists():
            fail(
                record,
                "valid_from",
                _("a later assignment of this person exists; end it first."),
                ctx,
            )
            return None
        replace = bool(record.get("replace"))
        if replace and same.active_on(day).filter(valid_from=day).exists():
            fail(
                record,
                "valid_from",
                _("someone starts covering this territory that same day."),
                ctx,
            )
            return None
        return Op(
            record.row, "create", lambda: self.create(territory, user, role, day, replace, ctx)
        )

    def create(
        self, territory: Territory, user: User, role: str, day: dt.date, replace: bool, ctx: Context
    ) -> Assignment:
        return assign(
            territory=territory,
            user=user,
            role=role,
            valid_from=day,
            replace=replace,
            actor=ctx.actor,
        )
