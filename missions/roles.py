"""Who a user is in the product: planner, viewer, HQ reviewer or admin.

Planners and viewers are per mission (MissionMembership). HQ reviewers are a group that reads
every mission and reviews assessments. Admins are superusers and manage reference data.
Everyone signed in reads every mission; only planners of a mission (and admins) edit it.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef, QuerySet

HQ_REVIEWERS_GROUP = "HQ reviewers"


def users_with_roles(users: QuerySet) -> QuerySet:
    """`users` with their roles read in the same query (`in_hq_reviewers`), which
    `is_hq_reviewer` then answers from without a query of its own."""
    reviewers = Group.objects.filter(user=OuterRef("pk"), name=HQ_REVIEWERS_GROUP)
    return users.annotate(in_hq_reviewers=Exists(reviewers))


def is_hq_reviewer(user) -> bool:
    """HQ reviewers approve and return assessments; admins may too."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    known = getattr(user, "in_hq_reviewers", None)  # loaded with the user: users_with_roles
    if known is not None:
        return known
    return user.groups.filter(name=HQ_REVIEWERS_GROUP).exists()


def can_edit_mission(user, mission) -> bool:
    """Planners of the mission and admins."""
    from missions.models import Mission

    return Mission.objects.editable_by(user).filter(pk=mission.pk).exists()
