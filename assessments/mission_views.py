"""Pages for missions with their assessments: the home list and a mission's context.

They live here, not in `missions`, because both show assessments: `missions` sits below
`assessments` and never imports it.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from assessments.selectors import mission_detail_get, mission_list_with_latest
from missions import roles
from missions.models import Mission


def home(request: HttpRequest) -> HttpResponse:
    """Every mission with its presence type, current phase and latest assessment status."""
    missions = mission_list_with_latest(user=request.user)
    return render(request, "missions/home.html", {"missions": missions})


def mission_detail(request: HttpRequest, acronym: str) -> HttpResponse:
    """A mission's context: its entities, the latest facts and its assessments."""
    try:
        mission = mission_detail_get(user=request.user, acronym=acronym)
    except Mission.DoesNotExist as exc:
        raise Http404 from exc
    assessments = list(mission.assessments.all())
    return render(
        request,
        "missions/mission_detail.html",
        {
            "mission": mission,
            "latest": assessments[0] if assessments else None,
            "assessments": assessments,
            "can_edit": roles.can_edit_mission(request.user, mission),
        },
    )
