"""Coaching notes and training records: who writes them, who reads them, the forms."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from rumbo.team.models import CoachingNote, Rep, TrainingRecord
from rumbo.team.services import (
    add_coaching_note,
    add_training_record,
    delete_coaching_note,
    may_coach,
)

pytestmark = pytest.mark.django_db


def test_maria_coaches_her_reps_but_not_herself_and_reps_coach_nobody(cast):
    assert may_coach(cast.maria, cast.alicia) and may_coach(cast.admin, cast.maria)
    assert not may_coach(cast.maria, cast.maria)
    assert not may_coach(cast.alicia, cast.bruno) and not may_coach(cast.vera, cast.alicia)
    assert not may_coach(cast.otto, cast.alicia)
    with pytest.raises(PermissionDenied):
        add_coaching_note(rep=cast.bruno, actor=cast.alicia, topic="visits", note="No")


def test_a_training_record_checks_its_score(cast):
    with pytest.raises(ValidationError):
        add_training_record(rep=cast.alicia, actor=cast.maria, course="Ventas", result="passed",
                            day=dt.date(2025, 2, 1), score=120)  # fmt: skip
    record = add_training_record(rep=cast.alicia, actor=cast.maria, course="Ventas",
                                 result="passed", day=dt.date(2025, 2, 1), score=88)  # fmt: skip
    assert record.recorded_by == cast.maria and record.organisation == cast.org


def test_only_the_author_or_an_admin_removes_a_note(cast):
    note = add_coaching_note(rep=cast.alicia, actor=cast.maria, topic="visits", note="Bien")
    with pytest.raises(PermissionDenied):
        delete_coaching_note(note=note, actor=cast.alicia)
    delete_coaching_note(note=note, actor=cast.admin)
    assert not CoachingNote.objects.exists()


def test_the_forms_save_and_go_back_to_the_profile(cast, client):
    rep = Rep.objects.get(user=cast.alicia)
    client.force_login(cast.maria)
    url = reverse("team:coaching_new", args=[rep.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"day": "2025-03-03", "topic": "selling", "note": "Cerró dos",
                                 "shared_with_rep": "on"})  # fmt: skip
    assert response["Location"] == reverse("interactions:rep_profile", args=[rep.pk])
    assert CoachingNote.objects.get().author == cast.maria
    bad = client.post(reverse("team:training_new", args=[rep.pk]), {"course": "x"})
    assert bad.status_code == 200 and not TrainingRecord.objects.exists()
    client.post(reverse("team:training_new", args=[rep.pk]),
                {"course": "Excel", "day": "2025-03-01", "result": "attended"})  # fmt: skip
    assert TrainingRecord.objects.get().course == "Excel"


def test_reps_and_viewers_cannot_open_the_forms(cast, client):
    rep = Rep.objects.get(user=cast.alicia)
    for who in (cast.alicia, cast.vera, cast.bruno):
        client.force_login(who)
        assert client.get(reverse("team:coaching_new", args=[rep.pk])).status_code == 404
        assert client.get(reverse("team:training_new", args=[rep.pk])).status_code == 404


def test_viewers_read_no_coaching_or_training(cast):
    add_coaching_note(rep=cast.alicia, actor=cast.maria, topic="visits", note="Bien")
    assert not CoachingNote.objects.visible_to(cast.vera).exists()
    assert CoachingNote.objects.visible_to(cast.alicia).count() == 1
    assert not CoachingNote.objects.visible_to(cast.bruno).exists()
