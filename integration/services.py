"""Writes and cached reads for rulebooks. The engine itself stays pure; this is its Django edge."""

from __future__ import annotations

import threading

from django.db import IntegrityError, transaction
from django.utils import timezone

from integration import engine
from integration.exceptions import RulebookInvalid, RulebookStateError
from integration.models import Rulebook

DEFAULT_RULEBOOK_PATH = engine.DEFAULT_RULEBOOK_PATH

# Parsed rulebooks by checksum: parsing and compiling YAML costs far more than an evaluation, so
# each process parses a given rulebook content once.
_compiled: dict[str, engine.Rulebook] = {}
_compiled_lock = threading.Lock()


def rulebook_compile(*, content: str) -> engine.Rulebook:
    """The engine's rulebook for `content`; raises RulebookInvalid naming the rule at fault."""
    try:
        return engine.load_rulebook(content)
    except engine.RulebookError as exc:
        raise RulebookInvalid(str(exc)) from exc


# Checksums of rulebook contents that passed the conformance check in this process: the check
# runs thousands of combinations, and a content's verdict never changes.
_conformant: set[str] = set()


def rulebook_check(*, content: str) -> engine.Rulebook:
    """The engine's rulebook for `content` if it loads and keeps the invariants of domain.md §6
    (engine/conformance.py); raises RulebookInvalid naming the rule, or the invariant broken and
    a counterexample. Run before a rulebook is stored and before it is published."""
    compiled = rulebook_compile(content=content)
    with _compiled_lock:
        known = compiled.checksum in _conformant
    if not known:
        try:
            engine.check_conformance(compiled)
        except engine.RulebookError as exc:
            raise RulebookInvalid(str(exc)) from exc
        with _compiled_lock:
            _conformant.add(compiled.checksum)
    return compiled


def rulebook_engine_get(*, rulebook: Rulebook) -> engine.Rulebook:
    """The compiled form of a stored rulebook, from the per-process cache."""
    with _compiled_lock:
        compiled = _compiled.get(rulebook.checksum)
    if compiled is None:
        compiled = rulebook_compile(content=rulebook.content)
        with _compiled_lock:
            _compiled[rulebook.checksum] = compiled
    return compiled


def rulebook_create(*, content: str, by=None, effective_date=None) -> Rulebook:
    """Validate and store a draft rulebook; name and version come from its content."""
    compiled = rulebook_check(content=content)
    if Rulebook.objects.filter(version=compiled.version).exists():
        raise RulebookInvalid(f'A rulebook with version "{compiled.version}" already exists.')
    return Rulebook.objects.create(
        name=compiled.name,
        version=compiled.version,
        content=content,
        checksum=compiled.checksum,
        created_by=by,
        effective_date=effective_date,
    )


def rulebook_publish(*, rulebook_id: int) -> Rulebook:
    """Publish a draft, retiring the one published before it, in one transaction.

    Never publishes what does not load or breaks an invariant (RulebookInvalid): the check runs
    before the transaction, since it is slow next to the writes and stored content never changes.
    """
    rulebook_check(content=Rulebook.objects.values_list("content", flat=True).get(pk=rulebook_id))
    with transaction.atomic():
        rulebook = Rulebook.objects.select_for_update().get(pk=rulebook_id)
        if rulebook.status == Rulebook.Status.PUBLISHED:
            return rulebook
        if rulebook.status == Rulebook.Status.RETIRED:
            raise RulebookStateError(f"Rulebook {rulebook.version} is retired; upload it anew.")
        Rulebook.objects.select_for_update().filter(status=Rulebook.Status.PUBLISHED).update(
            status=Rulebook.Status.RETIRED
        )
        rulebook.status = Rulebook.Status.PUBLISHED
        rulebook.published_at = timezone.now()
        if rulebook.effective_date is None:
            rulebook.effective_date = timezone.localdate()
        rulebook.save(update_fields=("status", "published_at", "effective_date"))
    return rulebook


def rulebook_retired_ensure(*, version: str) -> Rulebook:
    """A rulebook of the repository (`integration/rulebooks/<version>.yaml`), stored retired if
    it is not stored yet, so that answers computed under it can be recorded and replayed.

    Loaded, not checked for conformance: an old rulebook may break an invariant added since
    (2007.3 does), and a retired one is never published again (rulebook_publish refuses).
    """
    stored = Rulebook.objects.filter(version=version).first()
    if stored is not None:
        return stored
    content = (DEFAULT_RULEBOOK_PATH.parent / f"{version}.yaml").read_text(encoding="utf-8")
    compiled = rulebook_compile(content=content)
    rulebook, _ = Rulebook.objects.get_or_create(
        version=compiled.version,
        defaults={
            "name": compiled.name,
            "content": content,
            "checksum": compiled.checksum,
            "status": Rulebook.Status.RETIRED,
        },
    )
    return rulebook


def rulebook_default_ensure() -> Rulebook:
    """The published rulebook; on a fresh install, the repository's default, published."""
    published = Rulebook.objects.filter(status=Rulebook.Status.PUBLISHED).first()
    if published is not None:
        return published
    content = DEFAULT_RULEBOOK_PATH.read_text(encoding="utf-8")
    compiled = rulebook_compile(content=content)
    try:
        with transaction.atomic():
            rulebook, _ = Rulebook.objects.get_or_create(
                version=compiled.version,
                defaults={
                    "name": compiled.name,
                    "content": content,
                    "checksum": compiled.checksum,
                },
            )
            return rulebook_publish(rulebook_id=rulebook.pk)
    except IntegrityError:
        # Another process published first; theirs is the one.
        return Rulebook.objects.get(status=Rulebook.Status.PUBLISHED)


def rulebook_published_get() -> tuple[Rulebook, engine.Rulebook]:
    """The published rulebook row and its compiled form."""
    rulebook = rulebook_default_ensure()
    return rulebook, rulebook_engine_get(rulebook=rulebook)
