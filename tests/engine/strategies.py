"""Hypothesis strategies for engine facts, built from the vocabulary so they cover every value."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import strategies as st

from integration.engine import Context, Facts, FunctionFacts, context_contradictions
from integration.engine.vocabulary import (
    CONFLICT_LEVELS,
    DIMENSIONS,
    FORCE_POSTURES,
    FUNCTIONS,
    FUNDING_SOURCES,
    HOST_CONSENT,
    NATIONAL_CAPACITY,
    PHASES,
    PRESENCE_TYPES,
    REGIONAL_PARTNER,
    values,
)

FUNCTION_CODES = tuple(spec.code for spec in FUNCTIONS)


def _consistent(**facts) -> Context | None:
    """The context, or None where two facts contradict (invariant 12: the engine refuses it)."""
    return None if context_contradictions(facts) else Context(**facts)


def consistent_facts(context: Context, functions: tuple[FunctionFacts, ...]) -> Facts:
    """Facts whose functions are funded from a pooled fund only where the context has one."""
    if not context.pooled_fund:
        functions = tuple(
            replace(item, funding_source="assessed") if item.funding_source == "pooled" else item
            for item in functions
        )
    return Facts(context, functions)


drawdowns = st.one_of(st.none(), st.integers(min_value=0, max_value=36))
# The planner's own case for one integrated programme (P2): mostly none, as in most assessments.
necessities = st.sampled_from(("", "", "", "One chain of command is needed to vet the army."))


# The six context facts that came after the first release (domain.md §3).
ADDED_FLAGS = (
    "military_perceived_partial",
    "humanitarian_access_constrained",
    "common_strategic_framework",
    "joint_monitoring",
    "unct_surge_capacity",
    "national_actors_in_planning",
)


def added_facts() -> dict[str, st.SearchStrategy[bool]]:
    """The six added context facts, each drawn (contradictions are filtered out with the rest)."""
    return {name: st.booleans() for name in ADDED_FLAGS}


def contexts(*, applicable: bool | None = None) -> st.SearchStrategy[Context]:
    """Any valid context; `applicable=True` keeps to those integration policy covers (P16)."""
    presence = values(PRESENCE_TYPES)
    unct = st.booleans()
    if applicable:
        presence = tuple(p for p in presence if p != "observer_mission")
        unct = st.just(True)
    return st.builds(
        _consistent,
        presence_type=st.sampled_from(presence),
        unct_present=unct,
        phase=st.sampled_from(values(PHASES)),
        conflict_level=st.sampled_from(values(CONFLICT_LEVELS)),
        force_posture=st.sampled_from(values(FORCE_POSTURES)),
        host_consent=st.sampled_from(values(HOST_CONSENT)),
        national_capacity=st.sampled_from(values(NATIONAL_CAPACITY)),
        hc_triple_hatted=st.booleans(),
        pooled_fund=st.booleans(),
        donors_in_planning=st.booleans(),
        agency_service_agreements=st.booleans(),
        common_services=st.booleans(),
        regional_partner=st.sampled_from(values(REGIONAL_PARTNER)),
        drawdown_within_months=drawdowns,
        **added_facts(),
    ).filter(lambda context: context is not None)


def dimension_sets() -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(st.sampled_from(values(DIMENSIONS)), min_size=1, unique=True).map(tuple)


def function_facts(code: str | None = None) -> st.SearchStrategy[FunctionFacts]:
    """Facts for one function; dimensions are the catalogue default or any non-empty set."""
    return st.builds(
        FunctionFacts,
        function=st.just(code) if code else st.sampled_from(FUNCTION_CODES),
        dimensions=st.one_of(st.just(()), dimension_sets()),
        conflicting_imperatives=st.booleans(),
        unct_programmes=st.booleans(),
        funding_source=st.sampled_from(values(FUNDING_SOURCES)),
        necessity=necessities,
    )


def facts(*, applicable: bool | None = True, max_functions: int = 12) -> st.SearchStrategy[Facts]:
    functions = st.lists(
        function_facts(), min_size=1, max_size=max_functions, unique_by=lambda f: f.function
    ).map(tuple)
    return st.builds(consistent_facts, context=contexts(applicable=applicable), functions=functions)


# Where full programmatic integration can be called for (P2): a mission with a military
# component, past peacemaking and not near transition, and functions that link political,
# military and development components. The invariant 3 property draws from here half the time,
# so its interesting case (a full programmatic degree) comes up often instead of rarely.
LINKED_COMPONENTS = ("political", "military", "development")


def contexts_towards_full() -> st.SearchStrategy[Context]:
    return st.builds(
        _consistent,
        presence_type=st.sampled_from(("multidimensional_pko", "hybrid")),
        unct_present=st.just(True),
        phase=st.sampled_from(("peacekeeping", "stabilization", "peacebuilding")),
        conflict_level=st.sampled_from(values(CONFLICT_LEVELS)),
        force_posture=st.sampled_from(("none", "deterrent")),
        host_consent=st.sampled_from(values(HOST_CONSENT)),
        national_capacity=st.sampled_from(values(NATIONAL_CAPACITY)),
        hc_triple_hatted=st.booleans(),
        pooled_fund=st.booleans(),
        donors_in_planning=st.booleans(),
        agency_service_agreements=st.booleans(),
        common_services=st.booleans(),
        regional_partner=st.sampled_from(values(REGIONAL_PARTNER)),
        drawdown_within_months=st.one_of(st.none(), st.integers(min_value=13, max_value=36)),
        **added_facts(),
    ).filter(lambda context: context is not None)


def function_facts_towards_full() -> st.SearchStrategy[FunctionFacts]:
    extra = st.lists(st.sampled_from(values(DIMENSIONS)), max_size=2, unique=True)
    return st.builds(
        FunctionFacts,
        function=st.sampled_from(FUNCTION_CODES),
        dimensions=extra.map(lambda more: tuple(dict.fromkeys((*LINKED_COMPONENTS, *more)))),
        conflicting_imperatives=st.sampled_from((False, False, False, True)),
        unct_programmes=st.booleans(),
        funding_source=st.sampled_from(values(FUNDING_SOURCES)),
        necessity=necessities,
    )


def facts_towards_full(*, max_functions: int = 6) -> st.SearchStrategy[Facts]:
    functions = st.lists(
        function_facts_towards_full(),
        min_size=1,
        max_size=max_functions,
        unique_by=lambda f: f.function,
    ).map(tuple)
    return st.builds(consistent_facts, context=contexts_towards_full(), functions=functions)


def facts_with_every_fact(*, max_functions: int = 12) -> st.SearchStrategy[Facts]:
    """Applicable facts with every context fact drawn, the later flags included (as `facts`
    now draws them)."""
    return facts(max_functions=max_functions)
