"""Reads about the demo company: one login per role, for `manage.py demo_logins`."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from rumbo.core.models import Role, User
from rumbo.demo.people import DEMO_PASSWORD, ORGANISATION_SLUG
from rumbo.territories.models import Assignment, AssignmentRole


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    password: str
    name: str
    territory: str


def _covering(user: User, role: str) -> str:
    assignment = (
        Assignment.objects.active_on(timezone.localdate())
        .filter(user=user, role=role)
        .select_related("territory")
        .order_by("territory__path")
        .first()
    )
    return assignment.territory.name if assignment else ""


def demo_logins() -> list[DemoLogin]:
    """Admin, the manager of the first region, a rep of it, and the viewers; [] if the demo
    company is not loaded."""
    users = User.objects.filter(organisation__slug=ORGANISATION_SLUG, is_active=True)
    rep_assignment = (
        Assignment.objects.active_on(timezone.localdate())
        .filter(user__in=users, role=AssignmentRole.REP, user__role=Role.REP)
        .select_related("user", "territory")
        .order_by("territory__path", "pk")
        .first()
    )
    chosen: list[tuple[User, str]] = []
    admin = users.filter(role=Role.ADMIN).order_by("pk").first()
    if admin is not None:
        chosen.append((admin, ""))
    if rep_assignment is not None:
        rep = rep_assignment.user
        if rep.manager is not None and rep.manager.role == Role.MANAGER:
            chosen.append((rep.manager, _covering(rep.manager, AssignmentRole.MANAGER)))
        chosen.append((rep, rep_assignment.territory.name))
    chosen += [(viewer, "") for viewer in users.filter(role=Role.VIEWER).order_by("team", "pk")]
    return [
        DemoLogin(
            role=f"{user.get_role_display()} ({user.get_team_display()})"
            if user.role == Role.VIEWER
            else str(user.get_role_display()),
            username=user.username,
            password=DEMO_PASSWORD,
            name=user.get_full_name(),
            territory=territory,
        )
        for user, territory in chosen
    ]
