"""API tokens: create (shown once), authenticate (constant-time), revoke.

Writes and the one read authentication needs, in the services/selectors style: views, the admin
and the DRF authentication class call these and nothing else touches `key_hash`.

Authentication reads the token and its owner from the shared Redis when it can (one round trip
instead of a query), keyed by the secret's hash, for TOKEN_CACHE_SECONDS. A cached token is
checked for expiry and for its owner being active on every request, as a row is. Revoking a
token, and saving or deleting it or its owner, replaces its entry with a marker that sends every
process to the database until the marker lapses, so a revoked token is refused on its next
request whichever process answers it. The marker is written with a plain SET and entries with
SET NX, so a request that read the row just before a revocation cannot cache it after.
Without a shared Redis nothing is cached: every process reads the database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import pickle
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from redis.exceptions import RedisError

from integration.api.shared_state import shared_redis
from integration.api.throttling import window_take_and_get
from integration.models import ApiToken

logger = logging.getLogger(__name__)

# A public marker, not a secret ("integration decision support"): lets scanners spot a leak.
TOKEN_TAG = "ids_"  # noqa: S105
PREFIX_LENGTH = len(TOKEN_TAG) + 8
_SHAPE = re.compile(re.escape(TOKEN_TAG) + r"[A-Za-z0-9_-]{43}")  # token_urlsafe(32)
# Writing last_used_at on every request would turn each read into a write; once a minute is
# precise enough for "is this token still in use?".
LAST_USED_PRECISION = dt.timedelta(minutes=1)
# How long a token read from the database serves from the shared Redis. last_used_at is written
# on a read from the database, so with the minute above it lags real use by under two minutes.
TOKEN_CACHE_SECONDS = 60
_STALE = b"stale"  # the marker: read the database, do not cache


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
    token_cache_forget(digests=[token.key_hash])
    token.refresh_from_db(fields=("revoked_at",))
    return token


def api_token_authenticate(*, secret: str) -> ApiToken | None:
    """The active token whose secret is `secret`, with its user; None for any failure."""
    return api_token_authenticate_counted(secret=secret, window=lambda _digest: None).token


@dataclass(frozen=True)
class Authenticated:
    """What one round trip to the shared Redis told about a request with a token."""

    token: ApiToken | None  # None: no active token has this secret
    wait: float | None  # the rate limit's verdict: None to let it through, else seconds
    also: list[bytes | None]  # the values of the `also_get` keys (Nones without Redis)


def api_token_authenticate_counted(
    *,
    secret: str,
    window: Callable[[str], tuple[str, int, int] | None],
    also_get: tuple[str, ...] = (),
) -> Authenticated:
    """The active token whose secret is `secret`, the verdict of its rate limit on this
    request, and the values of the keys `also_get`; with Redis, in one round trip.
    `window(digest)` names the limit (key, limit, seconds), None for none.

    Looks the row up by its public prefix, then compares hashes in constant time, so response
    times reveal nothing about how much of a guess was right (the shared cache is keyed by the
    full SHA-256, which a guess cannot approach piece by piece).
    """
    if not _SHAPE.fullmatch(secret):
        return Authenticated(None, None, [None] * len(also_get))
    digest = _hash(secret)
    now = timezone.now()
    token, cacheable, wait, also = _cached(digest, window(digest), also_get)
    if token is None:
        token = _row_get(digest=digest, prefix=secret[:PREFIX_LENGTH])
        if token is None or not token.is_active(now=now) or not token.user.is_active:
            return Authenticated(None, wait, also)
        _touch(token=token, now=now)
        if cacheable:
            _cache(digest, token)
    if not token.is_active(now=now) or not token.user.is_active:
        return Authenticated(None, wait, also)
    return Authenticated(token, wait, also)


def _row_get(*, digest: str, prefix: str) -> ApiToken | None:
    for token in ApiToken.objects.select_related("user").filter(prefix=prefix):
        if hmac.compare_digest(token.key_hash, digest):
            return token
    return None


def _key(digest: str) -> str:
    return f"apitoken:{digest}"


def _cached(
    digest: str, window: tuple[str, int, int] | None, also_get: tuple[str, ...]
) -> tuple[ApiToken | None, bool, float | None, list[bytes | None]]:
    """(the cached token or None, whether the database's answer may be cached, the window's
    verdict, the `also_get` values)."""
    client = shared_redis()
    keys = [_key(digest), *also_get]
    try:
        if window is not None:
            key, limit, seconds = window
            wait, values = window_take_and_get(key=key, limit=limit, seconds=seconds, get=keys)
        else:
            wait, values = None, client.mget(keys) if client is not None else [None] * len(keys)
    except (RedisError, OSError):
        # Fail open, as every throttle does (throttling.py), and read the database.
        logger.warning("API throttle 'token': cache unavailable, request allowed")
        return None, False, None, [None] * len(also_get)
    value, also = values[0], list(values[1:])
    if client is None or value == _STALE:
        return None, False, wait, also
    if value is None:
        return None, True, wait, also
    return pickle.loads(value), False, wait, also  # noqa: S301 (written by _cache, our Redis)


def _cache(digest: str, token: ApiToken) -> None:
    client = shared_redis()
    try:
        client.set(_key(digest), pickle.dumps(token), nx=True, ex=TOKEN_CACHE_SECONDS)
    except (RedisError, OSError):
        logger.warning("API token cache unavailable: token not cached")


def token_cache_forget(*, digests: list[str]) -> None:
    """Send the next request with any of these tokens to the database, in every process.

    Marks now and again after the caller's transaction commits: between the two, a process
    reads the row as it was before the change, as it would without a cache.
    """
    client = shared_redis()
    if client is None or not digests:
        return

    def mark() -> None:
        try:
            with client.pipeline(transaction=False) as pipe:
                for digest in digests:
                    pipe.set(_key(digest), _STALE, ex=TOKEN_CACHE_SECONDS)
                pipe.execute()
        except (RedisError, OSError):
            # A change the cache did not hear about holds for at most TOKEN_CACHE_SECONDS.
            logger.exception("API token cache unavailable: %d token(s) not marked", len(digests))

    mark()
    transaction.on_commit(mark)


@receiver(post_save, sender=ApiToken)
@receiver(post_delete, sender=ApiToken)
def _token_changed(*, instance: ApiToken, created: bool = False, **kwargs) -> None:
    if not created:
        token_cache_forget(digests=[instance.key_hash])


@receiver(post_save, sender=get_user_model())
@receiver(post_delete, sender=get_user_model())
def _owner_changed(*, instance, update_fields=None, created: bool = False, **kwargs) -> None:
    # A cached token carries its owner (is_active, is_superuser): any change but a login's.
    if created or (update_fields is not None and set(update_fields) == {"last_login"}):
        return
    if shared_redis() is not None:
        token_cache_forget(
            digests=list(ApiToken.objects.filter(user=instance).values_list("key_hash", flat=True))
        )


def _touch(*, token: ApiToken, now: dt.datetime) -> None:
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_PRECISION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
