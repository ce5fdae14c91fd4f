"""What a user may do with an order now (submit, approve, reject, confirm, deliver, cancel),
one place for the order page, the API and their tests.

Reps (and whoever may see the order and write orders) submit drafts and cancel orders that
are not confirmed yet; managers and administrators approve, reject, confirm, deliver and
cancel. Viewers only read. The scope (which orders a user may see) is checked by the caller.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rumbo.core.models import Role, User
from rumbo.orders.models import Order, OrderStatus
from rumbo.orders.services import approve_order, change_status, reject_order, submit_order

STAFF = frozenset({Role.MANAGER, Role.ADMIN})
WRITERS = frozenset({Role.REP, Role.MANAGER, Role.ADMIN})
NOT_CONFIRMED = frozenset({OrderStatus.DRAFT, OrderStatus.SUBMITTED, OrderStatus.PENDING_APPROVAL})


@dataclass(frozen=True)
class Action:
    name: str
    label: str | Promise
    statuses: frozenset[str]
    roles: frozenset[str]
    needs_note: bool = False
    danger: bool = False


ACTIONS = (
    Action("submit", gettext_lazy("Submit"), frozenset({OrderStatus.DRAFT}), WRITERS),
    Action("approve", gettext_lazy("Approve"), frozenset({OrderStatus.PENDING_APPROVAL}), STAFF),
    Action(
        "reject",
        gettext_lazy("Turn down"),
        frozenset({OrderStatus.PENDING_APPROVAL}),
        STAFF,
        needs_note=True,
        danger=True,
    ),
    Action("confirm", gettext_lazy("Confirm"), frozenset({OrderStatus.SUBMITTED}), STAFF),
    Action("deliver", gettext_lazy("Mark delivered"), frozenset({OrderStatus.CONFIRMED}), STAFF),
    Action("cancel", gettext_lazy("Cancel order"), NOT_CONFIRMED, WRITERS, danger=True),
    Action(
        "cancel",
        gettext_lazy("Cancel order"),
        frozenset({OrderStatus.CONFIRMED}),
        STAFF,
        danger=True,
    ),
)


def allowed_actions(order: Order, user: User) -> list[Action]:
    """The actions the user may take on the order in its present status."""
    seen: set[str] = set()
    found = []
    for action in ACTIONS:
        if (
            order.status in action.statuses
            and user.role in action.roles
            and action.name not in seen
        ):
            seen.add(action.name)
            found.append(action)
    return found


def _runner(name: str) -> Callable[[Order, User, str], Order]:
    runners: dict[str, Callable[[Order, User, str], Order]] = {
        "submit": lambda o, u, n: submit_order(order=o, actor=u),
        "approve": lambda o, u, n: approve_order(order=o, actor=u, note=n),
        "reject": lambda o, u, n: reject_order(order=o, actor=u, note=n),
        "confirm": lambda o, u, n: change_status(
            order=o, to_status=OrderStatus.CONFIRMED, actor=u, note=n
        ),
        "deliver": lambda o, u, n: change_status(
            order=o, to_status=OrderStatus.DELIVERED, actor=u, note=n
        ),
        "cancel": lambda o, u, n: change_status(
            order=o, to_status=OrderStatus.CANCELLED, actor=u, note=n
        ),
    }
    return runners[name]


def perform(*, order: Order, action: str, actor: User, note: str = "") -> Order:
    """Take the action if the user may, else PermissionDenied; the service checks the rest."""
    if action not in {a.name for a in allowed_actions(order, actor)}:
        raise PermissionDenied(_("You may not do this with this order now."))
    return _runner(action)(order, actor, note)
