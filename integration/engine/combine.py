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

The result depends only on the set of fired rules, the function and the context facts in
COMBINATION_FACTS. The what-if search relies on that: a change of any other fact that fires the
same rules changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .facts import Context, FunctionFacts
from .rulebook import Rule, Rulebook
from .vocabulary import FUNCTIONS_BY_CODE

PARALLEL, PARTIAL, FULL = 0, 1, 2
S, P, A = 0, 1, 2
LEVEL_NAMES = ("strategic", "programmatic", "administrative")
DEGREE_NAMES = ("parallel", "partial", "full")
_LEVEL_INDEX = {name: index for index, name in enumerate(LEVEL_NAMES)}
_DEGREE_INDEX = {name: index for index, name in enumerate(DEGREE_NAMES)}

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
GUARDS = frozenset({GUARD_HUMANITARIAN, GUARD_OPEN_COMBAT, GUARD_REVERSIBILITY})
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


@dataclass(frozen=True, slots=True)
class Plan:
    """A rulebook indexed for evaluation: who reads what, and each effect as small integers."""

    rulebook: Rulebook
    rules: tuple[Rule, ...]
    applicability: tuple[int, ...]
    context_rules: tuple[int, ...]
    function_rules: dict[str, tuple[int, ...]]  # by function code
    readers: dict[str, tuple[int, ...]]
    kind: tuple[str, ...]
    levels: tuple[tuple[int, ...], ...]
    rank: tuple[int, ...]
    priority: tuple[int, ...]
    # The rendered texts of this rulebook's rules, by rule index, language and the facts the
    # rule's templates name (evaluate.py fills it; records are immutable, so sharing is safe).
    texts: dict[tuple, Any] = field(default_factory=dict, compare=False, repr=False)


_plans: dict[str, Plan] = {}


def plan_for(rulebook: Rulebook) -> Plan:
    """The plan of a rulebook, built once per rulebook content (keyed by its checksum)."""
    plan = _plans.get(rulebook.checksum)
    if plan is not None and plan.rulebook is rulebook:
        return plan
    rules = rulebook.rules
    active = [i for i, rule in enumerate(rules) if rule.effect.type != "not_applicable"]
    readers: dict[str, list[int]] = {}
    for i in active:
        for path in rules[i].condition.facts:
            readers.setdefault(path, []).append(i)
    plan = Plan(
        rulebook=rulebook,
        rules=rules,
        applicability=tuple(
            i for i, rule in enumerate(rules) if rule.effect.type == "not_applicable"
        ),
        context_rules=tuple(i for i in active if not rules[i].condition.reads_function),
        function_rules={
            code: tuple(
                i
                for i in active
                if rules[i].condition.reads_function
                and (rules[i].condition.codes is None or code in rules[i].condition.codes)
            )
            for code in FUNCTIONS_BY_CODE
        },
        readers={path: tuple(indices) for path, indices in readers.items()},
        kind=tuple(rule.effect.type for rule in rules),
        levels=tuple(tuple(_LEVEL_INDEX[lv] for lv in rule.effect.levels) for rule in rules),
        rank=tuple(_DEGREE_INDEX.get(rule.effect.degree, FULL) for rule in rules),
        priority=tuple(rule.effect.priority for rule in rules),
    )
    if len(_plans) > 32:  # a handful of rulebook versions at most; never grow without bound
        _plans.clear()
    _plans[rulebook.checksum] = plan
    return plan


def applicable_rules(plan: Plan, context: Context) -> tuple[int, ...]:
    """The `not_applicable` rules that fire for this context (empty: integration applies)."""
    return tuple(i for i in plan.applicability if plan.rules[i].condition.test(context, None))


def context_fired(plan: Plan, context: Context) -> frozenset[int]:
    """The rules that read only context facts and hold; shared by every function."""
    rules = plan.rules
    return frozenset(i for i in plan.context_rules if rules[i].condition.test(context, None))


def fired_rules(
    plan: Plan, context: Context, function: FunctionFacts, from_context: frozenset[int]
) -> frozenset[int]:
    """All rules that fire for one function."""
    rules = plan.rules
    return from_context.union(
        i
        for i in plan.function_rules[function.function]
        if rules[i].condition.test(context, function)
    )


Entry = int | tuple[str, str]


@dataclass(frozen=True, slots=True)
class Outcome:
    """The combined result for one function, before any text is rendered.

    A trace entry is a rule index, or a tuple `(engine step id, stage)` where stage is
    "coupling" or "feasibility".
    """

    degree: tuple[int, int, int]
    feasible: tuple[int, int, int]
    trace: tuple[tuple[int | tuple[str, str], ...], ...]
    barriers: tuple[int, ...]
    lead: int | None


Note = Callable[[int, tuple[str, str], int], None]


def _couple(degrees: list[int], note: Note, common_services: bool, stage: str) -> None:
    """Invariants 1 and 2 on one set of degrees; `note(level, entry, new degree)` traces."""
    if degrees[P] > degrees[S]:
        degrees[P] = degrees[S]
        note(P, (COUPLING_P_LE_S, stage), degrees[P])
    if degrees[A] == FULL and degrees[P] != FULL:
        degrees[A] = PARTIAL
        note(A, (COUPLING_A_FULL, stage), PARTIAL)
    if degrees[P] == PARALLEL:
        ceiling = PARTIAL if common_services else PARALLEL
        if degrees[A] > ceiling:
            degrees[A] = ceiling
            note(A, (COUPLING_COMMON, stage), ceiling)


def combine(plan: Plan, fired: frozenset[int], context: Context, code: str) -> Outcome:
    """Apply the algorithm of this module's docstring to one function's fired rules."""
    kind, levels, rank, priority = plan.kind, plan.levels, plan.rank, plan.priority
    floors: list[int] = []
    necessities: list[int] = []
    caps: list[int] = []
    barriers: list[int] = []
    notes: list[int] = []
    lead = None
    for i in sorted(fired):
        effect = kind[i]
        if effect == "floor":
            floors.append(i)
        elif effect == "cap":
            caps.append(i)
        elif effect == "barrier":
            barriers.append(i)
        elif effect == "necessity":
            necessities.append(i)
        elif effect == "lead":
            if lead is None or priority[i] > priority[lead]:
                lead = i
        elif effect == "note":
            notes.append(i)

    # What raised each level and what held it down, with the degree each asked for: the trace
    # puts first whichever decided the level's degree.
    degrees = [PARALLEL, PARALLEL, PARALLEL]
    raised: list[list[tuple[Entry, int]]] = [[], [], []]
    held: list[list[tuple[Entry, int]]] = [[], [], []]
    for i in floors:
        for level in levels[i]:
            degrees[level] = max(degrees[level], rank[i])
            raised[level].append((i, rank[i]))
    for i in necessities:
        degrees[P] = FULL
        raised[P].append((i, FULL))
    top = tuple(degrees)  # where the floors and necessity put each level
    if degrees[P] == FULL and not necessities:
        degrees[P] = PARTIAL
        held[P].append(((P2_GUARD, "degree"), PARTIAL))
    for i in caps:
        for level in levels[i]:
            degrees[level] = min(degrees[level], rank[i])
            held[level].append((i, rank[i]))
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
    _couple(
        degrees,
        lambda level, entry, degree: held[level].append((entry, degree)),
        context.common_services,
        "coupling",
    )

    trace: list[list[Entry]] = []
    for level, degree in enumerate(degrees):
        if not held[level]:
            trace.append([entry for entry, _asked in raised[level]])
            continue
        # The level ends where the highest floor put it, or where the lowest hold brought it.
        by_floor = top[level] == degree
        first: list[Entry] = []
        rest: list[Entry] = []
        for entry, asked in raised[level]:
            (first if by_floor and asked == degree else rest).append(entry)
        for entry, asked in held[level]:
            (first if not by_floor and asked == degree else rest).append(entry)
        trace.append(first + rest)

    feasible = list(degrees)
    listed = []
    for i in barriers:
        level = levels[i][0]
        if rank[i] < degrees[level]:
            listed.append(i)
            feasible[level] = min(feasible[level], rank[i])
            trace[level].append(i)
    _couple(
        feasible,
        lambda level, entry, _degree: trace[level].append(entry),
        context.common_services,
        "feasibility",
    )

    if lead is not None:
        for level in levels[lead]:
            trace[level].append(lead)
    else:
        trace[S].append((DEFAULT_LEAD, "lead"))
    for i in notes:
        for level in levels[i]:
            trace[level].append(i)
    for entries in trace:
        if not entries:
            entries.append((BASELINE, "degree"))

    return Outcome(
        degree=(degrees[S], degrees[P], degrees[A]),
        feasible=(feasible[S], feasible[P], feasible[A]),
        trace=tuple(tuple(entries) for entries in trace),
        barriers=tuple(listed),
        lead=lead,
    )
