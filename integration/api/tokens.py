"""API tokens: create (shown once), authenticate (constant-time), revoke.

Writes and the one read authentication needs, in the services/selectors style: views, the admin
and the DRF authentication class call these and nothing else touches `key_hash`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from django.utils import timezone

from integration.models import ApiToken

# A public marker, not a secret ("integration decision support"): lets scanners spot a leak.
TOKEN_TAG = "ids_"  # noqa: S105
PREFIX_LENGTH = len(TOKEN_TAG) + 8
_SHAPE = re.compile(re.escape(TOKEN_TAG) + r"[A-Za-z0-9_-]{43}")  # token_urlsafe(32)
# Writing last_used_at on every request would turn each read into a write; once a minute is
# precise enough for "is this token still in use?".
LAST_USED_PRECISION = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedToken:
    """A token row and its secret, which exists only here, in memory, once."""

    token: ApiToken
    secret: str


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def api_token_create(
    *, user, name: str, scope: str, expires_at: dt.datetime | None = None
) -> IssuedToken:
    """A new token for `user`. The secret is returned once and never stored."""
    # 32 random bytes: far beyond guessing, so one unsalted SHA-256 is a sufficient hash.
    secret = TOKEN_TAG + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        prefix=secret[:PREFIX_LENGTH],
        key_hash=_hash(secret),
        scope=scope,
        expires_at=expires_at,
    )
    return IssuedToken(token=token, secret=secret)


def api_token_revoke(*, token_id: int, by) -> ApiToken:
    """Revoke a token `by` may manage (its owner or an admin); idempotent.

    Raises ApiToken.DoesNotExist for a token `by` may not manage, so it is not revealed.
    """
    token = ApiToken.objects.editable_by(by).get(pk=token_id)
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token.refresh_from_db(fields=("revoked_at",))
    return token


def api_token_authenticate(*, secret: str) -> ApiToken | None:
    """The active token whose secret is `secret`, with its user; None for any failure.

    Looks the row up by its public prefix, then compares hashes in constant time, so response
    times reveal nothing about how much of a guess was right.
    """
    if not _SHAPE.fullmatch(secret):
        return None
    digest = _hash(secret)
    now = timezone.now()
    candidates = ApiToken.objects.select_related("user").filter(prefix=secret[:PREFIX_LENGTH])
    for token in candidates:
        if hmac.compare_digest(token.key_hash, digest):
            if not token.is_active(now=now) or not token.user.is_active:
                return None
            _touch(token=token, now=now)
            return token
    return None


def _touch(*, token: ApiToken, now: dt.datetime) -> None:
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_PRECISION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
