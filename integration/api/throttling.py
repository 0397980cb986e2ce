"""Rate limits for anonymous callers and API tokens, counted in the shared "throttle" cache.

Browser sessions are not throttled: they are people clicking, and the pages they use are
bounded. Rates come from REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] and are read per request so
tests (and operators, through settings) can change them without re-importing this module.
"""

from __future__ import annotations

import logging

from django.core.cache import caches
from redis.exceptions import RedisError
from rest_framework import exceptions
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from integration.models import ApiToken
from integration.network import client_address

THROTTLE_CACHE = "throttle"
logger = logging.getLogger(__name__)


class _RateFromSettings(SimpleRateThrottle):
    @property
    def cache(self):  # type: ignore[override]
        return caches[THROTTLE_CACHE]

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request) -> str:
        # The project's one rule (TRUSTED_PROXIES), not DRF's NUM_PROXIES.
        return client_address(request)

    def allow_request(self, request, view) -> bool:
        # The counters share Redis with the broker. When it is down, fail open: a rate limit
        # is not worth a 500 on every API call (a report request would otherwise never reach
        # the service, which queues the job for when the broker returns).
        try:
            return super().allow_request(request, view)
        except (RedisError, OSError):
            logger.warning("API throttle %r: cache unavailable, request allowed", self.scope)
            return True


# Set on a request once it has used the anonymous allowance, so that the throttles DRF runs
# after the permission check do not count it a second time.
_COUNTED = "_anonymous_allowance_used"


class AnonymousThrottle(_RateFromSettings):
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


class _AnonymousAllowance(_RateFromSettings):
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


class TokenThrottle(_RateFromSettings):
    """Requests made with an API token, per token (not per owner: one noisy system at a time)."""

    scope = "token"

    def get_cache_key(self, request, view) -> str | None:
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
