"""The session user comes with their roles, read in the query that loads them.

Every page's header asks whether the user reviews for HQ (to show the review queue only to
reviewers): reading the role with the user keeps that from costing each page a query.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from missions.roles import users_with_roles


class RolesModelBackend(ModelBackend):
    """Django's username and password backend, whose session user carries its roles."""

    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = users_with_roles(user_model._default_manager.all()).get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
