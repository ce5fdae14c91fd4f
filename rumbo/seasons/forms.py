"""Forms of the seasons pages."""

from __future__ import annotations

from django import forms

from rumbo.seasons.models import CalendarEvent


class EventForm(forms.ModelForm):
    class Meta:
        model = CalendarEvent
        fields = ["name", "kind", "month", "day"]
