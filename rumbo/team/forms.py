"""Forms of the coaching notes and training records."""

from __future__ import annotations

from django import forms

from rumbo.team.models import CoachingNote, TrainingRecord

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CoachingForm(forms.ModelForm):
    class Meta:
        model = CoachingNote
        fields = ["day", "topic", "note", "agreed_actions", "follow_up_on", "shared_with_rep"]
        widgets = {
            "day": DATE,
            "follow_up_on": DATE,
            "note": forms.Textarea(attrs={"rows": 3}),
            "agreed_actions": forms.Textarea(attrs={"rows": 2}),
        }


class TrainingForm(forms.ModelForm):
    class Meta:
        model = TrainingRecord
        fields = ["course", "provider", "day", "result", "score", "hours", "valid_until", "notes"]
        widgets = {"day": DATE, "valid_until": DATE, "notes": forms.Textarea(attrs={"rows": 2})}
