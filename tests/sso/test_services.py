"""The sign-in service on its own: claims in, the user and their roles out."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from missions.models import MissionMembership
from sso.exceptions import OidcClaimsRefused
from sso.services import oidc_user_sign_in
from tests import factories

pytestmark = pytest.mark.django_db
ISSUER = "https://idp.example.org/realms/un"
ACRONYMS = ["BINUB", "UNMIS", "MONUC", "UNMEE"]


@pytest.fixture
def role_settings(settings):
    settings.OIDC_REVIEWER_GROUPS = ["reviewers"]
    settings.OIDC_ADMIN_GROUPS = ["admins"]
    settings.OIDC_MISSION_ROLE_PREFIX = "mission:"


def claims(*acronyms: str, role: str = "planner") -> dict:
    groups = ["reviewers", *(f"mission:{acronym}:{role}" for acronym in acronyms)]
    return {"sub": "4f1c", "preferred_username": "amina", "groups": groups}


def test_a_sign_in_costs_the_same_queries_for_one_mission_role_or_many(role_settings):
    for acronym in ACRONYMS:
        factories.MissionFactory(acronym=acronym)
    oidc_user_sign_in(issuer=ISSUER, claims=claims("BINUB"))

    # a returning user whose role moves to another mission, then to three others
    with CaptureQueriesContext(connection) as one:
        oidc_user_sign_in(issuer=ISSUER, claims=claims("UNMIS"))
    with CaptureQueriesContext(connection) as many:
        user = oidc_user_sign_in(issuer=ISSUER, claims=claims("BINUB", "MONUC", "UNMEE"))

    # savepoint, the identity with its user (FOR UPDATE), the identity's update, the reviewers
    # group, adding the user to it, the missions named, the user's memberships, deleting the
    # stale ones, creating the new ones, the user's update, release
    assert len(one) == len(many) == 11
    assert dict(
        MissionMembership.objects.filter(user=user).values_list("mission__acronym", "role")
    ) == dict.fromkeys(["BINUB", "MONUC", "UNMEE"], "planner")


def test_a_sign_in_without_a_subject_is_refused(role_settings):
    with pytest.raises(OidcClaimsRefused, match="no 'sub' claim"):
        oidc_user_sign_in(issuer=ISSUER, claims={"preferred_username": "amina"})


def test_profile_claims_are_stored_as_fields_and_reports_can_hold_them(role_settings):
    user = oidc_user_sign_in(
        issuer=ISSUER,
        claims={
            "sub": "4f1c",
            "preferred_username": "amina",
            "given_name": "Am\x01ina" + "a" * 200,
            "family_name": ["not", "text"],
            "email": "a" * 300 + "@example.org",
        },
    )

    user.refresh_from_db()
    assert user.first_name == ("Amina" + "a" * 200)[:150]
    assert user.last_name == ""
    assert user.email == ""
