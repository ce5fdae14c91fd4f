"""The business rules of a new order, each with a message a rep understands.

Some rules refuse the order (unknown or discontinued products, quantities outside the limits,
a total under the minimum, prices that changed since the rep showed them); the two others send
it to a manager instead (a discount above the rep's threshold, a credit limit exceeded).
Every refusal names its line, so the order form can point at it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Context, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext as _

from rumbo.catalog.cache import Catalogue
from rumbo.catalog.cache import catalogue as catalogue_of
from rumbo.core.fastsql import columns, select
from rumbo.core.models import Role, User
from rumbo.core.templatetags.rumbo import format_money
from rumbo.customers.models import Account
from rumbo.orders.models import OPEN_STATUSES, OrderPolicy, QuantityLimit
from rumbo.orders.pricing import LineInput, Totals
from rumbo.team.models import Rep

MAX_QUANTITY = Decimal("100000")
CENT = Decimal("0.01")
SUM_CONTEXT = Context(prec=15)


@dataclass(frozen=True)
class Problem:
    """Why an order was refused: a stable code for programs and a sentence for people."""

    code: str
    message: str
    line: int | None = None
    product_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "line": self.line,
            "product": self.product_id,
        }


class OrderRefused(ValidationError):
    """The order breaks a rule; nothing was written."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__([p.message for p in problems])
        self.problems = list(problems)

    @property
    def code_name(self) -> str:
        return self.problems[0].code


@dataclass(frozen=True)
class Policy:
    min_order_amount: Decimal = Decimal("0")
    max_line_quantity: Decimal = MAX_QUANTITY


def _policies(catalogue: Catalogue) -> dict[int | None, Policy]:
    rows = select(
        f"SELECT {columns(OrderPolicy, 'p')} FROM orders_orderpolicy p WHERE organisation_id = %s",
        [catalogue.organisation_id],
        OrderPolicy,
    )
    return {row.channel_id: Policy(row.min_order_amount, row.max_line_quantity) for (row,) in rows}


def policy_for(account: Account, catalogue: Catalogue) -> Policy:
    """The account's channel row, else the organisation's general row, else no limits."""
    found = catalogue.memo("order_policies", lambda: _policies(catalogue))
    if account.channel_id in found:
        return found[account.channel_id]
    return found.get(None, Policy())


def _where(n: int, line: LineInput) -> str:
    return _("Line %(n)s (%(p)s)") % {"n": n, "p": line.product.sku}


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _quantity_problem(line: LineInput, policy: Policy, limit: QuantityLimit | None) -> str | None:
    """What is wrong with the line's quantity, or None."""
    q, highest = line.quantity, policy.max_line_quantity
    if limit is not None and limit.max_quantity is not None:
        highest = min(highest, limit.max_quantity)
    if not (Decimal("0") < q <= highest):
        return _("the quantity must be above 0 and at most %(max)s.") % {"max": highest}
    if _places(q) > 3:
        return _("a quantity has at most three decimals.")
    if limit is None:
        return None
    if limit.min_quantity is not None and q < limit.min_quantity:
        return _("the lowest quantity of this product is %(min)s.") % {"min": limit.min_quantity}
    if limit.multiple_of and q % limit.multiple_of != 0:
        return _("this product is sold in multiples of %(step)s.") % {"step": limit.multiple_of}
    return None


def _line_problems(
    n: int, line: LineInput, organisation_id: int, policy: Policy,
    limits: dict[int, QuantityLimit], historical: bool,
) -> list[Problem]:  # fmt: skip
    product = line.product
    found: list[tuple[str, str]] = []
    if product.organisation_id != organisation_id:
        text = _("%(where)s: unknown product.") % {"where": _where(n, line)}
        return [Problem("unknown_product", text, n)]
    if not historical and (product.discontinued or not product.is_active):
        found.append(("discontinued", _("this product is discontinued.")))
    wrong = _quantity_problem(line, policy, limits.get(product.pk))
    if wrong:
        found.append(("quantity", wrong))
    top = Decimal("100") if historical else Decimal("99.99")
    if not (Decimal("0") <= line.discount_pct <= top) or _places(line.discount_pct) > 2:
        found.append(("discount", _("a discount goes from 0 to %(max)s %%.") % {"max": top}))
    if not found:  # the usual case: no need to translate where the line is
        return []
    where = _where(n, line)
    return [Problem(code, f"{where}: {text}", n, product.pk) for code, text in found]


def _limits(catalogue: Catalogue) -> dict[int, QuantityLimit]:
    rows = select(
        f"SELECT {columns(QuantityLimit, 'q')} FROM orders_quantitylimit q "
        "WHERE organisation_id = %s",
        [catalogue.organisation_id],
        QuantityLimit,
    )
    return {limit.product_id: limit for (limit,) in rows}


def check_lines(
    lines: Sequence[LineInput],
    *,
    organisation_id: int,
    policy: Policy,
    catalogue: Catalogue | None = None,
    historical: bool = False,
) -> None:
    """Refuse an order without lines, with a product twice, or with a line that breaks a rule;
    every problem is reported at once. Historical (imported) orders are only checked for
    products of the organisation and sane quantities and discounts."""
    if not lines:
        raise OrderRefused([Problem("empty", _("An order needs at least one line."))])
    limits: dict[int, QuantityLimit] = {}
    if not historical:
        catalogue = catalogue or catalogue_of(organisation_id)
        limits = catalogue.memo("quantity_limits", lambda: _limits(catalogue))
    problems: list[Problem] = []
    seen: set[int] = set()
    for n, line in enumerate(lines, start=1):
        if line.product.pk in seen and not historical:
            text = _("%(where)s: the product is already on the order; put the quantities together.")
            problems.append(Problem("duplicate", text % {"where": _where(n, line)}, n))
        seen.add(line.product.pk)
        problems += _line_problems(n, line, organisation_id, policy, limits, historical)
    if problems:
        raise OrderRefused(problems)


def check_minimum(policy: Policy, totals: Totals, currency: str) -> None:
    if totals.net < policy.min_order_amount:
        raise OrderRefused(
            [
                Problem(
                    "min_amount",
                    _("The minimum order is %(min)s without IGV; this order comes to %(net)s.")
                    % {
                        "min": format_money(policy.min_order_amount, currency),
                        "net": format_money(totals.net, currency),
                    },
                )
            ]
        )


def check_expected_total(expected: Decimal | None, totals: Totals, currency: str) -> None:
    """The rep showed the customer a total; if prices moved since, the rep must see it first."""
    if expected is None or abs(expected - totals.total) < CENT:
        return
    message = _(
        "Prices or promotions changed: the order now comes to %(now)s (with IGV), not %(then)s. "
        "Check it with the customer and send it again."
    ) % {"now": format_money(totals.total, currency), "then": format_money(expected, currency)}
    raise OrderRefused([Problem("price_changed", message)])


def allowed_discount(actor: User | None) -> Decimal | None:
    """The highest discount the actor may give without approval; None means no limit
    (managers and admins approve discounts themselves, and system writes have no rep)."""
    if actor is None or actor.role != Role.REP:
        return None
    found = select(
        f"SELECT {columns(Rep, 'r')} FROM team_rep r WHERE user_id = %s", [actor.pk], Rep
    )
    return found[0][0].max_discount_pct if found else Decimal("0")


def _decimal(value: Any) -> Decimal:
    if isinstance(value, float):  # SQLite sums decimals as floats; as Django converts them
        return SUM_CONTEXT.create_decimal_from_float(value)
    return Decimal(value or 0)


def _locked_account(account: Account, actor: User | None) -> tuple[Decimal, Decimal | None]:
    """Lock the account's row (see summary.lock_account) and read, in the same statement, what
    its open orders (submitted, waiting, confirmed) add up to with IGV when it has a credit
    limit, and the actor's discount ceiling (`allowed_discount`). In SQL of our own: it runs
    on every submitted order, and the ORM's queries cost more CPU than their run."""
    credit = account.credit_limit > 0
    rep_id = actor.pk if actor is not None and actor.role == Role.REP else None
    rep = rep_id is not None
    marks = ", ".join(["%s"] * len(OPEN_STATUSES))
    lock_sql = " FOR UPDATE" if connection.features.has_select_for_update else ""
    open_sql = (
        "(SELECT SUM(o.total_amount) FROM orders_order o WHERE o.account_id = a.id "
        f"AND o.status IN ({marks}))"
    )
    rep_sql = "(SELECT r.max_discount_pct FROM team_rep r WHERE r.user_id = %s)"
    params: list[Any] = [*(str(s) for s in OPEN_STATUSES)] if credit else []
    if rep:
        params.append(rep_id)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {open_sql if credit else 'NULL'}, {rep_sql if rep else 'NULL'} "
            f"FROM customers_account a WHERE a.id = %s{lock_sql}",
            [*params, account.pk],
        )
        row = cursor.fetchone()
    already = _decimal(row[0] if row else None).quantize(CENT)
    ceiling = (_decimal(row[1]) if row else Decimal("0")) if rep else None
    return already, ceiling


def approval_reasons(
    *, account: Account, lines: Sequence[LineInput], totals: Totals, actor: User | None
) -> list[dict[str, Any]]:
    """Why the order needs a manager: discounts above the threshold, credit exceeded.
    A credit limit of 0 means no limit was recorded for the account. The account's row is
    locked (in the query that reads its open orders), for the summaries that follow."""
    reasons: list[dict[str, Any]] = []
    already, ceiling = _locked_account(account, actor)
    if ceiling is not None:
        for n, line in enumerate(lines, start=1):
            if line.discount_pct > ceiling:
                reasons.append(
                    {"code": "discount", "line": n, "sku": line.product.sku,
                     "pct": f"{line.discount_pct:.2f}", "max": f"{ceiling:.2f}"}
                )  # fmt: skip
    if account.credit_limit > 0 and already + totals.total > account.credit_limit:
        reasons.append(
            {"code": "credit", "limit": str(account.credit_limit), "open": str(already),
             "total": str(totals.total)}
        )  # fmt: skip
    return reasons
