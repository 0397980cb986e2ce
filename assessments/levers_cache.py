"""The engine's levers of stored evaluations, shared by every process through the `levers`
cache (Redis when there is one), so that a portfolio report of a thousand missions reads them
instead of running the lever search a thousand times.

An evaluation's levers depend on its facts, its rulebook's content, the language and the
engine's code, and on nothing else: the key holds each (a hash of the facts and of the engine's
sources), so an entry never goes stale and needs no invalidation. A cold or flushed cache only
costs the search again, and a cache that fails is read as empty. Entries hold every lever (the
engine's `limit` only cuts its ranked list), so one entry serves the page's strongest few and
the portfolio's all. Evaluations are warmed where they are stored: evaluations_store dispatches
levers_warm_task after commit, which computes them in every language of the site; after a
release that changes the engine, `manage.py levers_warm` computes those of every current one.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

from django.conf import settings
from django.core.cache import caches

from assessments.models import Evaluation
from integration import engine
from integration.engine.levers import Lever, levers
from integration.services import rulebook_engine_get

logger = logging.getLogger(__name__)

LEVERS_CACHE = "levers"


def _engine_fingerprint() -> str:
    """A hash of the engine's sources: a deployment that changes the search or its texts reads
    none of the levers the previous code found."""
    digest = hashlib.sha256()
    for path in sorted(Path(engine.__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


ENGINE_FINGERPRINT = _engine_fingerprint()


def levers_key(*, evaluation, language: str) -> str:
    """The cache key of `evaluation`'s levers in `language`."""
    facts = hashlib.sha256(json.dumps(evaluation.facts, sort_keys=True).encode()).hexdigest()
    return f"{ENGINE_FINGERPRINT}:{evaluation.rulebook.checksum}:{language}:{facts}"


def levers_compute(*, evaluation, language: str) -> tuple[Lever, ...]:
    """Every lever of an applicable `evaluation`, strongest first; empty when its snapshot no
    longer reads. No query: the caller loads the evaluation's rulebook."""
    try:
        facts = engine.facts_from_dict(evaluation.facts)
    except engine.FactError:
        return ()
    compiled = rulebook_engine_get(rulebook=evaluation.rulebook)
    return levers(facts, compiled, language=language)


def cached_levers_get_many(keys: list[str]) -> dict[str, tuple[Lever, ...]]:
    """The cached levers of these keys, in one round trip; those missing are left out."""
    if not keys:
        return {}
    try:
        return caches[LEVERS_CACHE].get_many(keys)
    except Exception:  # redis and socket errors alike: the levers are computed instead
        logger.warning("Levers cache unavailable: computing the levers", exc_info=True)
        return {}


def cached_levers_set_many(found: dict[str, tuple[Lever, ...]]) -> None:
    if not found:
        return
    try:
        caches[LEVERS_CACHE].set_many(found)
    except Exception:  # a cache that fails keeps nothing; the next reader computes again
        logger.warning("Levers cache unavailable: %d entries not kept", len(found), exc_info=True)


def levers_warm(*, evaluation_ids: list[int]) -> int:
    """Compute and cache the levers of these evaluations in every language of the site, skipping
    those already cached (a re-evaluation that changes no fact and no rule finds them all).
    Returns how many entries it computed. Two queries, then one cache read and one write."""
    evaluations = Evaluation.objects.filter(pk__in=evaluation_ids, applicable=True).select_related(
        "rulebook"
    )
    wanted = {
        levers_key(evaluation=evaluation, language=code): (evaluation, code)
        for evaluation in evaluations
        for code, _name in settings.LANGUAGES
    }
    cached = cached_levers_get_many(list(wanted))
    found = {
        key: levers_compute(evaluation=evaluation, language=language)
        for key, (evaluation, language) in wanted.items()
        if key not in cached
    }
    cached_levers_set_many(found)
    return len(found)


def levers_warm_dispatch(*, evaluation_ids: list[int]) -> bool:
    """Publish levers_warm_task for these evaluations; True when the broker took it. Call after
    commit. A broker that is down loses only the warm-up (the first reader computes the levers)
    and never fails the request or job that stored the evaluations."""
    from assessments.tasks import levers_warm_task
    from integration.broker import task_publish

    if not evaluation_ids:
        return False
    try:
        task_publish(levers_warm_task, args=[list(evaluation_ids)])
    except Exception:  # kombu, redis and socket errors alike
        logger.warning("Levers warm-up of %d evaluations: broker unavailable", len(evaluation_ids))
        return False
    return True
