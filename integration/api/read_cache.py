"""Rendered API answers kept in the shared Redis until the next write that could change them.

The integration profile and the mission list are read far more often than missions and
assessments change, and building them costs a dozen times a bare request (query compilation,
JSON fields, serializers). Each answer is stored rendered, with its ETag, under a key naming
what was asked (and who may see what: `Mission.objects.visibility_key`), beside the
*generation* it was built at. Every write to what these answers read bumps the generation, after
its transaction commits (assessments/api/invalidation.py connects the model signals; bulk
writes call `read_cache_bump` themselves), so a stored answer is used only while no write has
committed since it was built (the bump also happens at once, for reads in the same
transaction):

* a request reads the generation *before* reading the database, so an answer built from rows
  read before a write commits carries the generation from before it, which the bump retires;
* the generation and the answer come back in one round trip (MGET); a 304 needs nothing else;
* a request with an API token brings the generation along with the token, read in the same
  round trip (tokens.py), and each process also holds the answers it served last: an answer
  held at that generation costs no round trip at all.

Entries also lapse after READ_CACHE_SECONDS, a bound on any write that bypassed the signals.
Without a shared Redis nothing is cached: the answer is built on every request.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from django.db import transaction
from django.utils.translation import get_language
from redis.exceptions import RedisError
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

from integration.api.shared_state import shared_redis

logger = logging.getLogger(__name__)

GENERATION_KEY = "apiread:generation"
READ_CACHE_SECONDS = 600
_RENDERER = JSONRenderer()
_GENERATION_ATTR = "_api_read_generation"
# Answers this process also holds, by key, with their generation: profiles are about 35 KB.
LOCAL_ANSWERS = 256
_local: OrderedDict[str, tuple[bytes, Answer]] = OrderedDict()
_local_lock = threading.Lock()


@dataclass(frozen=True)
class Answer:
    """An answer rendered as the API renders it (JSONRenderer), with its ETag."""

    etag: str
    body: bytes


def body_etag(data: Any) -> str:
    """A strong ETag for computed data: a hash of its canonical JSON (keys sorted)."""
    body = json.dumps(data, cls=JSONEncoder, sort_keys=True, ensure_ascii=False)
    return '"' + hashlib.sha256(body.encode("utf-8")).hexdigest()[:32] + '"'


def answer_render(data: Any) -> Answer:
    return Answer(etag=body_etag(data), body=_RENDERER.render(data))


def generation_carry(request, generation: bytes | None) -> None:
    """Remember the generation read with the request's token (tokens.py: same round trip)."""
    setattr(request, _GENERATION_ATTR, generation)


def source_version(*modules: ModuleType) -> str:
    """A short hash of these modules' source: the `version` of the answers they build, so that
    answers stored by other code (before a deploy) are never read by this code."""
    digest = hashlib.sha256()
    for module in modules:
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()[:12]


def answer_get(*, key: str, build: Callable[[], Any], request=None, version: str = "") -> Answer:
    """The answer stored under `key` if no write committed since it was built, else `build()`'s
    (stored for the next request). Exceptions from `build` (404, 400) pass through, uncached.

    The stored key also names `version` (source_version of the code that builds the answer) and
    the active language, so neither a deploy nor a French request reads another's answer.

    A request whose token was read from Redis brought the generation along: an answer this
    process holds at that generation costs no round trip at all.
    """
    client = shared_redis()
    if client is None:
        return answer_render(build())
    key = f"{key}:{version}:{get_language()}"
    generation = getattr(request, _GENERATION_ATTR, None)
    if generation is not None:
        with _local_lock:
            held = _local.get(key)
        if held is not None and held[0] == generation:
            return held[1]
    redis_key = f"apiread:{key}"
    try:
        if generation is None:
            generation, stored = client.mget(GENERATION_KEY, redis_key)
            if generation is None:  # a new (or flushed) Redis: start the count
                _generation_start(client)
                generation, stored = client.get(GENERATION_KEY), None
        else:
            stored = client.get(redis_key)
    except (RedisError, OSError):
        logger.warning("API read cache unavailable: answer built from the database")
        return answer_render(build())
    answer = None
    if stored is not None:
        stored_generation, etag, body = stored.split(b"\n", 2)
        if stored_generation == generation:
            answer = Answer(etag=etag.decode("ascii"), body=body)
    if answer is None:
        answer = answer_render(build())
        try:
            client.set(
                redis_key,
                b"\n".join((generation, answer.etag.encode("ascii"), answer.body)),
                ex=READ_CACHE_SECONDS,
            )
        except (RedisError, OSError):
            logger.warning("API read cache unavailable: answer not stored")
    with _local_lock:
        _local[key] = (generation, answer)
        _local.move_to_end(key)
        while len(_local) > LOCAL_ANSWERS:
            _local.popitem(last=False)
    return answer


def read_cache_bump() -> None:
    """Retire every stored answer, now and again when the current transaction commits.

    Now, for reads later in this transaction; at commit, for answers other processes built
    meanwhile from the rows as they were before it.
    """
    _bump()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_bump)


def _generation_start(client) -> None:
    # From the clock, not 0: a generation lost with Redis's data never comes round again, so an
    # answer stored before the loss can never match.
    client.set(GENERATION_KEY, time.time_ns() // 1000, nx=True)


def _bump() -> None:
    client = shared_redis()
    if client is None:
        return
    try:
        _generation_start(client)
        client.incr(GENERATION_KEY)
    except (RedisError, OSError):
        # The stored answers stay until they lapse: say so loudly.
        logger.exception(
            "API read cache unavailable: answers may be stale for up to %d s", READ_CACHE_SECONDS
        )
