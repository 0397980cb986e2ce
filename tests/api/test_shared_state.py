"""State every web process shares through Redis: exact throttle counts and cached token lookups.

Against a real Redis (REDIS_URL's, else a private redis-server), as production runs them.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from integration.api.throttling import throttle_windows_clear, window_take
from integration.api.tokens import TOKEN_CACHE_SECONDS, api_token_create, api_token_revoke
from integration.models import ApiToken

ROOT = Path(__file__).resolve().parents[2]
URL = "/api/v1/functions/"


def _bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _take(key: str, count: int, limit: int, seconds: int = 60) -> int:
    """`count` requests at once through one allowance; how many it let through."""
    return sum(window_take(key=key, limit=limit, seconds=seconds) is None for _ in range(count))


# --- throttle counts ------------------------------------------------------------------------


def test_a_rate_is_exact_across_processes_sharing_redis(shared_redis_on):
    # given four processes, each sending 200 requests at once through one allowance of 300 a
    # minute (the race that let 644 requests through a rate of 600 a minute)
    fork = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(4, mp_context=fork) as pool:
        allowed = sum(pool.map(_take, ["throttle:token:race"] * 4, [200] * 4, [300] * 4))
    # then exactly 300 passed, and the next is refused with the time until a slot frees
    assert allowed == 300
    wait = window_take(key="throttle:token:race", limit=300, seconds=60)
    assert wait is not None
    assert 0 < wait <= 60


def test_a_rate_is_exact_across_threads_without_redis():
    # given no shared Redis (make run): one process, its windows under a lock
    throttle_windows_clear()
    counts: list[int] = []
    threads = [
        threading.Thread(target=lambda: counts.append(_take("throttle:token:t", 100, 150)))
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(counts) == 150
    throttle_windows_clear()


def test_a_window_frees_its_oldest_slot_first(shared_redis_on):
    # given an allowance of 2 per second, used up
    assert _take("throttle:anon:w", 3, limit=2, seconds=1) == 2
    # when the window has moved past both, then two more pass, not more
    time.sleep(1.1)
    assert _take("throttle:anon:w", 3, limit=2, seconds=1) == 2


@pytest.mark.django_db
def test_the_token_throttle_counts_in_redis(api, read_token, shared_redis_on, settings):
    settings.REST_FRAMEWORK = settings.REST_FRAMEWORK | {
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "token": "3/minute"}
    }
    statuses = [api.get(URL, **_bearer(read_token.secret)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert shared_redis_on.zcard(f"throttle:token:{read_token.token.key_hash}") == 3


# --- cached token lookups -------------------------------------------------------------------


@pytest.mark.django_db
def test_a_token_is_read_from_redis_after_its_first_request(api, read_token, shared_redis_on):
    # first request: the token row with its owner, last_used_at written, the functions
    with CaptureQueriesContext(connection) as first:
        assert api.get(URL, **_bearer(read_token.secret)).status_code == 200
    # next: the functions only
    with CaptureQueriesContext(connection) as second:
        assert api.get(URL, **_bearer(read_token.secret)).status_code == 200
    assert len(first) == 3
    assert len(second) == 1
    assert shared_redis_on.ttl(f"apitoken:{read_token.token.key_hash}") <= TOKEN_CACHE_SECONDS


@pytest.mark.django_db
def test_a_revoked_token_is_refused_on_its_next_request(
    api, read_token, binub_planner, shared_redis_on
):
    assert api.get(URL, **_bearer(read_token.secret)).status_code == 200  # now cached
    api_token_revoke(token_id=read_token.token.pk, by=binub_planner)
    assert api.get(URL, **_bearer(read_token.secret)).status_code == 401


@pytest.mark.django_db
def test_a_token_of_an_owner_deactivated_meanwhile_is_refused(
    api, read_token, binub_planner, shared_redis_on
):
    assert api.get(URL, **_bearer(read_token.secret)).status_code == 200
    binub_planner.is_active = False
    binub_planner.save()
    assert api.get(URL, **_bearer(read_token.secret)).status_code == 401


@pytest.mark.django_db
def test_a_deleted_token_is_refused_on_its_next_request(api, read_token, shared_redis_on):
    assert api.get(URL, **_bearer(read_token.secret)).status_code == 200
    ApiToken.objects.get(pk=read_token.token.pk).delete()
    assert api.get(URL, **_bearer(read_token.secret)).status_code == 401


@pytest.mark.django_db
def test_a_cached_token_is_refused_once_it_expires(api, binub_planner, shared_redis_on):
    # given a token that expires in a second, cached by a request
    expires_at = timezone.now() + dt.timedelta(seconds=1)
    issued = api_token_create(user=binub_planner, name="short", scope="read", expires_at=expires_at)
    assert api.get(URL, **_bearer(issued.secret)).status_code == 200
    # when it expires, then its next request is refused although the cache still holds it
    time.sleep(max(0.0, (expires_at - timezone.now()).total_seconds()) + 0.1)
    assert shared_redis_on.exists(f"apitoken:{issued.token.key_hash}")
    assert api.get(URL, **_bearer(issued.secret)).status_code == 401


def _test_database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


# Revokes a token from another process, with the shared Redis the test uses.
_REVOKE = """
import sys, django
django.setup()
from django.conf import settings
from django.contrib.auth import get_user_model
settings.CACHES["throttle"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                               "LOCATION": sys.argv[1]}
from integration.api.tokens import api_token_revoke
owner = get_user_model().objects.get(pk=int(sys.argv[3]))
api_token_revoke(token_id=int(sys.argv[2]), by=owner)
"""


@pytest.mark.django_db(transaction=True)  # the other process must see the token row
@pytest.mark.skipif(
    connection.vendor != "postgresql" and not os.environ.get("CI"),
    reason="another process cannot see the in-memory SQLite test database (CI runs PostgreSQL)",
)
def test_a_token_revoked_by_another_process_is_refused_on_its_next_request(
    api, read_token, binub_planner, redis_url, shared_redis_on
):
    # given a token this process has cached
    assert api.get(URL, **_bearer(read_token.secret)).status_code == 200
    assert shared_redis_on.exists(f"apitoken:{read_token.token.key_hash}")
    # when another process (another web machine, the admin) revokes it
    subprocess.run(
        [sys.executable, "-c", _REVOKE, redis_url, str(read_token.token.pk), str(binub_planner.pk)],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "integration.test_settings",
            "DATABASE_URL": _test_database_url(),
        },
        check=True,
        timeout=60,
    )
    # then this process refuses its next request
    assert api.get(URL, **_bearer(read_token.secret)).status_code == 401
