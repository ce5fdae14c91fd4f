"""Forms of the prospecting screens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rumbo.core.models import Role, User
from rumbo.customers.models import Account, Channel
from rumbo.geo.models import Distrito
from rumbo.prospects.models import Appointment, ChannelPotential, Prospect, ProspectTouch
from rumbo.territories.models import Territory
from rumbo.territories.scoping import scope_for

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def sellers(user: User) -> Any:
    """The active reps and managers the user may give prospects and appointments to."""
    qs = User.objects.filter(
        organisation_id=user.organisation_id, is_active=True, role__in=(Role.REP, Role.MANAGER)
    ).order_by("first_name", "last_name", "username")
    ids = scope_for(user).user_ids
    return qs if ids is None else qs.filter(pk__in=ids)


class UbigeoField(forms.CharField):
    """A district by its six-digit ubigeo."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 6)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"list": "distritos", "inputmode": "numeric"})
        )
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Distrito | None:
        code = (super().clean(value) or "").strip()
        if not code:
            return None
        distrito = Distrito.objects.filter(pk=code.zfill(6)).first()
        if distrito is None:
            raise forms.ValidationError(
                _("No district has the ubigeo '%(v)s'."), params={"v": code}
            )
        return distrito


class ProspectForm(forms.ModelForm):
    distrito = UbigeoField(label=_("District (ubigeo)"))
    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)

    class Meta:
        model = Prospect
        fields = ["name", "contact_name", "phone", "email", "tax_id", "address", "channel",
                  "source", "owner", "territory", "notes"]  # fmt: skip
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = Channel.objects.filter(  # type: ignore[attr-defined]
            organisation_id=user.organisation_id, is_active=True
        )
        self.fields["owner"].queryset = sellers(user)  # type: ignore[attr-defined]
        self.fields["territory"].queryset = Territory.objects.visible_to(user)  # type: ignore[attr-defined]
        if self.instance.pk:
            self.initial["distrito"] = self.instance.distrito_id
            if self.instance.location_precision == Account.LocationPrecision.EXACT:
                self.initial["lat"], self.initial["lon"] = self.instance.lat, self.instance.lon

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("lat") is None) != (data.get("lon") is None):
            raise forms.ValidationError(_("Give both latitude and longitude, or neither."))
        return data

    def _post_clean(self) -> None:
        """The service checks the prospect as a whole (the district is not a model value yet)."""


class TouchForm(forms.ModelForm):
    class Meta:
        model = ProspectTouch
        fields = ["kind", "outcome", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Prospect.Status.choices)
    lost_reason = forms.ChoiceField(
        label=_("Reason lost"), required=False, choices=[("", "—"), *Prospect.LostReason.choices]
    )
    lost_notes = forms.CharField(label=_("Why, in a few words"), required=False, max_length=250)


class AppointmentForm(forms.ModelForm):
    class Meta:
        model = Appointment
        fields = ["rep", "day", "start_time", "duration_min", "notes"]
        widgets = {"day": DATE, "start_time": TIME, "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rep"].queryset = sellers(user)  # type: ignore[attr-defined]
        self.fields["day"].initial = timezone.localdate()

    def _post_clean(self) -> None:
        """The service checks the appointment (and the rep's calendar)."""


class SettleForm(forms.Form):
    status = forms.ChoiceField(
        label=_("How it went"),
        choices=[(s.value, s.label) for s in Appointment.Status if s != Appointment.Status.BOOKED],
    )
    result_notes = forms.CharField(label=_("Notes"), required=False, max_length=4000)


class ConvertForm(forms.Form):
    legal_name = forms.CharField(label=_("Legal name"), max_length=200)
    trade_name = forms.CharField(label=_("Trade name"), max_length=200, required=False)
    tax_id = forms.CharField(label=_("RUC / DNI"), max_length=11, required=False)
    territory = forms.ModelChoiceField(
        Territory.objects.none(), label=_("Territory"), required=False
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = Territory.objects.visible_to(user)  # type: ignore[attr-defined]

    def tax_fields(self) -> dict[str, str]:
        number = self.cleaned_data["tax_id"].strip()
        if not number:
            return {"tax_id_type": "", "tax_id": ""}
        return {"tax_id_type": "dni" if len(number) == 8 else "ruc", "tax_id": number}


class AssignForm(forms.Form):
    owner = forms.ModelChoiceField(User.objects.none(), label=_("Give to"))
    prospects = forms.ModelMultipleChoiceField(Prospect.objects.none())

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = sellers(user)  # type: ignore[attr-defined]
        self.fields["prospects"].queryset = Prospect.objects.visible_to(user).open()  # type: ignore[attr-defined]


class PotentialForm(forms.ModelForm):
    class Meta:
        model = ChannelPotential
        fields = [
            "channel",
            "outlets_per_1000_households",
            "monthly_sales_per_outlet",
            "prospected",
        ]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = Channel.objects.filter(  # type: ignore[attr-defined]
            organisation_id=user.organisation_id
        )

    def validate_unique(self) -> None:
        """A second row for a channel updates the first (see save_channel_potential)."""
