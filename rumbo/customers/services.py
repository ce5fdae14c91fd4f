"""Writes on accounts and contacts, and moving an account to another territory."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rumbo.core import audit
from rumbo.core.models import Organisation, User
from rumbo.customers.models import Account, Alignment, Contact
from rumbo.territories.models import Territory

ACCOUNT_FIELDS = [
    "external_code", "legal_name", "trade_name", "tax_id_type", "tax_id", "channel", "address",
    "country", "city", "distrito", "opening_hours", "status", "credit_limit", "phone", "email",
    "opened_on", "closed_on",
]  # fmt: skip


def _check_same_org(organisation_id: int, **objects: Any) -> None:
    for name, obj in objects.items():
        if obj is not None and obj.organisation_id != organisation_id:
            raise ValidationError({name: _("This belongs to another organisation.")})


@transaction.atomic
def create_account(
    *,
    organisation: Organisation,
    lat: float | None = None,
    lon: float | None = None,
    territory: Territory | None = None,
    actor: User | None = None,
    valid_from: dt.date | None = None,
    **fields: Any,
) -> Account:
    """Create an account; without coordinates it sits at its district's reference point."""
    account = Account(organisation=organisation, **fields)
    _check_same_org(organisation.pk, channel=account.channel, territory=territory)
    account.place(lat, lon)
    account.territory = territory
    account.full_clean()
    account.save()
    if territory is not None:
        Alignment.objects.create(
            account=account,
            territory=territory,
            valid_from=valid_from or timezone.localdate(),
            created_by=actor,
        )
    return account


@transaction.atomic
def update_account(
    *,
    account: Account,
    lat: float | None = None,
    lon: float | None = None,
    actor: User | None = None,
    **fields: Any,
) -> Account:
    """Change an account's details; returns it unchanged when nothing differs."""
    unknown = set(fields) - set(ACCOUNT_FIELDS)
    if unknown:
        raise ValueError(f"Not account fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(account, name, value)
    _check_same_org(account.organisation_id, channel=account.channel)
    if lat is not None and lon is not None:
        account.place(lat, lon)
    elif "distrito" in fields and account.location_is_approximate:
        account.place(None, None)
    account.full_clean()
    account.save()
    return account


@transaction.atomic
def move_account(
    *,
    account: Account,
    territory: Territory | None,
    valid_from: dt.date | None = None,
    actor: User | None = None,
) -> Account:
    """Put an account in another territory from `valid_from`, keeping the alignment history."""
    valid_from = valid_from or timezone.localdate()
    if territory is not None:
        _check_same_org(account.organisation_id, territory=territory)
    if account.territory_id == (territory.pk if territory else None):
        return account
    current = Alignment.objects.select_for_update().filter(account=account, valid_to__isnull=True)
    for row in current:
        if row.valid_from >= valid_from:
            raise ValidationError(
                _("%(account)s moved on %(d)s; a new move must start later.")
                % {"account": account, "d": row.valid_from}
            )
        current.filter(pk=row.pk).update(valid_to=valid_from)
    if territory is not None:
        Alignment.objects.create(
            account=account, territory=territory, valid_from=valid_from, created_by=actor
        )
    old = account.territory
    account.territory = territory
    account.save(update_fields=["territory", "updated_at"])
    audit.record(
        actor=actor,
        obj=account,
        action="update",
        changes={
            "territory": [str(old) if old else None, str(territory) if territory else None],
            "valid_from": [None, valid_from],
        },
    )
    return account


@transaction.atomic
def add_contact(
    *, account: Account, name: str, actor: User | None = None, **fields: Any
) -> Contact:
    contact = Contact(account=account, name=name, **fields)
    contact.full_clean()
    if contact.is_primary:
        account.contacts.filter(is_primary=True).update(is_primary=False)
    contact.save()
    return contact


CONTACT_FIELDS = ["name", "position", "phone", "email", "is_primary", "external_code"]


@transaction.atomic
def update_contact(*, contact: Contact, actor: User | None = None, **fields: Any) -> Contact:
    """Change a contact's details; a new main contact takes the place of the account's old one."""
    unknown = set(fields) - set(CONTACT_FIELDS)
    if unknown:
        raise ValueError(f"Not contact fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(contact, name, value)
    contact.full_clean()
    if contact.is_primary:
        Contact.objects.filter(account_id=contact.account_id, is_primary=True).exclude(
            pk=contact.pk
        ).update(is_primary=False)
    contact.save()
    return contact
