"""Roles from the provider's groups claim, given and taken away at every sign-in."""

from __future__ import annotations

import io
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse

from missions.models import MissionMembership
from missions.roles import HQ_REVIEWERS_GROUP, is_hq_reviewer
from sso.services import mission_roles_from_groups
from tests import factories
from tests.sso.conftest import ADMINS, REVIEWERS, callback_get

User = get_user_model()


def sso_sign_in(client, provider, username: str):
    """A full sign-in through the provider; returns the user our app signed in."""
    client.logout()
    start = client.get(reverse("oidc_authentication_init"))
    callback_get(client, provider.authorize(start["Location"], username))
    return User.objects.get(pk=client.session["_auth_user_id"])


def roles(user) -> dict:
    user.refresh_from_db()
    return {
        "hq_reviewer": is_hq_reviewer(user) and not user.is_superuser,
        "admin": user.is_staff and user.is_superuser,
        "missions": dict(
            MissionMembership.objects.filter(user=user).values_list("mission__acronym", "role")
        ),
    }


@pytest.mark.django_db
def test_the_groups_claim_gives_reviewer_admin_and_mission_roles(client, oidc, binub, unmis):
    oidc.user_put(
        "leila",
        groups=[REVIEWERS, "mission:BINUB:viewer", "mission:BINUB:planner", "mission:UNMIS:viewer"],
    )

    user = sso_sign_in(client, oidc, "leila")

    assert roles(user) == {
        "hq_reviewer": True,
        "admin": False,
        "missions": {"BINUB": "planner", "UNMIS": "viewer"},
    }
    oidc.user_put("leila", groups=[ADMINS])
    assert roles(sso_sign_in(client, oidc, "leila"))["admin"] is True


@pytest.mark.django_db
def test_a_person_removed_from_a_group_loses_the_role_at_next_sign_in(client, oidc, binub):
    # given a reviewer, admin and BINUB planner by the provider's groups
    oidc.user_put("leila", groups=[REVIEWERS, ADMINS, "mission:BINUB:planner"])
    user = sso_sign_in(client, oidc, "leila")
    assert client.get(reverse("review-queue")).status_code == 200
    # when the provider takes every group away and the person signs in again
    oidc.user_put("leila", groups=[])

    again = sso_sign_in(client, oidc, "leila")

    # then the same user has no role left but reading
    assert again == user
    assert roles(user) == {"hq_reviewer": False, "admin": False, "missions": {}}
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("admin:index")).status_code == 302


@pytest.mark.django_db
def test_roles_without_a_mapping_stay_with_the_admin_site(client, oidc, settings, binub):
    settings.OIDC_REVIEWER_GROUPS = []
    settings.OIDC_ADMIN_GROUPS = []
    settings.OIDC_MISSION_ROLE_PREFIX = ""
    oidc.user_put("leila", groups=[REVIEWERS, "mission:BINUB:planner"])
    user = sso_sign_in(client, oidc, "leila")
    assert roles(user) == {"hq_reviewer": False, "admin": False, "missions": {}}
    # given roles an administrator gave in the admin site
    user.groups.add(Group.objects.get_or_create(name=HQ_REVIEWERS_GROUP)[0])
    factories.MembershipFactory(user=user, mission=binub, role="viewer")

    assert roles(sso_sign_in(client, oidc, "leila")) == {
        "hq_reviewer": True,
        "admin": False,
        "missions": {"BINUB": "viewer"},
    }


def test_mission_roles_read_prefix_acronym_and_role_and_planner_wins(settings):
    settings.OIDC_MISSION_ROLE_PREFIX = "mission:"

    roles = mission_roles_from_groups(
        frozenset(
            {
                "mission:BINUB:viewer",
                "mission:BINUB:planner",
                "mission:UNMIS:viewer",
                "mission:MONUC:owner",  # not a role
                "mission::planner",  # no acronym
                "missions:UNMEE:planner",  # another prefix
                "hq-reviewers",
            }
        )
    )

    assert roles == {"BINUB": "planner", "UNMIS": "viewer"}


def test_oidc_discover_prints_the_variables_of_a_provider(oidc_provider):
    out = io.StringIO()

    call_command("oidc_discover", oidc_provider.issuer, stdout=out)

    assert out.getvalue().splitlines() == [
        f"OIDC_ISSUER={oidc_provider.issuer}",
        f"OIDC_OP_AUTHORIZATION_ENDPOINT={oidc_provider.endpoint('authorize/')}",
        f"OIDC_OP_TOKEN_ENDPOINT={oidc_provider.endpoint('token/')}",
        f"OIDC_OP_USER_ENDPOINT={oidc_provider.endpoint('userinfo/')}",
        f"OIDC_OP_JWKS_ENDPOINT={oidc_provider.endpoint('.well-known/jwks.json')}",
    ]


def test_oidc_discover_refuses_a_document_for_another_issuer(oidc_provider):
    # the provider answers for http://127.0.0.1:PORT/o, not for the address given with a slash
    with pytest.raises(CommandError, match="names another issuer"):
        call_command("oidc_discover", oidc_provider.issuer + "/", stdout=io.StringIO())
    assert urlsplit(oidc_provider.issuer).hostname == "127.0.0.1"
