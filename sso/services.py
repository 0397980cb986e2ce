"""Single sign-on writes: the user an identity provider's claims name, and their roles.

The provider owns the roles of the users it signs in, as far as the settings map them: at every
sign-in the groups claim decides HQ reviewer, admin and mission roles, so a person removed from
a group at the provider loses the role here at their next sign-in. A mapping left empty in the
settings leaves that role to the admin site.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from integration.text import XML_ILLEGAL_CHARACTER
from missions.models import Mission, MissionMembership
from missions.roles import HQ_REVIEWERS_GROUP
from sso.exceptions import OidcClaimsRefused
from sso.models import OidcIdentity

User = get_user_model()

_NOT_IN_USERNAME = re.compile(r"[^\w.@+-]")
# Planner wins when the claim names both roles on one mission.
_ROLE_RANK = {MissionMembership.Role.VIEWER: 0, MissionMembership.Role.PLANNER: 1}


def oidc_user_sign_in(*, issuer: str, claims: Mapping[str, Any]):
    """The user the claims identify, created at first sign-in, with profile and roles updated.

    Returns None when the identity is new and OIDC_CREATE_USERS is off.
    """
    subject = claims.get(settings.OIDC_SUBJECT_CLAIM)
    if not isinstance(subject, str) or not subject:
        raise OidcClaimsRefused(f"no {settings.OIDC_SUBJECT_CLAIM!r} claim")
    with transaction.atomic():
        identity = (
            OidcIdentity.objects.select_for_update()
            .select_related("user")
            .filter(issuer=issuer, subject=subject)
            .first()
        )
        if identity is None:
            if not settings.OIDC_CREATE_USERS:
                return None
            # No password: such a user signs in through the provider only.
            user = User.objects.create_user(username=_free_username(claims, subject))
            identity = OidcIdentity(user=user, issuer=issuer, subject=subject)
        user = identity.user
        identity.last_sign_in_at = timezone.now()
        identity.save()
        # A longer address is not one (RFC 5321); cut short it would be someone else's.
        email = _claim_text(claims, "email", max_length=255)
        user.email = email if 0 < len(email) <= 254 else user.email
        user.first_name = _claim_text(claims, "given_name", max_length=150) or user.first_name
        user.last_name = _claim_text(claims, "family_name", max_length=150) or user.last_name
        oidc_roles_apply(user=user, groups=groups_from_claims(claims))
        user.save()
    return user


def groups_from_claims(claims: Mapping[str, Any]) -> frozenset[str]:
    """The values of the configured groups claim (a list, or one string as some providers send)."""
    value = claims.get(settings.OIDC_GROUPS_CLAIM) or []
    if isinstance(value, str):
        value = [value]
    return frozenset(item for item in value if isinstance(item, str))


def oidc_roles_apply(*, user, groups: frozenset[str]) -> None:
    """Give and take away the roles the settings map from the groups claim.

    The caller saves the user (is_staff, is_superuser); group and membership rows are written here.
    """
    if settings.OIDC_REVIEWER_GROUPS:
        reviewers, _ = Group.objects.get_or_create(name=HQ_REVIEWERS_GROUP)
        if groups & set(settings.OIDC_REVIEWER_GROUPS):
            user.groups.add(reviewers)
        else:
            user.groups.remove(reviewers)
    if settings.OIDC_ADMIN_GROUPS:
        is_admin = bool(groups & set(settings.OIDC_ADMIN_GROUPS))
        user.is_staff = user.is_superuser = is_admin
    if settings.OIDC_MISSION_ROLE_PREFIX:
        _memberships_apply(user=user, roles=mission_roles_from_groups(groups))


def mission_roles_from_groups(groups: frozenset[str]) -> dict[str, str]:
    """{acronym: role} from values such as "mission:BINUB:planner" (prefix "mission:")."""
    prefix = settings.OIDC_MISSION_ROLE_PREFIX
    roles: dict[str, str] = {}
    for value in groups:
        if not value.startswith(prefix):
            continue
        acronym, _, role = value.removeprefix(prefix).rpartition(":")
        if not acronym or role not in _ROLE_RANK:
            continue
        if acronym not in roles or _ROLE_RANK[role] > _ROLE_RANK[roles[acronym]]:
            roles[acronym] = role
    return roles


def _memberships_apply(*, user, roles: dict[str, str]) -> None:
    """The user's mission memberships become exactly `roles` (unknown acronyms are ignored).

    A fixed number of queries however many missions the claim names.
    """
    wanted = {
        mission_id: roles[acronym]
        for mission_id, acronym in Mission.objects.filter(acronym__in=roles).values_list(
            "pk", "acronym"
        )
    }
    current = {m.mission_id: m for m in MissionMembership.objects.filter(user=user)}
    if stale := [pk for pk in current if pk not in wanted]:
        MissionMembership.objects.filter(user=user, mission_id__in=stale).delete()
    changed = []
    for mission_id, role in wanted.items():
        if mission_id in current and current[mission_id].role != role:
            current[mission_id].role = role
            changed.append(current[mission_id])
    MissionMembership.objects.bulk_update(changed, ["role"])
    MissionMembership.objects.bulk_create(
        MissionMembership(user=user, mission_id=mission_id, role=role)
        for mission_id, role in wanted.items()
        if mission_id not in current
    )


def _claim_text(claims: Mapping[str, Any], name: str, *, max_length: int) -> str:
    """A text claim as a user field can hold it and reports can print it ("" if not text)."""
    value = claims.get(name)
    if not isinstance(value, str):
        return ""
    return XML_ILLEGAL_CHARACTER.sub("", value).strip()[:max_length]


def _free_username(claims: Mapping[str, Any], subject: str) -> str:
    """The username claim made safe, with a suffix when a local account already has it.

    An existing account is never linked by name or email: that would hand it to whoever the
    provider calls by that name.
    """
    digest = hashlib.sha256(subject.encode()).hexdigest()[:8]
    base = _NOT_IN_USERNAME.sub("", str(claims.get(settings.OIDC_USERNAME_CLAIM) or ""))[:120]
    if not base:
        return f"sso-{digest}"
    if not User.objects.filter(username=base).exists():
        return base
    return f"{base}-sso-{digest}"
