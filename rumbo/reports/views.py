from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from rumbo.core.http import AuthedRequest
from rumbo.reports.selectors import home_summary


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    return render(request, "reports/home.html", {"summary": home_summary(request.user)})
