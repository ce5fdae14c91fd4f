"""Writes of the monthly review: prepare it, decide its recommendations, set prospecting goals.

Accepting a recommendation does what it says where Rumbo can: coaching opens a coaching note
with a follow-up date; keeping the former coverage or serving at low cost sets the account's
own coverage plan. Capacity findings are decisions for the territory design; they are recorded.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rumbo.core.models import Organisation, Role, User
from rumbo.coverage.adapters import add_months, compute_segments
from rumbo.coverage.models import AccountSegment, Frequency, Objective
from rumbo.coverage.services import save_account_plan, strategies_for
from rumbo.engine import review as engine
from rumbo.review import figures
from rumbo.review.models import ProspectingGoal, Recommendation, Review, ReviewLine
from rumbo.team.models import CoachingNote
from rumbo.team.services import add_coaching_note, may_coach
from rumbo.territories.models import Territory
from rumbo.territories.scoping import scope_for


def may_review(user: User) -> bool:
    return user.role in (Role.ADMIN, Role.MANAGER)


def _check_root(actor: User, root: Territory | None) -> None:
    """Admins review the organisation or any subtree; managers a territory they manage."""
    if not may_review(actor):
        raise PermissionDenied(_("Only administrators and managers prepare reviews."))
    if root is not None and root.organisation_id != actor.organisation_id:
        raise PermissionDenied(_("That territory belongs to another organisation."))
    if actor.role == Role.MANAGER:
        allowed = scope_for(actor).territory_ids or frozenset()
        if root is None or root.pk not in allowed:
            raise PermissionDenied(_("Managers review the territories they manage."))


@transaction.atomic
def prepare_review(
    *, organisation: Organisation, month: dt.date, root: Territory | None, actor: User
) -> Review:
    """Read the month's plan versus actual and propose actions. Preparing again refreshes the
    figures and the open recommendations; decided ones stay as they were decided."""
    _check_root(actor, root)
    month = month.replace(day=1)
    if month >= timezone.localdate().replace(day=1):
        raise ValidationError(_("Only a month that has ended can be reviewed."))
    _ensure_segments(organisation, month)
    review, _created = Review.objects.update_or_create(
        organisation=organisation, month=month, territory=root, defaults={"prepared_by": actor}
    )
    lines = figures.reps_of(organisation, root, month)
    figures.fill(organisation, month, lines)
    review.lines.all().delete()
    ReviewLine.objects.bulk_create(
        ReviewLine(
            review=review, rep=x.rep, territory=x.territory, sales=x.sales, target=x.target,
            visits_planned=round(x.visits_planned, 1), visits_done=x.visits_done,
            new_accounts=x.new_accounts, new_accounts_goal=x.new_accounts_goal,
            workload_h=round(x.workload_h, 2), capacity_h=x.capacity_h, segments=x.segments,
        )
        for x in lines
    )  # fmt: skip
    found = engine.recommend(
        [x.engine() for x in lines], figures.account_changes(month, [x.rep.pk for x in lines])
    )
    _replace_open(review, found)
    return review


def _ensure_segments(organisation: Organisation, month: dt.date) -> None:
    """The review needs the month's segments and the month before's."""
    have = set(
        AccountSegment.objects.filter(
            organisation=organisation, month__in=[add_months(month, -1), month]
        )
        .values_list("month", flat=True)
        .distinct()
    )
    if len(have) < 2:
        compute_segments(organisation=organisation, month=month, months=2)


def _replace_open(review: Review, found: list[engine.Recommendation]) -> None:
    decided = {
        (r.kind, r.rep_id, r.account_id)
        for r in review.recommendations.exclude(status=Recommendation.Status.OPEN)
    }
    review.recommendations.filter(status=Recommendation.Status.OPEN).delete()
    Recommendation.objects.bulk_create(
        Recommendation(
            review=review, kind=r.kind, rep_id=r.rep_id, territory_id=r.territory_id,
            account_id=r.account_id, figures=r.figures,
        )
        for r in found
        if (r.kind, r.rep_id, r.account_id) not in decided
    )  # fmt: skip


@transaction.atomic
def decide(
    *, recommendation: Recommendation, actor: User, accept: bool, note: str = ""
) -> Recommendation:
    """Accept (and carry out) or dismiss an open recommendation; the decision is kept."""
    review = recommendation.review
    _check_root(actor, review.territory)
    if recommendation.status != Recommendation.Status.OPEN:
        raise ValidationError(_("This recommendation was already decided."))
    if accept:
        _carry_out(recommendation, actor, note)
    recommendation.status = (
        Recommendation.Status.ACCEPTED if accept else Recommendation.Status.DISMISSED
    )
    recommendation.note = note[:300]
    recommendation.decided_by = actor
    recommendation.decided_at = timezone.now()
    recommendation.save(update_fields=["status", "note", "decided_by", "decided_at"])
    return recommendation


def _carry_out(rec: Recommendation, actor: User, note: str) -> None:
    kind = rec.kind
    month = rec.review.month
    if kind == Recommendation.Kind.COACHING and rec.rep is not None:
        if not may_coach(actor, rec.rep):
            raise PermissionDenied(_("You do not coach this rep."))
        add_coaching_note(
            rep=rec.rep, actor=actor, topic=CoachingNote.Topic.PLANNING,
            note=_("Monthly review %(month)s: sales and visits behind plan.")
            % {"month": month.strftime("%Y-%m")},
            agreed_actions=note, follow_up_on=add_months(month, 2) - dt.timedelta(days=1),
        )  # fmt: skip
    elif kind == Recommendation.Kind.KEEP_COVERAGE and rec.account is not None:
        before = str(rec.figures.get("before") or "")
        strategy = strategies_for(rec.review.organisation).get(before)
        if strategy is not None:
            save_account_plan(
                account=rec.account, actor=actor, frequency=strategy.frequency,
                visit_min=strategy.visit_min, objective=Objective.GROW,
                reason=note or _("Review %(month)s: win back segment %(segment)s.")
                % {"month": month.strftime("%Y-%m"), "segment": before},
            )  # fmt: skip
    elif kind == Recommendation.Kind.LOW_COST and rec.account is not None:
        save_account_plan(
            account=rec.account, actor=actor, frequency=Frequency.PHONE,
            objective=Objective.LOW_COST,
            reason=note or _("Review %(month)s: costly to serve for its value.")
            % {"month": month.strftime("%Y-%m")},
        )  # fmt: skip


@transaction.atomic
def set_goal(*, rep: User, month: dt.date, new_accounts: int, actor: User) -> ProspectingGoal:
    """A rep's goal of new accounts for a month, set by an admin or their manager."""
    if not may_coach(actor, rep):
        raise PermissionDenied(_("You do not manage this rep."))
    month = month.replace(day=1)
    goal = ProspectingGoal.objects.filter(rep=rep, month=month).first() or ProspectingGoal(
        organisation_id=rep.organisation_id, rep=rep, month=month
    )
    goal.new_accounts = new_accounts
    goal.updated_by = actor
    goal.full_clean()
    goal.save()
    return goal
