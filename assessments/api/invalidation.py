"""Every write to what the cached API answers read retires them (integration/api/read_cache.py).

The integration profile reads missions, assessments, evaluations, recommendations, overrides
(with their authors' usernames), history (profiles as of a date), functions and rulebooks; the
mission list reads missions and assessments. A save or delete of any of these, from a service,
a form or the admin, bumps the cache's generation after its transaction commits. Services that
write in bulk (QuerySet.update, bulk_create, COPY) send no model signals: each also records a
history entry (a save, so a signal) or calls `read_cache_bump` itself (evaluation_storage's
`evaluations_store`); tests/api/test_read_cache.py checks each kind of write.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save

from assessments.models import Assessment, Evaluation, HistoryEntry, Override, Recommendation
from integration.api.read_cache import read_cache_bump
from integration.models import Rulebook
from missions.models import Function, Mission

READ_MODELS = (
    Mission,
    Function,
    Assessment,
    Evaluation,
    Recommendation,
    Override,
    HistoryEntry,
    Rulebook,
)


def _written(*, update_fields=None, **kwargs) -> None:
    read_cache_bump()


def _user_written(*, update_fields=None, **kwargs) -> None:
    # Profiles show override authors' usernames; a sign-in only stamps last_login.
    if update_fields is not None and set(update_fields) == {"last_login"}:
        return
    read_cache_bump()


def read_cache_invalidation_connect() -> None:
    """Called once, from AssessmentsConfig.ready()."""
    for model in READ_MODELS:
        post_save.connect(_written, sender=model, dispatch_uid=f"read_cache_{model.__name__}")
        post_delete.connect(_written, sender=model, dispatch_uid=f"read_cache_del_{model.__name__}")
    user = get_user_model()
    post_save.connect(_user_written, sender=user, dispatch_uid="read_cache_user")
    post_delete.connect(_user_written, sender=user, dispatch_uid="read_cache_del_user")
