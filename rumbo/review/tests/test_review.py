"""Preparing a monthly review on the cast's June 2024, deciding its recommendations, and who
may do what."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from rumbo.coverage.models import AccountPlan, Frequency
from rumbo.review.models import ProspectingGoal, Recommendation, Review
from rumbo.review.services import decide, prepare_review, set_goal
from rumbo.targets.models import Measure, Target
from rumbo.team.models import CoachingNote

JUNE = dt.date(2024, 6, 1)


@pytest.fixture
def review(cast):
    """Alicia's June target is far above her sales and she made no visit: she needs coaching."""
    Target.objects.create(organisation=cast.org, rep=cast.alicia,
                          month=JUNE, measure=Measure.AMOUNT, value=Decimal("100000"))  # fmt: skip
    return prepare_review(
        organisation=cast.org, month=JUNE, root=cast.territories["lima"], actor=cast.maria
    )


def test_the_review_holds_each_reps_plan_versus_actual(cast, review):
    lines = {line.rep: line for line in review.lines.all()}
    assert set(lines) == {cast.alicia, cast.bruno}  # trujillo's rep is outside lima
    alicia = lines[cast.alicia]
    assert alicia.target == Decimal("100000") and alicia.sales > 0
    assert alicia.visits_done == 0 and alicia.visits_planned > 0
    assert sum(c["accounts"] for c in alicia.segments.values()) == 2
    assert lines[cast.bruno].target is None
    kinds = {(r.kind, r.rep) for r in review.recommendations.all()}
    assert (Recommendation.Kind.COACHING, cast.alicia) in kinds
    assert (Recommendation.Kind.COACHING, cast.bruno) not in kinds  # no target to judge


def test_accepting_coaching_opens_a_coaching_note_and_keeps_the_decision(cast, review):
    rec = review.recommendations.get(kind=Recommendation.Kind.COACHING, rep=cast.alicia)
    decide(recommendation=rec, actor=cast.maria, accept=True, note="Acompañar dos días")
    rec.refresh_from_db()
    assert (rec.status, rec.decided_by, rec.note) == ("accepted", cast.maria, "Acompañar dos días")
    note = CoachingNote.objects.get(rep=cast.alicia)
    assert note.author == cast.maria and note.agreed_actions == "Acompañar dos días"
    assert note.follow_up_on == dt.date(2024, 7, 31)
    with pytest.raises(ValidationError):
        decide(recommendation=rec, actor=cast.maria, accept=False)


def test_preparing_again_keeps_decided_recommendations_and_refreshes_open_ones(cast, review):
    rec = review.recommendations.get(kind=Recommendation.Kind.COACHING, rep=cast.alicia)
    decide(recommendation=rec, actor=cast.maria, accept=False, note="Vacaciones")
    again = prepare_review(organisation=cast.org, month=JUNE, root=cast.territories["lima"],
                           actor=cast.maria)  # fmt: skip
    assert again.pk == review.pk
    coaching = again.recommendations.filter(kind=Recommendation.Kind.COACHING, rep=cast.alicia)
    assert [r.status for r in coaching] == ["dismissed"]


def test_keeping_the_former_coverage_sets_the_accounts_own_plan(cast, review):
    rec = Recommendation.objects.create(review=review, kind=Recommendation.Kind.KEEP_COVERAGE,
                                        account=cast.accounts["bruno_1"], rep=cast.bruno,
                                        figures={"before": "A", "after": "B"})  # fmt: skip
    decide(recommendation=rec, actor=cast.maria, accept=True)
    plan = AccountPlan.objects.get(account=cast.accounts["bruno_1"])
    assert (plan.frequency, plan.visit_min) == (Frequency.WEEKLY, 30)  # segment A's strategy


def test_reps_and_managers_outside_cannot_prepare_or_decide(cast, review):
    with pytest.raises(PermissionDenied):
        prepare_review(organisation=cast.org, month=JUNE, root=cast.territories["ln1"],
                       actor=cast.alicia)  # fmt: skip
    with pytest.raises(PermissionDenied):  # maria does not manage Norte
        prepare_review(organisation=cast.org, month=JUNE, root=cast.territories["norte"],
                       actor=cast.maria)  # fmt: skip
    rec = review.recommendations.first()
    with pytest.raises(PermissionDenied):
        decide(recommendation=rec, actor=cast.bruno, accept=True)


def test_a_month_that_has_not_ended_cannot_be_reviewed(cast):
    today = dt.date.today().replace(day=1)
    with pytest.raises(ValidationError):
        prepare_review(organisation=cast.org, month=today, root=None, actor=cast.admin)


def test_goals_are_set_for_the_reps_a_manager_manages(cast):
    goal = set_goal(rep=cast.bruno, month=dt.date(2024, 7, 9), new_accounts=4, actor=cast.maria)
    assert (goal.month, goal.new_accounts) == (dt.date(2024, 7, 1), 4)
    with pytest.raises(ValidationError):
        set_goal(rep=cast.bruno, month=JUNE, new_accounts=9999, actor=cast.maria)
    with pytest.raises(PermissionDenied):
        set_goal(rep=cast.olga, month=JUNE, new_accounts=1, actor=cast.maria)


# Pages ------------------------------------------------------------------------------------


def test_maria_prepares_a_review_from_the_page(client, cast):
    client.force_login(cast.maria)
    response = client.post(reverse("review:list"),
                           {"month": "2024-06", "root": cast.territories["lima"].pk})  # fmt: skip
    review = Review.objects.get()
    assert response.url == reverse("review:detail", args=[review.pk])
    page = client.get(response.url)
    assert page.status_code == 200 and b"data-lines" in page.content


def test_bad_month_or_a_territory_she_does_not_manage_is_explained(client, cast):
    client.force_login(cast.maria)
    for data in ({"month": "junio"}, {"month": "2024-06", "root": cast.territories["norte"].pk}):
        response = client.post(reverse("review:list"), data)
        assert response.status_code == 200 and response.context["form"].errors
    assert not Review.objects.exists()


def test_reps_and_viewers_do_not_see_the_review_pages(client, cast, review):
    for user in (cast.alicia, cast.vera):
        client.force_login(user)
        assert client.get(reverse("review:list")).status_code == 404
        assert client.get(reverse("review:detail", args=[review.pk])).status_code == 404


def test_the_goal_form_refuses_nonsense(client, cast, review):
    client.force_login(cast.maria)
    url = reverse("review:goal", args=[review.pk])
    client.post(url, {"rep": cast.bruno.pk, "month": "2024-07", "new_accounts": "-2"})
    client.post(url, {"rep": "x", "month": "2024-07", "new_accounts": "2"})
    assert not ProspectingGoal.objects.exists()
    client.post(url, {"rep": cast.bruno.pk, "month": "2024-07", "new_accounts": "3"})
    assert ProspectingGoal.objects.get().new_accounts == 3
