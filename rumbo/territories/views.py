"""Territory screens: the tree the user may see, and one territory with its map and history."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from rumbo.core.http import AuthedRequest
from rumbo.territories import selectors

# Trees larger than this open only their top levels at first.
OPEN_ALL_UP_TO = 40
OPEN_LEVELS = 2


@login_required
@require_GET
def tree(request: AuthedRequest) -> HttpResponse:
    roots = selectors.territory_tree(request.user)
    size = selectors.count_nodes(roots)
    top = min((n.territory.depth for n in roots), default=0)
    open_below = 10_000 if size <= OPEN_ALL_UP_TO else top + OPEN_LEVELS
    return render(
        request,
        "territories/tree.html",
        {"roots": roots, "size": size, "open_below": open_below},
    )


@login_required
@require_GET
def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    data = selectors.territory_detail(request.user, pk)
    return render(
        request,
        "territories/detail.html",
        {
            "detail": data,
            "territory": data.territory,
            "territory_query": f"?territory={data.territory.pk}",
        },
    )
