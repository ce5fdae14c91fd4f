"""Sign-in, the home page, background job progress, personal API tokens and the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rumbo.core import ratelimit
from rumbo.core.forms import ApiTokenForm, LoginForm
from rumbo.core.http import AuthedRequest
from rumbo.core.models import ApiToken, AuditEntry, Job, Role
from rumbo.core.services import create_api_token, revoke_api_token


def client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "")


class LoginView(auth_views.LoginView):
    """Django's login, refusing further attempts for a while after too many failures."""

    form_class = LoginForm
    template_name = "core/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = request.POST.get("username", "")
        if ratelimit.is_blocked("login", username, client_ip(request)):
            form = self.get_form()
            form.errors.clear()
            form.add_error(None, _("Too many failed attempts. Wait a few minutes and try again."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        ratelimit.hit("login", self.request.POST.get("username", ""), client_ip(self.request))
        return super().form_invalid(form)

    def form_valid(self, form: Any) -> HttpResponse:
        ratelimit.reset("login", form.get_user().get_username())
        response = super().form_valid(form)
        language = form.get_user().language
        if language:
            from django.conf import settings

            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
        return response


def _own_job(request: AuthedRequest, pk: int) -> Job:
    jobs = Job.objects.filter(organisation_id=request.user.organisation_id)
    if request.user.role != Role.ADMIN:
        jobs = jobs.filter(user=request.user)
    return get_object_or_404(jobs, pk=pk)


@login_required
def job_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    job = _own_job(request, pk)
    template = "core/job.html#progress" if request.htmx else "core/job.html"
    return render(request, template, {"job": job})


@login_required
def profile(request: AuthedRequest) -> HttpResponse:
    new_key = request.session.pop("new_api_key", None)
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _token, key = create_api_token(user=request.user, name=form.cleaned_data["name"])
        request.session["new_api_key"] = key
        messages.success(request, _("Token created. Copy it now: it is shown only once."))
        return redirect("core:profile")
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    return render(
        request, "core/profile.html", {"form": form, "tokens": tokens, "new_key": new_key}
    )


@login_required
@require_POST
def token_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.filter(user=request.user), pk=pk)
    revoke_api_token(token=token)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("core:profile")


@login_required
def audit(request: AuthedRequest) -> HttpResponse:
    if request.user.role != Role.ADMIN:
        raise Http404
    entries = AuditEntry.objects.filter(
        organisation_id=request.user.organisation_id
    ).select_related("actor")
    object_type = request.GET.get("type", "")
    if object_type:
        entries = entries.filter(object_type=object_type)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    types = (
        AuditEntry.objects.filter(organisation_id=request.user.organisation_id)
        .order_by()
        .values_list("object_type", flat=True)
        .distinct()
    )
    return render(
        request,
        "core/audit.html",
        {"page": page, "types": sorted(types), "object_type": object_type},
    )
