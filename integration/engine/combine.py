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
 5. Couplings (invariants 1 and 2), applied in this order:
    a. P ≤ S (`engine.coupling.programmatic-le-strategic`, P1);
    b. A = full only with P = full, otherwise A ≤ partial
       (`engine.coupling.administrative-full-needs-programmatic-full`, P1);
    c. P = parallel ⇒ A ≤ partial, and A = partial only through common services, so without
       them A = parallel (`engine.coupling.parallel-keeps-common-services-only`, P9).
    The result is the `degree`: what the desired impact calls for.
 6. Barriers. Each fired `barrier` whose cap is below its level's degree is listed and lowers
    that level's feasible degree to at most its cap. A barrier whose cap is not below the degree
    does not stand in the way of anything and is neither listed nor traced.
 7. The couplings of step 5 run again on the feasible degrees (`engine.feasibility.…`), so a
    barrier at S or P also holds the levels that flow from it. Feasible ≤ degree by
    construction, and every gap traces back to a listed barrier at that level or above it.
 8. Lead. Of the fired `lead` rules, the highest `priority` wins; on a tie, the rule written
    first. Without any, the lead is `joint` (`engine.lead.default`).
 9. Notes. Fired `note` rules add their explanation to their levels' traces.

A level's trace lists, in the order applied: floors, necessity, the P2 step, caps, couplings,
listed barriers, feasibility couplings, the winning lead rule (on its levels, strategic by
default) and notes. Every level ends with at least one entry (invariant 7).

The result depends only on the set of fired rules and on `common_services` (step 5c). The
what-if search relies on that: a fact change that fires the same rules changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

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


def _couple(degrees: list[int], trace: list[list], common_services: bool, stage: str) -> None:
    if degrees[P] > degrees[S]:
        degrees[P] = degrees[S]
        trace[P].append((COUPLING_P_LE_S, stage))
    if degrees[A] == FULL and degrees[P] != FULL:
        degrees[A] = PARTIAL
        trace[A].append((COUPLING_A_FULL, stage))
    if degrees[P] == PARALLEL:
        ceiling = PARTIAL if common_services else PARALLEL
        if degrees[A] > ceiling:
            degrees[A] = ceiling
            trace[A].append((COUPLING_COMMON, stage))


def combine(plan: Plan, fired: frozenset[int], common_services: bool) -> Outcome:
    """Apply the algorithm of this module's docstring to one function's fired rules."""
    order = sorted(fired)
    kind, levels, rank = plan.kind, plan.levels, plan.rank
    degrees = [PARALLEL, PARALLEL, PARALLEL]
    trace: list[list] = [[], [], []]

    necessity = False
    for i in order:
        if kind[i] == "floor":
            for level in levels[i]:
                degrees[level] = max(degrees[level], rank[i])
                trace[level].append(i)
    for i in order:
        if kind[i] == "necessity":
            necessity = True
            degrees[P] = FULL
            trace[P].append(i)
    if degrees[P] == FULL and not necessity:
        degrees[P] = PARTIAL
        trace[P].append((P2_GUARD, "degree"))
    for i in order:
        if kind[i] == "cap":
            for level in levels[i]:
                degrees[level] = min(degrees[level], rank[i])
                trace[level].append(i)
    _couple(degrees, trace, common_services, "coupling")

    feasible = list(degrees)
    barriers = []
    for i in order:
        if kind[i] == "barrier":
            level = levels[i][0]
            if rank[i] < degrees[level]:
                barriers.append(i)
                feasible[level] = min(feasible[level], rank[i])
                trace[level].append(i)
    _couple(feasible, trace, common_services, "feasibility")

    lead = None
    for i in order:
        if kind[i] == "lead" and (lead is None or plan.priority[i] > plan.priority[lead]):
            lead = i
    if lead is not None:
        for level in levels[lead]:
            trace[level].append(lead)
    else:
        trace[S].append((DEFAULT_LEAD, "lead"))
    for i in order:
        if kind[i] == "note":
            for level in levels[i]:
                trace[level].append(i)
    for entries in trace:
        if not entries:
            entries.append((BASELINE, "degree"))

    return Outcome(
        degree=(degrees[S], degrees[P], degrees[A]),
        feasible=(feasible[S], feasible[P], feasible[A]),
        trace=tuple(tuple(entries) for entries in trace),
        barriers=tuple(barriers),
        lead=lead,
    )


def degrees_only(plan: Plan, fired: frozenset[int], common_services: bool) -> tuple[int, ...]:
    """Degrees then feasible degrees (six numbers), for the what-if search."""
    outcome = combine(plan, fired, common_services)
    return outcome.degree + outcome.feasible
