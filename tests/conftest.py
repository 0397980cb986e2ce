"""Shared fixtures: one user per role and two missions, as the permission tests need."""

from __future__ import annotations

import pytest

from tests import factories


@pytest.fixture
def binub(db):
    return factories.MissionFactory(acronym="BINUB", name="UN Integrated Office in Burundi")


@pytest.fixture
def unmis(db):
    return factories.MissionFactory(acronym="UNMIS", name="UN Mission in Sudan")


@pytest.fixture
def binub_planner(binub):
    return factories.MembershipFactory(mission=binub, user__username="binub-planner").user


@pytest.fixture
def unmis_planner(unmis):
    return factories.MembershipFactory(mission=unmis, user__username="unmis-planner").user


@pytest.fixture
def viewer(binub):
    return factories.MembershipFactory(
        mission=binub, user__username="binub-viewer", role="viewer"
    ).user


@pytest.fixture
def hq_reviewer(db):
    return factories.hq_reviewer_create(username="hq-reviewer")


@pytest.fixture
def admin_user(db):
    return factories.UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def binub_assessment(binub, binub_planner):
    return factories.AssessmentFactory(mission=binub, created_by=binub_planner)
