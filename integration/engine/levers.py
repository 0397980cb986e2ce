"""Levers: the changes of one fact, or of two, that would close the most gaps between what the
functions call for and what the context allows (`feasible_degree` < `degree`).

Nothing here is written per rule: each candidate change is run through the same rules and the
same combination as `evaluate` (the what-if search's candidates, what_if.py), and a lever's
barriers, remedies and carriers are those of the barriers the change lifts, read from the
rulebook. A gap counts as closed when, after the change, the level is feasible at what it is
then called for, and that is no less than before: lowering what is called for closes nothing.

A lever lowers nothing (no degree, no feasible degree): trading one function's integration for
another's is a decision, not a lever. One that raises what is called for somewhere is kept and
flagged (`raises`): more integration needed is a cost the planner may not want.

Pairs: two changes are tried together only when each, alone, lowers nothing and lifts a barrier
of a function that has a gap, and they touch the same function (or the context); a pair is kept
only when it closes a gap neither closes alone. So the search stays near the single changes'
cost, and a pair listed is never just two levers side by side.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from .combine import COMBINATION_FACTS, Outcome, combine, engine_refuses
from .facts import CONTEXT_FACTS, Facts, FunctionFacts, function_contradiction
from .lever_texts import LiftedBarrier, lever_condition, lifted_barriers
from .plan import (
    DEGREE_NAMES,
    LEVEL_NAMES,
    Plan,
    applicable_rules,
    context_fired,
    fired_rules,
    plan_for,
)
from .rulebook import Rulebook
from .what_if import (
    context_candidates,
    context_change_contradicts,
    function_candidates,
    refire,
)

Cell = tuple[str, str]  # (function code, level name)


@dataclass(frozen=True, slots=True)
class FactChange:
    """One fact to change: a context fact (`function` None) or one function's fact."""

    fact: str  # its path: "context.agency_service_agreements", "function.funding_source"
    function: str | None
    from_value: Any
    to_value: Any


@dataclass(frozen=True, slots=True)
class CellMove:
    """How one (function, level) would move: (before, after) degree names."""

    function: str
    level: str
    degree: tuple[str, str]
    feasible: tuple[str, str]


@dataclass(frozen=True, slots=True)
class Lever:
    """One change (or two) and what it would do. `closes` are the gaps it closes; `moves` every
    cell that moves; `raises` the cells where more integration would be called for."""

    changes: tuple[FactChange, ...]
    condition: str  # "If agency service agreements were permitted" in the asked language
    closes: tuple[Cell, ...]
    moves: tuple[CellMove, ...]
    raises: tuple[Cell, ...]
    barriers: tuple[LiftedBarrier, ...]
    carriers: tuple[str, ...]


class _Base(NamedTuple):
    """The assessment as it stands: fired rules and outcomes per function."""

    plan: Plan
    facts: Facts
    fired: list[frozenset[int]]
    outcomes: list[Outcome]
    # combine's answers by (fired rules, function, the context facts it reads): pairs and
    # singles meet the same fired sets again and again.
    combined: dict[tuple, Outcome]
    # The changed facts, built (and validated) once per change: singles, their check and the
    # pairs meet the same ones.
    made: dict[tuple, Any]


class _Effect(NamedTuple):
    """What one candidate does, before any text is rendered."""

    changes: tuple[FactChange, ...]
    outcomes: list[Outcome]
    closes: frozenset[tuple[int, int]]  # (function index, level index)
    raises: frozenset[tuple[int, int]]
    lowers: bool
    lifts_at_gap: bool  # lifts a barrier of a function that has a gap


def _base(plan: Plan, facts: Facts) -> _Base:
    shared = context_fired(plan, facts.context)
    fired = [fired_rules(plan, facts.context, item, shared) for item in facts.functions]
    outcomes = [
        combine(plan, rules, facts.context, item.function)
        for rules, item in zip(fired, facts.functions, strict=True)
    ]
    return _Base(plan, facts, fired, outcomes, {}, {})


def _made(base: _Base, facts: Any, changes: dict[str, Any]) -> Any:
    """`facts` (the context or one function's facts) with `changes` made, built once."""
    key = (id(facts), *sorted(changes.items()))
    found = base.made.get(key)
    if found is None:
        found = base.made[key] = replace(facts, **changes)
    return found


def _singles(base: _Base) -> list[FactChange]:
    """Every single change the what-if search tries that keeps the facts possible (invariant 12)
    and the policy applicable."""
    plan, context, functions = base.plan, base.facts.context, base.facts.functions
    found = []
    for name in CONTEXT_FACTS:
        if not plan.readers.get(f"context.{name}") and name not in COMBINATION_FACTS:
            continue
        current = getattr(context, name)
        for value in context_candidates(plan, name, current):
            if context_change_contradicts(context, functions, name, value):
                continue
            changed = _made(base, context, {name: value})
            if engine_refuses(changed) or applicable_rules(plan, changed):
                continue
            found.append(FactChange(f"context.{name}", None, current, value))
    for function in functions:
        for path, attribute, value in function_candidates(function):
            if not plan.readers.get(path) or (
                attribute == "funding_source" and function_contradiction(context.pooled_fund, value)
            ):
                continue
            before = getattr(function, attribute)
            found.append(FactChange(path, function.function, before, value))
    return found


def _apply(base: _Base, changes: tuple[FactChange, ...]) -> Iterator[Outcome]:
    """The outcome of each function in turn with `changes` made, re-testing only the rules that
    read a changed fact (plus the combination, where it reads one)."""
    plan = base.plan
    in_context = {c.fact.split(".", 1)[1]: c.to_value for c in changes if c.function is None}
    context = _made(base, base.facts.context, in_context) if in_context else base.facts.context
    readers = plan.readers
    context_readers = [i for c in changes if c.function is None for i in readers.get(c.fact, ())]
    combination = any(name in COMBINATION_FACTS for name in in_context)
    for index, function in enumerate(base.facts.functions):
        own = [c for c in changes if c.function == function.function]
        if not own and not in_context:
            yield base.outcomes[index]
            continue
        changed: FunctionFacts = (
            _made(base, function, {c.fact.split(".", 1)[1]: c.to_value for c in own})
            if own
            else function
        )
        readers = (*context_readers, *(i for c in own for i in plan.readers.get(c.fact, ())))
        refired = refire(plan, base.fired[index], readers, context, changed)
        if refired == base.fired[index] and not combination:
            yield base.outcomes[index]
            continue
        key = (refired, function.function, *(getattr(context, f) for f in COMBINATION_FACTS))
        outcome = base.combined.get(key)
        if outcome is None:
            outcome = base.combined[key] = combine(plan, refired, context, function.function)
        yield outcome


def _effect(base: _Base, changes: tuple[FactChange, ...]) -> _Effect:
    """What `changes` do. A change that lowers something is no lever nor part of one: the
    search stops at the first function it lowers (its effect keeps no outcomes)."""
    closes, raises, lowers, lifts = set(), set(), False, False
    outcomes: list[Outcome] = []
    for index, (old, new) in enumerate(zip(base.outcomes, _apply(base, changes), strict=True)):
        outcomes.append(new)
        if new is old:
            continue
        has_gap = old.feasible != old.degree
        if has_gap and (
            set(old.barriers) - set(new.barriers)
            or set(old.held_from_above) - set(new.held_from_above)
        ):
            lifts = True
        for level in range(len(LEVEL_NAMES)):
            was, now = old.degree[level], new.degree[level]
            feasible_was, feasible_now = old.feasible[level], new.feasible[level]
            lowers = lowers or now < was or feasible_now < feasible_was
            if now > was:
                raises.add((index, level))
            if feasible_was < was and feasible_now == now >= was:
                closes.add((index, level))
        if lowers:
            return _Effect(changes, [], frozenset(), frozenset(), True, False)
    return _Effect(changes, outcomes, frozenset(closes), frozenset(raises), lowers, lifts)


def _pairable(first: FactChange, second: FactChange) -> bool:
    if first.fact == second.fact and first.function == second.function:
        return False  # two values of one fact
    return first.function is None or second.function is None or first.function == second.function


def _may_lift(base: _Base, change: FactChange) -> bool:
    """Whether a change un-fires a barrier rule of a function with a gap, or touches a fact the
    combination reads. Only such a change can close a gap or lift a barrier where one is (a gap
    is held by a barrier at its level or above), so the others are never combined."""
    plan, context = base.plan, base.facts.context
    name = change.fact.split(".", 1)[1]
    if change.function is None:
        if name in COMBINATION_FACTS:
            return True
        context = _made(base, context, {name: change.to_value})
    barriers = [i for i in plan.readers.get(change.fact, ()) if plan.kind[i] == "barrier"]
    for index, function in enumerate(base.facts.functions):
        outcome = base.outcomes[index]
        if outcome.feasible == outcome.degree or change.function not in (None, function.function):
            continue
        changed = (
            function if change.function is None else _made(base, function, {name: change.to_value})
        )
        fired = base.fired[index]
        if any(i in fired and not plan.rules[i].condition.test(context, changed) for i in barriers):
            return True
    return False


def _search(base: _Base, *, pairs: bool) -> list[_Effect]:
    singles = [_effect(base, (change,)) for change in _singles(base) if _may_lift(base, change)]
    found = [effect for effect in singles if effect.closes and not effect.lowers]
    if not pairs:
        return found
    helpful = [effect for effect in singles if effect.lifts_at_gap and not effect.lowers]
    for position, first in enumerate(helpful):
        for second in helpful[position + 1 :]:
            (one,), (other,) = first.changes, second.changes
            if not _pairable(one, other) or not _possible(base, (one, other)):
                continue
            effect = _effect(base, (one, other))
            if not effect.lowers and effect.closes - first.closes - second.closes:
                found.append(effect)
    return found


def _possible(base: _Base, changes: tuple[FactChange, ...]) -> bool:
    """Whether two changes together keep the facts possible and the policy applicable."""
    in_context = {c.fact.split(".", 1)[1]: c.to_value for c in changes if c.function is None}
    if len(in_context) < 2:
        return True  # each change alone was checked
    first, *rest = in_context.items()
    if context_change_contradicts(
        replace(base.facts.context, **dict(rest)), base.facts.functions, *first
    ):
        return False
    # Built only now: a Context that contradicts itself refuses to exist (invariant 12).
    context = _made(base, base.facts.context, in_context)
    return not (engine_refuses(context) or applicable_rules(base.plan, context))


def _lever(base: _Base, effect: _Effect, language: str) -> Lever:
    codes = [function.function for function in base.facts.functions]
    moves = []
    for index, (old, new) in enumerate(zip(base.outcomes, effect.outcomes, strict=True)):
        for level, name in enumerate(LEVEL_NAMES):
            degree = (old.degree[level], new.degree[level])
            feasible = (old.feasible[level], new.feasible[level])
            if degree[0] != degree[1] or feasible[0] != feasible[1]:
                moves.append(
                    CellMove(
                        codes[index],
                        name,
                        tuple(DEGREE_NAMES[d] for d in degree),
                        tuple(DEGREE_NAMES[d] for d in feasible),
                    )
                )
    barriers = lifted_barriers(base.plan, base.facts, base.outcomes, effect.outcomes, language)
    carriers: list[str] = []
    for barrier in barriers:
        carriers += [code for code in barrier.carriers if code not in carriers]
    return Lever(
        changes=effect.changes,
        condition=lever_condition(effect.changes, language),
        closes=tuple((codes[f], LEVEL_NAMES[level]) for f, level in sorted(effect.closes)),
        moves=tuple(moves),
        raises=tuple((codes[f], LEVEL_NAMES[level]) for f, level in sorted(effect.raises)),
        barriers=barriers,
        carriers=tuple(carriers),
    )


def levers(
    facts: Facts,
    rulebook: Rulebook,
    *,
    pairs: bool = True,
    language: str = "en",
    limit: int | None = None,
) -> tuple[Lever, ...]:
    """The levers of an assessment, most gaps closed first (then fewer cells raised, single
    changes before pairs, the search's order). Empty when the policy does not apply."""
    plan = plan_for(rulebook)
    if engine_refuses(facts.context) or applicable_rules(plan, facts.context):
        return ()
    base = _base(plan, facts)
    found = _search(base, pairs=pairs)
    ranked = sorted(
        enumerate(found),
        key=lambda item: (-len(item[1].closes), len(item[1].raises), len(item[1].changes), item[0]),
    )
    return tuple(_lever(base, effect, language) for _order, effect in ranked[:limit])


def gaps(outcomes: Any) -> frozenset[Cell]:
    """The (function, level) cells of a decision where the feasible degree is below the degree."""
    rank = {name: index for index, name in enumerate(DEGREE_NAMES)}
    return frozenset(
        (item.function, level)
        for item in outcomes.recommendations
        for level, answer in item.levels.items()
        if rank[answer.feasible_degree] < rank[answer.degree]
    )
