"""Import of reps: the user who signs in (upsert by username) and their field profile (rep code).

New users get no password: they sign in once an administrator sets one. A manager may import
only reps, and only those in their scope.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rumbo.core.models import Role, User
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
from rumbo.team.models import Rep
from rumbo.team.services import create_rep, create_user, update_rep, update_user

ROLES = {
    "rep": Role.REP, "vendedor": Role.REP, "vendedora": Role.REP, "salesrep": Role.REP,
    "salesrepresentative": Role.REP, "manager": Role.MANAGER, "gerente": Role.MANAGER,
    "supervisor": Role.MANAGER, "jefe": Role.MANAGER, "jefedeventas": Role.MANAGER,
    "salesmanager": Role.MANAGER,
}  # fmt: skip
USER_FIELDS = ("first_name", "last_name", "email", "role")
REP_FIELDS = ("phone", "home_lat", "home_lon", "weekly_capacity_hours", "cost_per_hour",
              "max_discount_pct", "is_active")  # fmt: skip


def username(raw: Any) -> str:
    value = v.text(150)(raw)
    try:
        UnicodeUsernameValidator()(value)
    except ValidationError:
        raise v.CellError(
            _("'%(value)s' is not a username (letters, digits and @ . + - _ only).")
            % {"value": value}
        ) from None
    return value


def capacity(raw: Any) -> Decimal:
    value = v.rounded(1)(raw)
    if value > 84:
        raise v.CellError(_("'%(value)s' hours a week is more than 84.") % {"value": v.shown(raw)})
    return value


class Reps(Kind):
    code = "reps"
    label = gettext_lazy("Reps")
    fields = (
        Field("username", gettext_lazy("Username"), username, required=True,
              synonyms=("usuario", "login", "user")),
        Field("code", gettext_lazy("Rep code"), v.text(40),
              synonyms=("codigo", "codigo vendedor", "cod vendedor", "employee id", "rep code")),
        Field("first_name", gettext_lazy("First name"), v.text(150),
              synonyms=("nombres", "nombre", "firstname")),
        Field("last_name", gettext_lazy("Last name"), v.text(150),
              synonyms=("apellidos", "apellido", "lastname")),
        Field("email", gettext_lazy("Email"), v.email, synonyms=("correo", "email address")),
        Field("role", gettext_lazy("Role"), v.choice(ROLES, gettext_lazy("rep, manager")),
              synonyms=("rol",)),
        Field("manager", gettext_lazy("Reports to"), v.text(150),
              synonyms=("jefe", "supervisor", "reports to", "reportsto", "manager")),
        Field("phone", gettext_lazy("Phone"), v.text(30), synonyms=("telefono", "celular")),
        Field("home_ubigeo", gettext_lazy("Home ubigeo"), v.ubigeo, synonyms=("ubigeo",)),
        Field("home_lat", gettext_lazy("Home latitude"), v.coordinate(90), synonyms=("latitud",)),
        Field("home_lon", gettext_lazy("Home longitude"), v.coordinate(180),
              synonyms=("longitud",)),
        Field("weekly_capacity_hours", gettext_lazy("Weekly capacity (hours)"), capacity,
              synonyms=("horas semanales", "capacidad")),
        Field("cost_per_hour", gettext_lazy("Cost per hour"), v.money, synonyms=("costo hora",)),
        Field("max_discount_pct", gettext_lazy("Highest discount without approval (%)"),
              v.percent, synonyms=("descuento maximo",)),
        Field("is_active", gettext_lazy("Active"), v.boolean, synonyms=("activo",)),
    )  # fmt: skip
    layout_help = gettext_lazy(
        "One row per rep: the user (found by username) and their field profile (rep code). "
        "“Reports to” is a username or rep code, in Rumbo or in this file."
    )

    def plan(self, records: list[Record], ctx: Context) -> list[Op]:
        bad = duplicates(records, lambda r: r.get("username"), "username", ctx)
        bad |= duplicates(records, lambda r: r.get("code"), "code", ctx)
        ctx.state["taken"] = set(
            User.objects.filter(username__in=[r.get("username") for r in records])
            .exclude(organisation=ctx.organisation)
            .values_list("username", flat=True)
        )  # fmt: skip
        rows = [r for r in records if r.row not in bad and not r.failed]
        aliases = {r.values["code"]: r.values["username"] for r in rows if "code" in r}
        made: dict[str, User] = {}
        ops = []
        manager_of = lambda r: aliases.get(r.get("manager"), r.get("manager"))  # noqa: E731
        for record in parents_first(rows, lambda r: r.get("username"), manager_of, "manager", ctx):
            op = self.plan_row(
                record, manager_of(record), {r.values["username"] for r in rows}, made, ctx
            )
            if op is not None:
                ops.append(op)
        return ops

    def plan_row(
        self, record: Record, manager: str | None, in_file: set[str], made: dict[str, User],
        ctx: Context,
    ) -> Op | None:  # fmt: skip
        name = record.values["username"]
        user = ctx.refs.users.get(name)
        self.check_user(record, user, ctx)
        boss = self.manager(record, manager, in_file, ctx)
        rep = self.profiles(ctx).get(user.pk) if user else None
        profile = self.profile(record, rep, ctx)
        if user is None:
            if not ctx.require(record, ("code",), self.by_name):
                return None
            return Op(record.row, "create", lambda: self.create(record, boss, profile, made, ctx))
        if record.failed:
            return None
        made[name] = user
        user_diff = changed(user, {k: record.values[k] for k in USER_FIELDS if k in record})
        if manager is not None and user.manager_id != (boss.pk if isinstance(boss, User) else None):
            user_diff["manager"] = boss
        rep_diff = changed(rep, profile) if rep else profile
        if rep is None and "code" not in profile:
            fail(record, "code", _("a value is required."), ctx)
            return None
        if not user_diff and not rep_diff:
            return Op(record.row, "unchanged")
        return Op(
            record.row, "update", lambda: self.update(user, rep, user_diff, rep_diff, made, ctx)
        )

    def profiles(self, ctx: Context) -> dict[int, Rep]:
        if "profiles" not in ctx.state:
            ctx.state["profiles"] = {rep.user_id: rep for rep in ctx.refs.reps.values()}
        return ctx.state["profiles"]

    def check_user(self, record: Record, user: User | None, ctx: Context) -> None:
        name = record.values["username"]
        if name in ctx.state["taken"]:
            fail(record, "username", _("the username '%(v)s' is taken.") % {"v": name}, ctx)
        elif user is not None and user.role not in (Role.REP, Role.MANAGER):
            fail(record, "username", _("'%(v)s' is not a rep or manager.") % {"v": name}, ctx)
        elif user is not None and not ctx.user_in_scope(user.pk):
            fail(record, "username", _("'%(v)s' is not in your team.") % {"v": name}, ctx)
        limited = ctx.actor is not None and ctx.actor.role != Role.ADMIN
        if limited and record.get("role", Role.REP) != Role.REP:
            fail(record, "role", _("only an administrator can import managers."), ctx)

    def manager(self, record: Record, manager: str | None, in_file: set[str], ctx: Context) -> Any:
        """The user the rep reports to; a name of this file is resolved when written."""
        if manager is None:
            return None
        boss = ctx.refs.users.get(manager) or ctx.refs.person(manager)
        if boss is None and manager in in_file:
            return manager
        if boss is None or not ctx.user_in_scope(boss.pk):
            fail(record, "manager", _("no user or rep has the code '%(v)s'.") % {"v": manager}, ctx)
        return boss

    def profile(self, record: Record, rep: Rep | None, ctx: Context) -> dict[str, Any]:
        """The rep-profile fields this row sets."""
        wanted = {k: record.values[k] for k in REP_FIELDS if k in record}
        code = record.get("code")
        if code is not None:
            owner = ctx.refs.reps.get(code)
            if owner is not None and owner.user.username != record.values["username"]:
                fail(
                    record,
                    "code",
                    _("rep code '%(v)s' belongs to %(u)s.") % {"v": code, "u": owner.user},
                    ctx,
                )
            wanted["code"] = code
        if "home_ubigeo" in record:
            ubigeo = record.values["home_ubigeo"]
            if ubigeo in ctx.refs.ubigeos:
                wanted["home_distrito"] = ctx.refs.distrito(ubigeo)
            else:
                fail(
                    record,
                    "home_ubigeo",
                    _("no district has the ubigeo '%(v)s'.") % {"v": ubigeo},
                    ctx,
                )
        return wanted

    def create(
        self,
        record: Record,
        boss: Any,
        profile: dict[str, Any],
        made: dict[str, User],
        ctx: Context,
    ) -> Rep:
        fields = {k: record.values[k] for k in USER_FIELDS if k in record}
        if boss is None and ctx.actor is not None and ctx.actor.role == Role.MANAGER:
            boss = ctx.actor  # a manager's new rep reports to them, so stays in their team
        user = create_user(
            organisation=ctx.organisation, username=record.values["username"],
            manager=made[boss] if isinstance(boss, str) else boss, **fields,
        )  # fmt: skip
        made[user.username] = user
        return create_rep(user=user, **profile)

    def update(
        self, user: User, rep: Rep | None, user_diff: dict[str, Any], rep_diff: dict[str, Any],
        made: dict[str, User], ctx: Context,
    ) -> User:  # fmt: skip
        if user_diff:
            boss = user_diff.get("manager")
            if isinstance(boss, str):  # a manager this file creates
                user_diff["manager"] = made[boss]
            user = update_user(user=user, actor=ctx.actor, **user_diff)
        if rep is None:
            create_rep(user=user, **rep_diff)
        elif rep_diff:
            update_rep(rep=rep, **rep_diff)
        return user
