"""The monthly review pages, for admins and managers: the list of reviews with a form to
prepare one, and a review with its plan-versus-actual lines and its recommendations."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from rumbo.core.http import AuthedRequest
from rumbo.core.models import Role, User
from rumbo.coverage.adapters import add_months
from rumbo.review import services
from rumbo.review.models import Recommendation, Review
from rumbo.territories.models import Territory


def _reviewer(request: AuthedRequest) -> None:
    if not services.may_review(request.user):
        raise Http404


def _roots(user: User) -> list[Territory]:
    """What the user may review: managers the territories they manage, admins any top level."""
    territories = Territory.objects.visible_to(user)
    if user.role == Role.ADMIN:
        return list(territories.filter(parent__isnull=True).order_by("path"))
    return list(
        territories.filter(
            assignments__user=user, assignments__role="manager", assignments__valid_to__isnull=True
        )
        .distinct()
        .order_by("path")
    )


class PrepareForm(forms.Form):
    month = forms.DateField(
        label=gettext_lazy("Month"), input_formats=["%Y-%m"], widget=forms.DateInput(format="%Y-%m")
    )
    root = forms.ModelChoiceField(
        label=gettext_lazy("Territory"), queryset=Territory.objects.none(), required=False,
        empty_label=gettext_lazy("The whole organisation"),
    )  # fmt: skip

    def __init__(self, *args: object, roots: list[Territory], admin: bool, **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["root"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Territory.objects.filter(pk__in=[t.pk for t in roots])
        field.required = not admin
        if not admin:  # a manager reviews one of their territories, never the organisation
            field.empty_label = None


@login_required
@require_http_methods(["GET", "POST"])
def review_list(request: AuthedRequest) -> HttpResponse:
    _reviewer(request)
    user = request.user
    last = add_months(timezone.localdate().replace(day=1), -1)
    data = request.POST if request.method == "POST" else None
    form = PrepareForm(data, initial={"month": last}, roots=_roots(user),
                       admin=user.role == Role.ADMIN)  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            review = services.prepare_review(
                organisation=user.organisation, month=form.cleaned_data["month"],
                root=form.cleaned_data["root"], actor=user,
            )  # fmt: skip
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, _message(error))
        else:
            return redirect("review:detail", pk=review.pk)
    reviews = (
        Review.objects.visible_to(user)
        .select_related("territory", "prepared_by")
        .order_by("-month", "territory__path")[:60]
    )
    return render(request, "review/list.html", {"form": form, "reviews": reviews})


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def _review(user: User, pk: int) -> Review:
    return get_object_or_404(
        Review.objects.visible_to(user).select_related("territory", "organisation"), pk=pk
    )


@login_required
def review_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    _reviewer(request)
    review = _review(request.user, pk)
    lines = list(review.lines.select_related("rep", "territory"))
    recommendations = list(
        review.recommendations.select_related("rep", "territory", "account", "decided_by")
    )
    return render(
        request,
        "review/detail.html",
        {
            "review": review,
            "lines": lines,
            "segments": ["A", "B", "C", "N"],
            "open": [r for r in recommendations if r.status == Recommendation.Status.OPEN],
            "decided": [r for r in recommendations if r.status != Recommendation.Status.OPEN],
            "next_month": add_months(review.month, 1),
        },
    )


@login_required
@require_POST
def decide(request: AuthedRequest, pk: int, rec_pk: int) -> HttpResponse:
    _reviewer(request)
    review = _review(request.user, pk)
    rec = get_object_or_404(review.recommendations.all(), pk=rec_pk)
    accept = request.POST.get("decision") == "accept"
    try:
        services.decide(recommendation=rec, actor=request.user, accept=accept,
                        note=request.POST.get("note", "").strip())  # fmt: skip
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _message(error))
    else:
        messages.success(request, _("Accepted and done.") if accept else _("Dismissed."))
    return redirect(f"{review.get_absolute_url()}#rec-{rec.pk}")


@login_required
@require_POST
def goal(request: AuthedRequest, pk: int) -> HttpResponse:
    _reviewer(request)
    review = _review(request.user, pk)
    rep_id = request.POST.get("rep", "")
    line = review.lines.select_related("rep").filter(rep_id=int(rep_id)).first() if (
        rep_id.isdigit()
    ) else None  # fmt: skip
    if line is None:
        messages.error(request, _("Choose one of the review's reps."))
        return redirect(review.get_absolute_url())
    rep = line.rep
    try:
        month = dt.date.fromisoformat(f"{request.POST.get('month', '')}-01")
        count = int(request.POST.get("new_accounts", ""))
        if count < 0:
            raise ValueError
        services.set_goal(rep=rep, month=month, new_accounts=count, actor=request.user)
    except ValueError:
        messages.error(request, _("Give the goal as a whole number of accounts, 0 or more."))
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _message(error))
    else:
        messages.success(request, _("Goal saved."))
    return redirect(review.get_absolute_url())
