"""The portfolio page: every mission's latest approved answer, function by function.

Every signed-in user reads it (HQ is its audience; LoginRequiredMiddleware sends anonymous users
to log in, and the selector lists only the missions `visible_to` the user).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from assessments.selectors.portfolio import (
    SHOW_NEWER,
    SHOW_NONE_APPROVED,
    PortfolioFilters,
    portfolio_get,
)
from integration.engine import vocabulary


@require_GET
def portfolio(request: HttpRequest) -> HttpResponse:
    """Missions × functions: what to plan for at each level, filtered by presence type, phase
    and where the answers stand (`?presence_type=…&phase=…&show=…&page=…`)."""
    filters = PortfolioFilters.from_query(request.GET)
    found = portfolio_get(user=request.user, filters=filters, page_number=request.GET.get("page"))
    # The filters without the page, for the pages' links.
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "assessments/portfolio.html",
        {
            "portfolio": found,
            "filters": filters,
            "filtered": filters != PortfolioFilters(),
            "filter_query": query.urlencode(),
            "presence_types": vocabulary.PRESENCE_TYPES,
            "phases": vocabulary.PHASES,
            "show_newer": SHOW_NEWER,
            "show_none_approved": SHOW_NONE_APPROVED,
            "levels": vocabulary.LEVELS,
        },
    )
