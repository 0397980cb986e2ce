"""The user's roles in templates: pages show only the links a user may use."""

from __future__ import annotations

from django import template

from missions import roles

register = template.Library()


@register.filter
def is_hq_reviewer(user) -> bool:
    """`{% if user|is_hq_reviewer %}`: no query for the session user, whose roles come with it
    (missions.auth_backends)."""
    return roles.is_hq_reviewer(user)
