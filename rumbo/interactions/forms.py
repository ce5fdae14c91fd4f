"""Forms of the timeline, ticket, campaign, contact-policy and plan screens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rumbo.core.models import User
from rumbo.coverage.models import Segment
from rumbo.customers.models import Account, Channel
from rumbo.interactions.models import Campaign, ContactPolicy, Interaction, PlannedActivity, Ticket
from rumbo.territories.models import Territory

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
LOGGED_KINDS = [
    (k.value, k.label)
    for k in (
        Interaction.Kind.VISIT, Interaction.Kind.CALL, Interaction.Kind.EMAIL,
        Interaction.Kind.WHATSAPP, Interaction.Kind.NOTE,
    )
]  # fmt: skip


def people(user: User) -> forms.ModelChoiceField:
    """Active people of the user's organisation, to assign a ticket to."""
    qs = User.objects.filter(organisation_id=user.organisation_id, is_active=True).order_by(
        "first_name", "last_name", "username"
    )
    return forms.ModelChoiceField(qs, label=_("Assigned to"), required=False)


class LogInteractionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=LOGGED_KINDS)
    occurred_at = forms.DateTimeField(
        label=_("When"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", "—"), *Interaction.Outcome.choices], required=False
    )
    subject = forms.CharField(label=_("Subject"), max_length=200, required=False)
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    follow_up_on = forms.DateField(
        label=_("Follow up on"), required=False, widget=DATE,
        help_text=_("Puts a follow-up in the rep's plan for that day."),
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["occurred_at"].initial = timezone.localtime().replace(second=0, microsecond=0)


class TicketForm(forms.ModelForm):
    class Meta:
        model = Ticket
        fields = ["topic", "subject", "description", "priority", "received_via", "assigned_to",
                  "due_on"]  # fmt: skip
        widgets = {"due_on": DATE, "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"] = people(user)


class TicketCloseForm(forms.Form):
    resolution = forms.CharField(
        label=_("Resolution"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    follow_up_on = forms.DateField(
        label=_("Rep follows up on"), required=False, widget=DATE,
        help_text=_("Puts a follow-up in the plan of the account's rep for that day."),
    )  # fmt: skip


class TicketFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=[("open", _("Open")), ("closed", _("Closed")), ("all", _("All"))],
    )  # fmt: skip
    priority = forms.ChoiceField(
        label=_("Priority"), required=False, choices=[("", _("Any")), *Ticket.Priority.choices]
    )
    topic = forms.ChoiceField(
        label=_("Topic"), required=False, choices=[("", _("Any")), *Ticket.Topic.choices]
    )
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)


class CampaignForm(forms.ModelForm):
    channels = forms.ModelMultipleChoiceField(
        Channel.objects.none(), label=_("Customer channels"), required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("None ticked: every channel."),
    )  # fmt: skip
    territories = forms.ModelMultipleChoiceField(
        Territory.objects.none(), label=_("Territories"), required=False,
        help_text=_("With everything below them; none chosen: all of yours."),
    )  # fmt: skip
    places = forms.CharField(
        label=_("Places (ubigeo)"), required=False, max_length=2000,
        help_text=_("Ubigeo codes separated by commas: 15 (Lima department), 1501 (Lima "
                    "province), 150135 (San Martín de Porres). Empty: everywhere."),
    )  # fmt: skip

    class Meta:
        model = Campaign
        fields = ["name", "code", "medium", "starts_on", "ends_on", "message", "include_inactive",
                  "exclude_contacted_days", "respect_policy"]  # fmt: skip
        widgets = {"starts_on": DATE, "ends_on": DATE, "message": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        org = user.organisation_id
        self.fields["channels"].queryset = Channel.objects.filter(organisation_id=org)  # type: ignore[attr-defined]
        self.fields["territories"].queryset = Territory.objects.visible_to(user)  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields["channels"].initial = list(self.instance.audience_channels.all())
            self.fields["territories"].initial = list(self.instance.audience_territories.all())
            self.fields["places"].initial = ", ".join(self.instance.audience_ubigeos)

    def clean_places(self) -> list[str]:
        return [p.strip() for p in self.cleaned_data["places"].split(",") if p.strip()]

    def service_fields(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["audience_ubigeos"] = self.cleaned_data["places"]
        return data


class PolicyForm(forms.ModelForm):
    class Meta:
        model = ContactPolicy
        fields = ["channel", "segment", "min_days_between", "max_per_month", "min_per_month"]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        channel = self.fields["channel"]
        channel.queryset = Channel.objects.filter(organisation_id=user.organisation_id)  # type: ignore[attr-defined]
        channel.empty_label = str(_("Every channel (general policy)"))  # type: ignore[attr-defined]
        self.fields["segment"].choices = [("", _("Every segment")), *Segment.choices]  # type: ignore[attr-defined]

    def validate_unique(self) -> None:
        """A second row for the same channel or segment updates the first (see
        save_contact_policy)."""


class PlanActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=PlannedActivity.Kind.choices)
    account = forms.ModelChoiceField(Account.objects.none(), label=_("Account"), required=False)
    day = forms.DateField(label=_("Day"), widget=DATE)
    start_time = forms.TimeField(label=_("Time"), required=False, widget=TIME)
    duration_min = forms.IntegerField(label=_("Minutes"), min_value=5, max_value=600, initial=30)
    title = forms.CharField(label=_("What"), max_length=200, required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, rep: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = (  # type: ignore[attr-defined]
            Account.objects.visible_to(rep)
            .exclude(status=Account.Status.INACTIVE)
            .order_by("trade_name", "legal_name")
        )


class RescheduleForm(forms.Form):
    day = forms.DateField(label=_("New day"), widget=DATE)
    start_time = forms.TimeField(label=_("Time"), required=False, widget=TIME)
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)


class CompleteForm(forms.Form):
    how = forms.ChoiceField(
        label=_("How"), required=False,
        choices=[(k.value, k.label) for k in (Interaction.Kind.VISIT, Interaction.Kind.CALL,
                                               Interaction.Kind.WHATSAPP, Interaction.Kind.EMAIL)],
    )  # fmt: skip
    outcome = forms.ChoiceField(
        label=_("Outcome"), required=False, choices=[("", "—"), *Interaction.Outcome.choices]
    )
    notes = forms.CharField(label=_("Notes"), required=False, max_length=4000)
