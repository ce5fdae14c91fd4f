"""Check-in and check-out over the API: what the phone sends, online or later from its
outbox. Each check-in carries the phone's own key, so a retry never counts a visit twice."""

from __future__ import annotations

import uuid

from django.shortcuts import get_object_or_404
from ninja import Router

from rumbo.core.http import AuthedRequest
from rumbo.core.schemas import Error
from rumbo.customers.models import Account
from rumbo.interactions.models import PlannedActivity
from rumbo.visits import services
from rumbo.visits.models import CheckIn
from rumbo.visits.schemas import CheckInIn, CheckInOut, CheckOutIn

router = Router(tags=["visits"])


@router.post(
    "/check-ins",
    response={200: CheckInOut, 201: CheckInOut, 400: Error, 404: Error},
    summary="Check in at an account",
)
def check_in(request: AuthedRequest, payload: CheckInIn) -> tuple[int, CheckIn]:
    """Arrival at one of your accounts; 201 the first time, 200 when the key was seen before."""
    account = get_object_or_404(Account.objects.visible_to(request.user), pk=payload.account)
    activity = None
    if payload.activity is not None:
        activity = get_object_or_404(
            PlannedActivity.objects.filter(rep=request.user), pk=payload.activity
        )
    visit, created = services.check_in(
        rep=request.user, key=payload.key, account=account, at=payload.at, lat=payload.lat,
        lon=payload.lon, accuracy_m=payload.accuracy_m, activity=activity,
    )  # fmt: skip
    return (201 if created else 200), visit


@router.post(
    "/check-ins/{key}/out",
    response={200: CheckInOut, 400: Error, 404: Error},
    summary="Check out, with the outcome",
)
def check_out(request: AuthedRequest, key: uuid.UUID, payload: CheckOutIn) -> CheckIn:
    """Departure and outcome (order taken, no order and why, closed) of your check-in."""
    visit = get_object_or_404(CheckIn.objects.filter(rep=request.user), key=key)
    return services.check_out(
        visit=visit, rep=request.user, at=payload.at, outcome=payload.outcome,
        reason=payload.reason, notes=payload.notes,
    )  # fmt: skip
