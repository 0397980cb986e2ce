"""How fired rules combine into a decision: the one place where this is decided.

Rules only say what they want (a floor, a cap, a barrier …); this module turns the set of rules
that fired for one function into degrees, feasible degrees, barriers, a lead and a trace. The
couplings between levels (domain.md §6, invariants 1 and 2) live here and nowhere else, so no
rule has to, or may, restate them.

For one function, with levels strategic (S), programmatic (P) and administrative (A) and the
order parallel < partial < full:

 1. Baseline. Every level starts at `parallel`: integration needs a reason (P5, form follows
    function). A level that no rule touches keeps an `engine.baseline` entry in its trace.
 2. Floors. Each fired `floor` raises its levels to at least its degree (the highest floor wins).
 3. Necessity (P2). A fired `necessity` rule raises P to `full`. It is the only way P reaches
    `full`: if a floor asked for full P without one, P is held at `partial`
    (`engine.p2.full-needs-necessity`).
 4. Caps. Each fired `cap` lowers its levels to at most its degree. Caps are prohibitions, so they
    win over floors and necessity (the lowest cap wins).
 5. Guards: the invariants no rulebook may break (domain.md §6, 4 and 5), held here whatever the
    rules say. humanitarian_coordination is parallel at P and A (and at S under open combat)
    (`engine.p7.…`, P7); no full P in transition or with a drawdown within 12 months
    (`engine.p11.no-full-programmatic-near-transition`, P11). A rulebook must keep them by its
    own rules (conformance.py refuses one that does not), so a guard shows in a trace only where
    a rulebook left it to the engine. Invariant 6 (P16) is guarded in evaluate.py.
 6. Couplings (invariants 1 and 2), applied in this order:
    a. P ≤ S (`engine.coupling.programmatic-le-strategic`, P1);
    b. A = full only with P = full, otherwise A ≤ partial
       (`engine.coupling.administrative-full-needs-programmatic-full`, P1);
    c. P = parallel ⇒ A ≤ partial, and A = partial only through common services, so without
       them A = parallel (`engine.coupling.parallel-keeps-common-services-only`, P9).
    The result is the `degree`: what the desired impact calls for.
 7. Barriers. Each fired `barrier` whose cap is below its level's degree is listed and lowers
    that level's feasible degree to at most its cap. A barrier whose cap is not below the degree
    does not stand in the way of anything and is neither listed nor traced.
 8. The couplings of step 6 run again on the feasible degrees (`engine.feasibility.…`), so a
    barrier at S or P also holds the levels that flow from it. Feasible ≤ degree by
    construction, and every gap traces back to a listed barrier at that level or above it.
 9. Lead. Of the fired `lead` rules, the highest `priority` wins; on a tie, the rule written
    first. Without any, the lead is `joint` (`engine.lead.default`).
10. Notes. Fired `note` rules add their explanation to their levels' traces.

A level's trace reads from the decision to its circumstances: first the entries that decided
the degree (the highest floors or the necessity rule where nothing held the level down;
otherwise the caps, guards or couplings that brought it to where it ends), then the other
floors, caps and couplings in the order applied, then the listed barriers and feasibility
couplings, the winning lead rule (on its levels, strategic by default) and notes. Every level
ends with at least one entry (invariant 7).

`combine` runs these as named stages, each with a typed result: `effects_by_kind` (the fired
rules by what they do, and the lead of step 9) → `degrees_called` (steps 1 to 6: `Called`) →
`feasibility` (steps 7 and 8: `Feasibility`) → `level_traces` (the order above).

The result depends only on the set of fired rules, the function and the context facts in
COMBINATION_FACTS. The what-if search relies on that: a change of any other fact that fires the
same rules changes nothing.
"""

from __future__ import annotations

from typing import NamedTuple

from .facts import Context
from .plan import FULL, PARALLEL, PARTIAL, A, P, Plan, S

BASELINE = "engine.baseline"
P2_GUARD = "engine.p2.full-needs-necessity"
DEFAULT_LEAD = "engine.lead.default"
COUPLING_P_LE_S = "programmatic-le-strategic"
COUPLING_A_FULL = "administrative-full-needs-programmatic-full"
COUPLING_COMMON = "parallel-keeps-common-services-only"
# The invariants no rulebook may break, kept by the engine whatever the rules say (step 5). A
# rulebook must keep them by its own rules (conformance.py refuses one that does not); these
# guards are the backstop, so they appear in a trace only where a rule left them to the engine.
GUARD_HUMANITARIAN = "engine.p7.humanitarian-coordination-parallel"
GUARD_OPEN_COMBAT = "engine.p7.open-combat-humanitarian-coordination-parallel"
GUARD_REVERSIBILITY = "engine.p11.no-full-programmatic-near-transition"
HUMANITARIAN_COORDINATION = "humanitarian_coordination"
REVERSIBILITY_MONTHS = 12
# The context facts the combination reads besides the fired rules (couplings and guards): the
# what-if search must try changes of these even where no rule reads them.
COMBINATION_FACTS = ("common_services", "force_posture", "phase", "drawdown_within_months")
COMBINATION_THRESHOLDS = {
    "drawdown_within_months": (REVERSIBILITY_MONTHS, REVERSIBILITY_MONTHS + 1)
}


def near_transition(context: Context) -> bool:
    """Transition, or a drawdown within 12 months: full integration would be costly to undo."""
    months = context.drawdown_within_months
    return context.phase == "transition" or (months is not None and months <= REVERSIBILITY_MONTHS)


def engine_refuses(context: Context) -> bool:
    """Integration policy never applies to observer missions nor without a UNCT (P16)."""
    return context.presence_type == "observer_mission" or not context.unct_present


Entry = int | tuple[str, str]


class Outcome(NamedTuple):
    """The combined result for one function, before any text is rendered.

    A trace entry is a rule index, or a tuple `(engine step id, stage)` where stage is
    "coupling" or "feasibility". A named tuple, as the stages' results are: the what-if search
    builds one per candidate change, and a tuple is built several times faster than a frozen
    dataclass.
    """

    degree: tuple[int, int, int]
    feasible: tuple[int, int, int]
    trace: tuple[tuple[int | tuple[str, str], ...], ...]
    barriers: tuple[int, ...]
    lead: int | None
    # By level, the trace positions of entries that fired but did not decide (invariant 13),
    # each with the entry that decided in their place.
    set_aside: tuple[tuple[tuple[int, Entry], ...], ...] = ((), (), ())
    held_from_above: tuple[tuple[int, str], ...] = ()  # step 8b: (level, category)


_BASELINE_TRACE: tuple[Entry, ...] = ((BASELINE, "degree"),)
Asked = tuple[Entry, int]  # a trace entry and the degree it asked its level for


def _couple(
    degrees: list[int], common_services: bool, stage: str
) -> tuple[tuple[int, tuple[str, str], int], ...]:
    """Invariants 1 and 2 on one set of degrees, lowered in place; returns what moved, as
    (level, trace entry, new degree), in the order applied."""
    moved: tuple[tuple[int, tuple[str, str], int], ...] = ()
    if degrees[P] > degrees[S]:
        degrees[P] = degrees[S]
        moved += ((P, (COUPLING_P_LE_S, stage), degrees[P]),)
    if degrees[A] == FULL and degrees[P] != FULL:
        degrees[A] = PARTIAL
        moved += ((A, (COUPLING_A_FULL, stage), PARTIAL),)
    if degrees[P] == PARALLEL:
        ceiling = PARTIAL if common_services else PARALLEL
        if degrees[A] > ceiling:
            degrees[A] = ceiling
            moved += ((A, (COUPLING_COMMON, stage), ceiling),)
    return moved


class Effects(NamedTuple):
    """One function's fired rules by the kind of their effect, each list in rule order."""

    floors: list[int]
    necessities: list[int]
    caps: list[int]
    barriers: list[int]
    notes: list[int]
    lead: int | None  # the winning lead rule (step 9), None for the default
    leads: list[int]  # every fired lead rule, in rule order


class Called(NamedTuple):
    """Steps 1 to 6: the degree each level is called for, and by level what moved it there."""

    degree: tuple[int, int, int]
    top: tuple[int, int, int]  # where the floors and necessity alone put each level
    raised: list[list[Asked]]  # the floors and necessity, in the order applied
    held: list[list[Asked]]  # the guards, caps and couplings that lowered it, in order


class Feasibility(NamedTuple):
    """Steps 7 and 8: the feasible degrees, the barriers listed, and by level their trace."""

    feasible: tuple[int, int, int]
    barriers: tuple[int, ...]
    trace: list[list[Entry]]  # the barriers, then the feasibility couplings
    # Step 8b: (level, category) of each level held down from above with no barrier of its own.
    held_from_above: tuple[tuple[int, str], ...] = ()


def effects_by_kind(plan: Plan, fired: frozenset[int]) -> Effects:
    """The fired rules sorted by what they do; of the lead rules, the highest priority wins and
    on a tie the rule written first (step 9)."""
    slot = plan.slot
    by_slot: tuple[list[int], ...] = ([], [], [], [], [], [])
    for i in sorted(fired):
        by_slot[slot[i]].append(i)
    floors, necessities, caps, barriers, notes, leads = by_slot
    lead = None
    if leads:
        priority = plan.priority
        for i in leads:
            if lead is None or priority[i] > priority[lead]:
                lead = i
    return Effects(floors, necessities, caps, barriers, notes, lead, leads)


def _guard(degrees: list[int], held: list[list[Asked]], context: Context, code: str) -> None:
    """Step 5: the invariants no rulebook may break (4 and 5), held whatever the rules say."""
    if code == HUMANITARIAN_COORDINATION:
        for level in (P, A):
            if degrees[level] > PARALLEL:
                degrees[level] = PARALLEL
                held[level].append(((GUARD_HUMANITARIAN, "degree"), PARALLEL))
        if context.force_posture == "open_combat" and degrees[S] > PARALLEL:
            degrees[S] = PARALLEL
            held[S].append(((GUARD_OPEN_COMBAT, "degree"), PARALLEL))
    if degrees[P] == FULL and near_transition(context):
        degrees[P] = PARTIAL
        held[P].append(((GUARD_REVERSIBILITY, "degree"), PARTIAL))


def degrees_called(plan: Plan, effects: Effects, context: Context, code: str) -> Called:
    """Steps 1 to 6: baseline, floors, necessity, caps, guards and couplings."""
    levels, rank = plan.levels, plan.rank
    degrees = [PARALLEL, PARALLEL, PARALLEL]
    raised: list[list[Asked]] = [[], [], []]
    held: list[list[Asked]] = [[], [], []]
    for i in effects.floors:
        asked = rank[i]
        for level in levels[i]:
            if asked > degrees[level]:
                degrees[level] = asked
            raised[level].append((i, asked))
    for i in effects.necessities:
        degrees[P] = FULL
        raised[P].append((i, FULL))
    top = (degrees[S], degrees[P], degrees[A])
    if degrees[P] == FULL and not effects.necessities:
        degrees[P] = PARTIAL
        held[P].append(((P2_GUARD, "degree"), PARTIAL))
    for i in effects.caps:
        asked = rank[i]
        for level in levels[i]:
            if asked < degrees[level]:
                degrees[level] = asked
            held[level].append((i, asked))
    if code == HUMANITARIAN_COORDINATION or degrees[P] == FULL:  # else no guard can act
        _guard(degrees, held, context, code)
    for level, entry, degree in _couple(degrees, context.common_services, "coupling"):
        held[level].append((entry, degree))
    return Called((degrees[S], degrees[P], degrees[A]), top, raised, held)


def _degree_trace(called: Called, level: int) -> tuple[list[Entry], int]:
    """The entries that shaped one level's degree, those that decided it first, and how many
    decided: the floors (or necessity) that put the level where it ends if nothing held it
    down, else the holds that brought it there. The others fired but were set aside."""
    degree = called.degree[level]
    by_floor = called.top[level] == degree
    first: list[Entry] = []
    rest: list[Entry] = []
    for entry, asked in called.raised[level]:
        (first if by_floor and asked == degree else rest).append(entry)
    for entry, asked in called.held[level]:
        (first if not by_floor and asked == degree else rest).append(entry)
    if not first:
        # No floor raised the level: a hold that asked for where it stays keeps it there,
        # else it is the baseline's (integration needs a reason).
        kept = [entry for entry, asked in called.held[level] if asked == degree]
        first = kept[:1] or [(BASELINE, "degree")]
        rest = [entry for entry in rest if entry not in first]
    return first + rest, len(first)


def _bound_from_above(feasible: list[int], level: int, common_services: bool) -> int:
    """The most the couplings let `level` reach, given the feasible degree of the level above."""
    if level == P:
        return feasible[S]
    if feasible[P] == PARALLEL:
        return PARTIAL if common_services else PARALLEL
    return FULL if feasible[P] == FULL else PARTIAL


def feasibility(
    plan: Plan, barriers: list[int], called: Called, context: Context, *, own_barriers: bool
) -> Feasibility:
    """Steps 7 and 8: the barriers below their level's degree, then the couplings again, and
    (8b, where the rulebook asks for it) a barrier of its own at each level a coupling held
    down, so a barrier at that very level explains every gap (invariant 11)."""
    levels, rank = plan.levels, plan.rank
    degree = called.degree
    feasible = list(degree)
    listed = []
    trace: list[list[Entry]] = [[], [], []]
    for i in barriers:
        level = levels[i][0]
        cap = rank[i]
        if cap < degree[level]:
            listed.append(i)
            if cap < feasible[level]:
                feasible[level] = cap
            trace[level].append(i)
    for level, entry, _degree in _couple(feasible, context.common_services, "feasibility"):
        trace[level].append(entry)
    held: tuple[tuple[int, str], ...] = ()
    if own_barriers:
        # 8b: a level the level above holds below its degree gets a barrier of its own, whether
        # or not a rule's barrier stands there too, so an enabler added at this level never
        # makes one appear (invariant 10).
        # One per category of the barriers above, so removing one of them (an enabler added)
        # removes its echo here and never changes another's.
        categories: list[list[str]] = [
            list(dict.fromkeys(plan.rules[i].effect.category for i in listed if levels[i][0] == lv))
            for lv in (S, P, A)
        ]
        for level in (P, A):
            if _bound_from_above(feasible, level, context.common_services) < degree[level]:
                above = categories[level - 1]
                held += tuple((level, category) for category in above)
                categories[level] = list(dict.fromkeys(categories[level] + above))
    return Feasibility((feasible[S], feasible[P], feasible[A]), tuple(listed), trace, held)


def level_traces(
    plan: Plan, effects: Effects, called: Called, feasible: Feasibility
) -> tuple[tuple[tuple[Entry, ...], ...], tuple[tuple[tuple[int, Entry], ...], ...]]:
    """Each level's trace in the order of this module's docstring, never empty, and by level
    the entries set aside with the entry that decided in their place."""
    levels = plan.levels
    traces: list[list[Entry]] = []
    set_aside: list[list[tuple[int, Entry]]] = []
    for level in (S, P, A):
        entries, decided = _degree_trace(called, level)
        aside = [(position, entries[0]) for position in range(decided, len(entries))]
        traces.append(entries + feasible.trace[level])
        set_aside.append(aside)
    lead = effects.lead
    if lead is not None:
        for level in levels[lead]:
            traces[level].append(lead)
        # The lead rules that lost stay in the trace, marked as set aside for the winner.
        for i in effects.leads:
            if i != lead:
                for level in levels[i]:
                    set_aside[level].append((len(traces[level]), lead))
                    traces[level].append(i)
    else:
        traces[S].append((DEFAULT_LEAD, "lead"))
    for i in effects.notes:
        for level in levels[i]:
            traces[level].append(i)
    return (
        tuple(tuple(trace) if trace else _BASELINE_TRACE for trace in traces),
        tuple(tuple(aside) for aside in set_aside),
    )


def combine(plan: Plan, fired: frozenset[int], context: Context, code: str) -> Outcome:
    """Apply the algorithm of this module's docstring to one function's fired rules."""
    effects = effects_by_kind(plan, fired)
    called = degrees_called(plan, effects, context, code)
    feasible = feasibility(
        plan, effects.barriers, called, context, own_barriers=plan.rulebook.own_level_barriers
    )
    trace, set_aside = level_traces(plan, effects, called, feasible)
    return Outcome(
        degree=called.degree,
        feasible=feasible.feasible,
        trace=trace,
        barriers=feasible.barriers,
        lead=effects.lead,
        set_aside=set_aside,
        held_from_above=feasible.held_from_above,
    )
