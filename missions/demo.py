"""Demo accounts for `make run`: one per role, so a newcomer can see every side of the product."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from missions.models import Mission, MissionMembership
from missions.roles import HQ_REVIEWERS_GROUP


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    description: str
    plans_for: tuple[str, ...] = ()
    hq_reviewer: bool = False
    admin: bool = False


DEMO_ACCOUNTS = (
    DemoAccount("planner", "planner-demo-2007", "planner for MONUC and BINUB", ("MONUC", "BINUB")),
    DemoAccount("planner-unmis", "unmis-demo-2007", "planner for UNMIS only", ("UNMIS",)),
    DemoAccount("reviewer", "reviewer-demo-2007", "HQ reviewer", hq_reviewer=True),
    DemoAccount("admin", "admin-demo-2007", "administrator", admin=True),
)


def demo_accounts_ensure() -> tuple[DemoAccount, ...]:
    """Create or reset the demo accounts and their roles; safe to run any number of times."""
    user_model = get_user_model()
    with transaction.atomic():
        reviewers, _ = Group.objects.get_or_create(name=HQ_REVIEWERS_GROUP)
        for account in DEMO_ACCOUNTS:
            user, _ = user_model.objects.get_or_create(username=account.username)
            user.set_password(account.password)
            user.is_staff = account.admin
            user.is_superuser = account.admin
            user.save()
            if account.hq_reviewer:
                user.groups.add(reviewers)
            for mission in Mission.objects.filter(acronym__in=account.plans_for):
                MissionMembership.objects.update_or_create(
                    user=user, mission=mission, defaults={"role": MissionMembership.Role.PLANNER}
                )
    return DEMO_ACCOUNTS
