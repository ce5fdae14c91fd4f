"""Campaign screens: the list, a new or changed campaign, its audience and touches, and the
actions that build the audience, record touches and close the campaign."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from rumbo.core.http import AuthedRequest
from rumbo.core.models import Team
from rumbo.interactions import campaigns, selectors
from rumbo.interactions.forms import CampaignForm
from rumbo.interactions.models import Campaign, CampaignTouch
from rumbo.interactions.views import _form_errors

PAGE_SIZE = 50


def _campaign(request: AuthedRequest, campaign_id: int) -> Campaign:
    return get_object_or_404(Campaign.objects.visible_to(request.user), pk=campaign_id)


def _writer(request: AuthedRequest) -> None:
    if not campaigns.may_run_campaigns(request.user):
        raise Http404


@login_required
@require_GET
def campaign_list(request: AuthedRequest) -> HttpResponse:
    rows = selectors.campaign_list(request.user)
    status = request.GET.get("status", "")
    if status in Campaign.Status.values:
        rows = rows.filter(status=status)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page, "status": status, "statuses": Campaign.Status.choices,
        "writes": campaigns.may_run_campaigns(request.user),
    }  # fmt: skip
    return render(request, "interactions/campaign_list.html", context)


def _save(request: AuthedRequest, form: CampaignForm, campaign: Campaign | None) -> Campaign | None:
    data = form.cleaned_data
    fields = form.service_fields()
    try:
        if campaign is None:
            if request.user.team != Team.SALES:
                fields["team"] = request.user.team
            return campaigns.create_campaign(
                organisation=request.user.organisation, actor=request.user,
                channels=data["channels"], territories=data["territories"], **fields,
            )  # fmt: skip
        return campaigns.update_campaign(
            campaign=campaign, actor=request.user, channels=data["channels"],
            territories=data["territories"], **fields,
        )  # fmt: skip
    except ValidationError as exc:
        _form_errors(form, exc)
        return None


@login_required
def campaign_new(request: AuthedRequest) -> HttpResponse:
    _writer(request)
    form = CampaignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        campaign = _save(request, form, None)
        if campaign is not None:
            messages.success(request, _("Campaign created. Build its audience next."))
            return redirect("interactions:campaign_detail", campaign_id=campaign.pk)
    return render(request, "interactions/campaign_form.html", {"form": form, "campaign": None})


@login_required
def campaign_edit(request: AuthedRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign(request, campaign_id)
    _writer(request)
    if campaign.status not in campaigns.EDITABLE:
        raise Http404
    form = CampaignForm(request.POST or None, instance=campaign, user=request.user)
    if request.method == "POST" and form.is_valid() and _save(request, form, campaign):
        messages.success(request, _("Campaign saved. Rebuild the audience to apply changes."))
        return redirect("interactions:campaign_detail", campaign_id=campaign.pk)
    return render(request, "interactions/campaign_form.html", {"form": form, "campaign": campaign})


@login_required
@require_GET
def campaign_detail(request: AuthedRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign(request, campaign_id)
    touches = selectors.campaign_touches(request.user, campaign)
    status = request.GET.get("touch", "")
    shown = touches.filter(status=status) if status in CampaignTouch.Status.values else touches
    context: dict[str, Any] = {
        "campaign": campaign,
        "counts": selectors.touch_counts(touches),
        "page": Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page")),
        "touch_status": status,
        "touch_statuses": CampaignTouch.Status.choices,
        "writes": campaigns.may_run_campaigns(request.user),
        "editable": campaign.status in campaigns.EDITABLE,
        "audience_size": campaigns.audience_of(campaign, request.user).count(),
        "channels": list(campaign.audience_channels.all()),
        "territories": list(campaign.audience_territories.all()),
    }
    return render(request, "interactions/campaign_detail.html", context)


@login_required
@require_POST
def campaign_action(request: AuthedRequest, campaign_id: int) -> HttpResponse:
    campaign = _campaign(request, campaign_id)
    _writer(request)
    action = request.POST.get("action", "")
    try:
        _run(request, campaign, action)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("interactions:campaign_detail", campaign_id=campaign.pk)


def _day(text: str) -> dt.date:
    if not text:
        return timezone.localdate()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationError(_("Give the day as YYYY-MM-DD.")) from None


def _run(request: AuthedRequest, campaign: Campaign, action: str) -> None:
    user = request.user
    if action == "build":
        n = campaigns.build_audience(campaign=campaign, actor=user)
        messages.success(
            request,
            _("Audience built: %(planned)s touches planned (%(moved)s moved to respect the "
              "contact policy), %(excluded)s accounts left out.") % n,
        )  # fmt: skip
    elif action == "record":
        day = _day(request.POST.get("up_to", ""))
        done = campaigns.record_touches(campaign=campaign, actor=user, up_to=day)
        messages.success(
            request,
            ngettext("%(n)s touch recorded.", "%(n)s touches recorded.", done) % {"n": done},
        )
    elif action in ("finish", "cancel"):
        campaigns.close_campaign(campaign=campaign, actor=user, cancel=action == "cancel")
        messages.success(request, _("Campaign closed."))
    else:
        raise ValidationError(_("Unknown action."))
