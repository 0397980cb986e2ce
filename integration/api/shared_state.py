"""The API's state that every web process shares: throttle counters and cached token lookups.

It lives in the Redis of the "throttle" cache (settings.CACHES; in production REDIS_URL), read
and written through one client per process, whose connection pool every request reuses
(Django's cache backend builds a new client object on every call, and its throttle counters
were a read-then-write that concurrent requests raced). Without Redis (`make run`, the tests'
default) there is nothing to share with: `shared_redis()` is None and callers keep their state
in this process.
"""

from __future__ import annotations

import os

import redis
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

THROTTLE_CACHE = "throttle"
REDIS_BACKEND = "django.core.cache.backends.redis.RedisCache"
# Options of Django's RedisCache that redis-py's connection pool takes as they are.
_POOL_OPTIONS = ("socket_connect_timeout", "socket_timeout", "health_check_interval")

# Keyed by process id, so a forked process (gunicorn --preload, a Celery prefork child) opens
# its own connections instead of sharing its parent's sockets.
_clients: dict[tuple[int, str], redis.Redis] = {}


def shared_redis() -> redis.Redis | None:
    """This process's client of the API's shared Redis, or None when there is none."""
    config = settings.CACHES.get(THROTTLE_CACHE, {})
    if config.get("BACKEND") != REDIS_BACKEND:
        return None
    location = config["LOCATION"]
    key = (os.getpid(), location)
    client = _clients.get(key)
    if client is None:
        options = config.get("OPTIONS", {})
        client = redis.Redis.from_url(
            location, **{name: options[name] for name in _POOL_OPTIONS if name in options}
        )
        _clients[key] = client
    return client


@receiver(setting_changed)
def _forget_clients(*, setting: str, **kwargs) -> None:
    # Tests point the throttle cache at another server; the next call connects to that one.
    if setting == "CACHES":
        _clients.clear()
