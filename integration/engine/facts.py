"""The facts the engine reasons about (shared/domain.md §3), and their one JSON form.

`Context` holds the 20 facts of one assessment, `FunctionFacts` the facts of one function inside
it. Both validate on construction, so a `Facts` value that exists is a valid one. `facts_from_dict`
accepts exactly the body of the API and names the offending field in every error.

`FACT_SPECS`, the one table of facts (fact_specs.py, re-exported here), describes every fact a
rule may test (`context.phase`, `function.dimensions` …): its kind, allowed values, English label
and default (docs/facts.md says what else a new fact needs).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import Any

# The table lives in fact_specs.py; its names are re-exported here, where callers look for them.
from .fact_specs import (
    CONTEXT_FACT_SPECS,
    CONTEXT_FACTS,
    DEFAULT_FUNDING_SOURCE,
    FACT_SPECS,
    FUNCTION_FACT_SPECS,
    FUNCTION_FACTS,
    FactSpec,
)
from .vocabulary import (
    DIMENSIONS,
    FUNCTIONS,
    FUNCTIONS_BY_CODE,
    FUNDING_SOURCES,
    values,
)


def _(text: str) -> str:
    """Mark a reason for translation without importing Django (xgettext looks for `_`)."""
    return text


_DIMENSION_ORDER = {value: rank for rank, value in enumerate(values(DIMENSIONS))}


class FactError(ValueError):
    """A fact is missing, unknown, of the wrong type or outside its allowed values."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message


class ContradictoryFacts(FactError):
    """Two facts each valid alone that no mission can have at once (invariant 12, domain.md §6).

    `path` is the first fact, `other` the second; the message names both, and so does the 400
    of the API (every path in `paths`) and the error the edit form puts on both fields.
    """

    def __init__(self, path: str, value: object, other: str, other_value: object, reason: str):
        super().__init__(path, f"{value!r} contradicts {other} {other_value!r}: {reason}")
        self.other = other
        self.paths = (path, other)
        self.values = (value, other_value)
        self.reason = reason


# Invariant 12: pairs of values that contradict each other; evaluating them would answer for a
# mission that cannot exist. (first fact, its value, second fact, its value, why).
CONTEXT_CONTRADICTIONS = (
    (
        "presence_type",
        "hybrid",
        "regional_partner",
        "none",
        _("a hybrid operation is run with a regional organisation"),
    ),
    (
        "conflict_level",
        "none",
        "force_posture",
        "open_combat",
        _("forces in open combat mean there is conflict"),
    ),
    (
        "unct_surge_capacity",
        True,
        "unct_present",
        False,
        _("surge capacity is the capacity of a UN Country Team in the country"),
    ),
)
POOLED_WITHOUT_FUND = _("a function cannot be funded from a pooled fund the mission does not have")


def context_contradictions(context: Any) -> list[ContradictoryFacts]:
    """The contradictions among the context facts of `context` (any object with the facts as
    attributes, or a dict of them): the engine, the edit form and the stored-assessment loader
    all ask this one place."""
    read = context.get if isinstance(context, dict) else partial(getattr, context)
    return [
        ContradictoryFacts(f"context.{first}", value, f"context.{second}", other, reason)
        for first, value, second, other, reason in CONTEXT_CONTRADICTIONS
        if read(first) == value and read(second) == other
    ]


def function_contradiction(
    pooled_fund: bool, funding_source: str, path: str = "function.funding_source"
) -> ContradictoryFacts | None:
    """A function funded `pooled` while the context has no pooled fund, or None."""
    if funding_source == "pooled" and not pooled_fund:
        return ContradictoryFacts(
            path, funding_source, "context.pooled_fund", pooled_fund, POOLED_WITHOUT_FUND
        )
    return None


def _allowed(choices: tuple[str, ...]) -> str:
    return ", ".join(choices)


def _check_choice(path: str, value: object, choices: tuple[str, ...]) -> None:
    if not isinstance(value, str) or value not in choices:
        raise FactError(path, f"{value!r} is not allowed; allowed values: {_allowed(choices)}")


def _check_bool(path: str, value: object) -> None:
    if type(value) is not bool:
        raise FactError(path, f"{value!r} is not allowed; allowed values: true, false")


def _check_months(path: str, value: object, maximum: int) -> None:
    if value is not None and (type(value) is not int or not 0 <= value <= maximum):
        name = path.rsplit(".", 1)[-1]
        raise FactError(
            path,
            f"{value!r} is not allowed for {name}; allowed values: null or a whole number of "
            f"months from 0 to {maximum}",
        )


def _normalise_dimensions(path: str, value: object) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, list | tuple | set | frozenset):
        raise FactError(path, f"must be a list of dimensions; allowed values: {_allowed(_DIMS)}")
    items = list(value)
    for item in items:
        _check_choice(path, item, _DIMS)
    if len(set(items)) != len(items):
        raise FactError(path, "lists a dimension twice")
    if not items:
        raise FactError(
            path, f"must name at least one dimension; allowed values: {_allowed(_DIMS)}"
        )
    return tuple(sorted(items, key=_DIMENSION_ORDER.__getitem__))


_DIMS = values(DIMENSIONS)
_FUNDING = values(FUNDING_SOURCES)


@dataclass(frozen=True, slots=True)
class Context:
    """The context of one assessment: one mission at one date (domain.md §3)."""

    presence_type: str
    unct_present: bool
    phase: str
    conflict_level: str
    force_posture: str
    host_consent: str
    national_capacity: str
    hc_triple_hatted: bool
    pooled_fund: bool
    donors_in_planning: bool
    agency_service_agreements: bool
    common_services: bool
    regional_partner: str
    drawdown_within_months: int | None = None
    military_perceived_partial: bool = False
    humanitarian_access_constrained: bool = False
    common_strategic_framework: bool = False
    joint_monitoring: bool = False
    unct_surge_capacity: bool = False
    national_actors_in_planning: bool = False

    def __post_init__(self) -> None:
        for spec in CONTEXT_FACT_SPECS:
            value = getattr(self, spec.name)
            if spec.kind == "bool":
                _check_bool(spec.path, value)
            elif spec.kind == "int_or_null":
                _check_months(spec.path, value, spec.maximum or 0)
            else:
                _check_choice(spec.path, value, spec.choices)
        for contradiction in context_contradictions(self):
            raise contradiction


@dataclass(frozen=True, slots=True)
class FunctionFacts:
    """The facts of one function inside an assessment. `desired_impact` is for people only.

    Empty `dimensions` mean the catalogue default; any other set is validated and stored in
    vocabulary order.
    """

    function: str
    dimensions: tuple[str, ...] = ()
    conflicting_imperatives: bool = False
    unct_programmes: bool = False
    funding_source: str = DEFAULT_FUNDING_SOURCE
    necessity: str = ""  # the planner's case that the impact needs one programme (P2)
    desired_impact: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        _check_choice("function.function", self.function, _FUNCTION_CODES)
        dims = self.dimensions or FUNCTIONS_BY_CODE[self.function].default_dimensions
        # Stored in vocabulary order so equal facts compare, hash and serialise identically.
        object.__setattr__(self, "dimensions", _normalise_dimensions("function.dimensions", dims))
        _check_bool("function.conflicting_imperatives", self.conflicting_imperatives)
        _check_bool("function.unct_programmes", self.unct_programmes)
        _check_choice("function.funding_source", self.funding_source, _FUNDING)
        if not isinstance(self.desired_impact, str):
            raise FactError("function.desired_impact", "must be text")
        if not isinstance(self.necessity, str):
            raise FactError("function.necessity", "must be text")
        if len(self.necessity) > _NECESSITY_MAX_LENGTH:
            raise FactError(
                "function.necessity", f"must be at most {_NECESSITY_MAX_LENGTH} characters"
            )
        # Only a stated case counts: blank text is no case (the rules test `is_blank`).
        object.__setattr__(self, "necessity", " ".join(self.necessity.split()))


_FUNCTION_CODES = tuple(spec.code for spec in FUNCTIONS)
_NECESSITY_MAX_LENGTH = FACT_SPECS["function.necessity"].maximum or 0


@dataclass(frozen=True, slots=True)
class Facts:
    """Everything one evaluation needs: the context and the functions assessed in it."""

    context: Context
    functions: tuple[FunctionFacts, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "functions", tuple(self.functions))
        seen: set[str] = set()
        for index, item in enumerate(self.functions):
            if item.function in seen:
                raise FactError(
                    f"functions[{index}].function", f"duplicate function {item.function!r}"
                )
            seen.add(item.function)
            # invariant 12 wherever facts are built, not only from the API body: a function
            # funded from a pooled fund the context does not have is never evaluated
            contradiction = function_contradiction(
                self.context.pooled_fund, item.funding_source, f"functions[{index}].funding_source"
            )
            if contradiction is not None:
                raise contradiction


def _reject_unknown(data: dict[str, Any], allowed: tuple[str, ...], prefix: str) -> None:
    for key in data:
        if key not in allowed:
            path = f"{prefix}{key}" if isinstance(key, str) else prefix.rstrip(".")
            raise FactError(path, f"unknown field; allowed fields: {_allowed(allowed)}")


_FUNCTION_KEYS = ("function", *FUNCTION_FACTS, "desired_impact")


def _context_from_dict(data: object) -> Context:
    if not isinstance(data, dict):
        raise FactError("context", "must be an object")
    _reject_unknown(data, CONTEXT_FACTS, "context.")
    for spec in CONTEXT_FACT_SPECS:
        if spec.name not in data and not spec.optional:
            if spec.kind == "bool":
                allowed = "true, false"
            elif spec.kind == "int_or_null":
                allowed = "null or a whole number ≥ 0"
            else:
                allowed = _allowed(spec.choices)
            raise FactError(spec.path, f"is required; allowed values: {allowed}")
    return Context(**data)


def _function_from_dict(data: object, index: int) -> FunctionFacts:
    prefix = f"functions[{index}]"
    if not isinstance(data, dict):
        raise FactError(prefix, "must be an object")
    _reject_unknown(data, _FUNCTION_KEYS, f"{prefix}.")
    if "function" not in data:
        raise FactError(
            f"{prefix}.function", f"is required; allowed values: {_allowed(_FUNCTION_CODES)}"
        )
    try:
        _check_choice("function", data["function"], _FUNCTION_CODES)
        if "dimensions" in data:
            _normalise_dimensions("dimensions", data["dimensions"])
        return FunctionFacts(**data)
    except FactError as error:
        name = error.path.rsplit(".", 1)[-1]
        raise FactError(f"{prefix}.{name}", error.message) from None


def facts_from_dict(data: object) -> Facts:
    """Build `Facts` from the API body; omitted functions and per-function facts take defaults.

    `functions` omitted means all 12 catalogue functions with their default dimensions; inside a
    function, omitted `dimensions` take the catalogue default, omitted booleans are false and an
    omitted `funding_source` is `DEFAULT_FUNDING_SOURCE`.
    """
    if not isinstance(data, dict):
        raise FactError("body", "must be an object with 'context' and optionally 'functions'")
    _reject_unknown(data, ("context", "functions"), "")
    if "context" not in data:
        raise FactError("context", "is required")
    context = _context_from_dict(data["context"])
    if "functions" not in data:
        return Facts(context, tuple(FunctionFacts(spec.code) for spec in FUNCTIONS))
    items = data["functions"]
    if not isinstance(items, list):
        raise FactError("functions", "must be a list")
    if not items:
        raise FactError("functions", "must list at least one function (omit it to assess all 12)")
    functions = tuple(_function_from_dict(item, i) for i, item in enumerate(items))
    for index, item in enumerate(functions):
        contradiction = function_contradiction(
            context.pooled_fund, item.funding_source, f"functions[{index}].funding_source"
        )
        if contradiction is not None:
            raise contradiction  # invariant 12, on every path that reads facts from data
    return Facts(context, functions)


def facts_to_dict(facts: Facts) -> dict[str, Any]:
    """The canonical dict form: every fact spelled out, dimensions in vocabulary order.

    An optional fact (one added after the first release) appears only where it differs from its
    default, so a snapshot taken before it reads, and serialises, as it always did.
    """
    context = _present(facts.context, CONTEXT_FACT_SPECS)
    functions = [
        {
            "function": item.function,
            **_present(item, FUNCTION_FACT_SPECS),
            "desired_impact": item.desired_impact,
        }
        for item in facts.functions
    ]
    return {"context": context, "functions": functions}


def _present(facts: Any, specs: tuple[FactSpec, ...]) -> dict[str, Any]:
    """{name: value} of each fact of `specs`, leaving out optional facts at their default."""
    row = {}
    for spec in specs:
        value = getattr(facts, spec.name)
        if not spec.optional or value != spec.default:
            row[spec.name] = list(value) if spec.kind == "set" else value
    return row
