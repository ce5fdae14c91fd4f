"""The account list's filter form; its choices come only from what the user may see."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.db.models import QuerySet
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.utils.translation import gettext_lazy as _

from rumbo.core.models import User
from rumbo.core.names import proper
from rumbo.customers.models import Account, AccountQuerySet, Channel
from rumbo.customers.selectors import AccountFilters
from rumbo.geo.models import Departamento, Distrito
from rumbo.territories.models import Territory

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class _TreeChoices(ModelChoiceIterator):
    """Territories in path order, indented below the highest one the user sees."""

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        territories = list(self.queryset)
        top = min((t.depth for t in territories), default=0)
        for t in territories:
            value = ModelChoiceIteratorValue(self.field.prepare_value(t), t)
            yield (value, "\u2003" * (t.depth - top) + t.name)


class TerritoryChoiceField(forms.ModelChoiceField[Territory]):
    iterator = _TreeChoices


class DistritoChoiceField(forms.ModelChoiceField[Distrito]):
    def label_from_instance(self, obj: Distrito) -> str:
        return f"{proper(obj.name)} ({proper(obj.provincia.name)})"


class DepartamentoChoiceField(forms.ModelChoiceField[Departamento]):
    def label_from_instance(self, obj: Departamento) -> str:
        return proper(obj.name)


class AccountFilterForm(forms.Form):
    """GET filters of the account list. A choice outside the user's scope is simply invalid."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    territory = TerritoryChoiceField(
        label=_("Territory"), queryset=Territory.objects.none(), required=False
    )
    channel = forms.ModelChoiceField(
        label=_("Channel"), queryset=Channel.objects.none(), required=False
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    departamento = DepartamentoChoiceField(
        label=_("Departamento"), queryset=Departamento.objects.none(), required=False
    )
    distrito = DistritoChoiceField(
        label=_("District"), queryset=Distrito.objects.none(), required=False
    )

    def __init__(self, data: Any, *, user: User, accounts: AccountQuerySet) -> None:
        super().__init__(data)
        # Places offered are those where the user's accounts are, not all 1,892 districts.
        places = accounts.order_by().values("distrito_id")
        self._choices("territory", Territory.objects.visible_to(user), _("All territories"))
        self._choices(
            "channel",
            Channel.objects.filter(organisation_id=user.organisation_id),
            _("All channels"),
        )
        distritos = Distrito.objects.filter(ubigeo__in=places)
        self._choices(
            "departamento",
            Departamento.objects.filter(code__in=distritos.values("provincia__departamento_id")),
            _("All departamentos"),
        )
        self._choices("distrito", distritos.select_related("provincia"), _("All districts"))
        status = cast(forms.ChoiceField, self.fields["status"])
        status.choices = [("", _("Any status")), *Account.Status.choices]

    def _choices(self, name: str, queryset: QuerySet[Any], empty_label: StrOrPromise) -> None:
        field = cast(forms.ModelChoiceField, self.fields[name])
        field.queryset = queryset
        field.empty_label = empty_label

    def filters(self) -> AccountFilters:
        """The valid filters; call after is_valid()."""
        data = self.cleaned_data
        territory, channel = data.get("territory"), data.get("channel")
        departamento, distrito = data.get("departamento"), data.get("distrito")
        return AccountFilters(
            text=data.get("q", ""),
            territory_path=territory.path if territory else "",
            channel_id=channel.pk if channel else None,
            status=data.get("status", ""),
            departamento_code=departamento.code if departamento else "",
            ubigeo=distrito.ubigeo if distrito else "",
        )
