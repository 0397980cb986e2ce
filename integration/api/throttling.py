"""Rate limits for anonymous callers and API tokens, counted where every web process sees them.

Browser sessions are not throttled: they are people clicking, and the pages they use are
bounded. Rates come from REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] and are read per request so
tests (and operators, through settings) can change them without re-importing this module.

A rate is exact: "600/minute" lets at most 600 requests through in any 60 seconds. Each
allowance is a sliding window of the times of the requests it let through, checked and updated
in one step: a Lua script in the shared Redis (integration/api/shared_state.py), on Redis's own
clock, so web processes on several machines count alike; without Redis, a window in this
process's memory under a lock.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque

from redis.exceptions import RedisError
from rest_framework import exceptions
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from integration.api.shared_state import shared_redis
from integration.models import ApiToken
from integration.network import client_address

logger = logging.getLogger(__name__)

# KEYS[1]: the allowance's sorted set of request times (µs); ARGV: window (µs), limit.
# Returns {1, 0} when the request is let through (and recorded), else {0, µs until a slot
# frees}. Members are "time:count", unique even for two requests in one microsecond.
_WINDOW_TAKE = """
local now = redis.call('TIME')
now = tonumber(now[1]) * 1000000 + tonumber(now[2])
local window, limit = tonumber(ARGV[1]), tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if count < limit then
  redis.call('ZADD', KEYS[1], now, now .. ':' .. count)
  redis.call('PEXPIRE', KEYS[1], math.ceil(window / 1000))
  return {1, 0}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {0, tonumber(oldest[2]) + window - now}
"""
# The same, and the values of KEYS[2], KEYS[3], … as a third element: the token
# authentication counts a token's request and reads the token in one round trip
# (integration/api/tokens.py).
_WINDOW_TAKE_AND_GET = """
local values = {}
for i = 2, #KEYS do values[#values + 1] = redis.call('GET', KEYS[i]) end
""" + _WINDOW_TAKE.replace("return {1, 0}", "return {1, 0, values}").replace(
    "return {0, tonumber(oldest[2]) + window - now}",
    "return {0, tonumber(oldest[2]) + window - now, values}",
)
_scripts: dict[tuple[int, str], object] = {}

# Without Redis: this process's windows (time.monotonic() of each request let through).
_local_windows: dict[str, deque[float]] = {}
_local_lock = threading.Lock()
_LOCAL_KEYS_MAX = 10_000  # past this many addresses and tokens, forget the idle ones


def window_take(*, key: str, limit: int, seconds: int) -> float | None:
    """Let one request through `key`'s allowance of `limit` per `seconds`, and record it.

    Returns None when it may pass, else the seconds until it may. Raises RedisError or OSError
    when the shared Redis does not answer.
    """
    client = shared_redis()
    if client is None:
        return _local_window_take(key=key, limit=limit, seconds=seconds)
    allowed, wait_us = _script(client, _WINDOW_TAKE)(keys=[key], args=[seconds * 1_000_000, limit])
    return None if allowed else max(wait_us, 0) / 1_000_000


def window_take_and_get(
    *, key: str, limit: int, seconds: int, get: list[str]
) -> tuple[float | None, list[bytes | None]]:
    """`window_take`, and the shared Redis's values at the keys `get` (Nones without Redis),
    in one round trip."""
    client = shared_redis()
    if client is None:
        return _local_window_take(key=key, limit=limit, seconds=seconds), [None] * len(get)
    allowed, wait_us, values = _script(client, _WINDOW_TAKE_AND_GET)(
        keys=[key, *get], args=[seconds * 1_000_000, limit]
    )
    return (None if allowed else max(wait_us, 0) / 1_000_000), values


def _script(client, source: str):
    script = _scripts.get((id(client), source))
    if script is None:
        script = _scripts[id(client), source] = client.register_script(source)
    return script


def _local_window_take(*, key: str, limit: int, seconds: int) -> float | None:
    now = time.monotonic()
    with _local_lock:
        if len(_local_windows) > _LOCAL_KEYS_MAX:
            for idle in [k for k, w in _local_windows.items() if not w or w[-1] <= now - seconds]:
                del _local_windows[idle]
        window = _local_windows.setdefault(key, deque())
        while window and window[0] <= now - seconds:
            window.popleft()
        if len(window) >= limit:
            return window[0] + seconds - now
        window.append(now)
        return None


def throttle_windows_clear() -> None:
    """Forget every count (tests start from a clean slate)."""
    with _local_lock:
        _local_windows.clear()
    client = shared_redis()
    if client is not None:
        keys = list(client.scan_iter("throttle:*"))
        if keys:
            client.delete(*keys)


class _SlidingWindowThrottle(SimpleRateThrottle):
    """DRF's throttle interface (cache keys, idents, rates) over `window_take`."""

    cache_format = "throttle:%(scope)s:%(ident)s"

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request) -> str:
        # The project's one rule (TRUSTED_PROXIES), not DRF's NUM_PROXIES.
        return client_address(request)

    def allow_request(self, request, view) -> bool:
        self._wait: float | None = None
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        # The counters share Redis with the broker. When it is down, fail open: a rate limit
        # is not worth a 500 on every API call (a report request would otherwise never reach
        # the service, which queues the job for when the broker returns).
        try:
            self._wait = window_take(key=key, limit=self.num_requests, seconds=self.duration)
        except (RedisError, OSError):
            logger.warning("API throttle %r: cache unavailable, request allowed", self.scope)
            return True
        return self._wait is None

    def wait(self) -> float | None:
        return self._wait


# Set on a request once it has used the anonymous allowance, so that the throttles DRF runs
# after the permission check do not count it a second time.
_COUNTED = "_anonymous_allowance_used"


class AnonymousThrottle(_SlidingWindowThrottle):
    """Requests without credentials, per client address.

    DRF checks permissions before throttles: left to this class alone, an anonymous request to
    a protected endpoint would be a 401 that never counts. So the token authentication counts
    every request that brings neither a token nor a session (`anonymous_allowance_use`), before
    the permission check, and failed token attempts too; this class counts only requests that
    reached a view without passing through it.
    """

    scope = "anon"

    def get_cache_key(self, request, view) -> str | None:
        if getattr(request, _COUNTED, False) or (request.user and request.user.is_authenticated):
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class _AnonymousAllowance(_SlidingWindowThrottle):
    """The anonymous allowance keyed by address alone: usable before `request.user` exists."""

    scope = "anon"

    def get_cache_key(self, request, view) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def anonymous_allowance_use(request) -> None:
    """Count `request` against its address's anonymous allowance; Throttled once it is used up.

    Called from authentication, so it runs before the permission check.
    """
    setattr(request, _COUNTED, True)
    throttle = _AnonymousAllowance()
    if not throttle.allow_request(request, None):
        raise exceptions.Throttled(throttle.wait())


# Set on a request by the token authentication: the token throttle's verdict, reached when it
# read the token (None: allowed; else seconds to wait).
TOKEN_WAIT = "_token_throttle_wait"  # noqa: S105 (an attribute name)


class TokenThrottle(_SlidingWindowThrottle):
    """Requests made with an API token, per token (not per owner: one noisy system at a time).

    Counted by the token authentication, in the round trip to Redis that reads the token
    (`token_window`), so a token's request costs one round trip for both; this class applies
    the verdict where DRF expects it, after the permission check.
    """

    scope = "token"

    def allow_request(self, request, view) -> bool:
        self._wait = (
            getattr(request, TOKEN_WAIT, None) if isinstance(request.auth, ApiToken) else None
        )
        return self._wait is None


def token_window(digest: str) -> tuple[str, int, int] | None:
    """(key, limit, seconds) of the allowance of the token whose secret hashes to `digest`;
    None when tokens are not throttled."""
    throttle = TokenThrottle()
    if throttle.rate is None:
        return None
    key = throttle.cache_format % {"scope": throttle.scope, "ident": digest}
    return key, throttle.num_requests, throttle.duration
