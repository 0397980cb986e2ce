"""Who may call what. Visibility itself lives in the querysets (`visible_to`, `editable_by`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from integration.models import ApiToken


class TokenScopeAllows(BasePermission):
    """A read-scoped token can never change anything.

    Unsafe methods are refused to read tokens unless the view declares `changes_nothing`
    (POST /evaluate/ computes an answer and stores nothing).
    """

    message = _("This token has the read scope: it cannot change anything.")

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken) or token.scope == ApiToken.Scope.WRITE:
            return True
        return request.method in SAFE_METHODS or getattr(view, "changes_nothing", False)
