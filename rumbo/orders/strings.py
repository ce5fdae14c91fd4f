"""The words the order form and the outbox write from JavaScript, translated on the server and
handed to the page (so the page works offline in the user's language), and the number format."""

from __future__ import annotations

from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _


def number_format() -> dict[str, str]:
    return {
        "decimal": str(formats.get_format("DECIMAL_SEPARATOR")),
        "thousands": str(formats.get_format("THOUSAND_SEPARATOR")),
        "currency": "S/",
    }


def page_strings() -> dict[str, Any]:
    """Every sentence the scripts show; placeholders are {name} and filled by the script."""
    return {
        "offline": _("No connection: you are working offline."),
        "online": _("Connected."),
        "no_data": _("This device has no data yet: open this page once with a connection."),
        "data_from": _("Accounts and prices kept on this device (updated {when})"),
        "locating": _("Finding where you are…"),
        "no_location": _("The device did not give its location."),
        "no_accounts": _("No account matches."),
        "too_many_accounts": _("Type to search your accounts."),
        "change": _("Change"),
        "km": _("{km} km"),
        "credit": _("Credit available: {amount}"),
        "min_order": _("Minimum order: {amount} without IGV"),
        "usual": _("Usual basket"),
        "usual_hint": _("In {times} of its {of} orders of the last six months"),
        "last_year": _("Bought in {month}"),
        "last_year_hint": _("{bought} in {orders} orders"),
        "no_suggestions": _("No suggestions for this account yet."),
        "add": _("Add"),
        "add_all": _("Add all"),
        "in_order": _("On the order"),
        "no_products": _("No product matches."),
        "discontinued": _("Discontinued"),
        "empty_order": _("No products yet: add them from the suggestions or the catalogue."),
        "quantity": _("Quantity"),
        "discount": _("Discount %"),
        "remove": _("Remove"),
        "free_units": _("+ {qty} free ({promo})"),
        "promo_discount": _("−{pct} % {promo}"),
        "unit_price": _("{price} per {unit} without IGV"),
        "sent": _("Order {number} sent."),
        "sent_waiting": _("Order {number} sent; it waits for a manager's approval: {reasons}"),
        "saved_offline": _(
            "No connection: the order is kept on this device and will be sent "
            "when the connection returns."
        ),
        "refused": _("The order was refused: {reason}"),
        "see_order": _("See the order"),
        "bad_quantity": _(
            "The quantity must be above 0 and at most {max}, with up to three decimals."
        ),
        "min_quantity": _("At least {min}."),
        "multiple_of": _("Sold in multiples of {step}."),
        "bad_discount": _("A discount goes from 0 to 99.99 %."),
        "needs_approval_discount": _("A discount above {max} % needs a manager's approval."),
        "needs_approval_credit": _(
            "This order goes over the credit limit ({limit}; open orders "
            "{open}): it will wait for a manager's approval."
        ),
        "below_minimum": _("The minimum order is {min} without IGV."),
        "outbox_empty": _("Nothing waits to be sent from this device."),
        "waiting": _("Waiting for a connection"),
        "refused_state": _("Refused"),
        "written": _("Written {when}"),
        "lines_count": _("{n} lines"),
        "fix": _("Fix and send again"),
        "discard": _("Discard"),
        "discard_confirm": _("Discard this order? It has not reached the server."),
        "copied_from": _("Copied from order {number}: prices and promotions are today's."),
        "fixing": _("Fixing a refused order: change what the message says and send it again."),
        "page_offline": _("This page needs a connection. Orders and the outbox work offline."),
        "sign_in_again": _("Sign in again to send the orders kept on this device."),
    }
