"""The condition language of rules, compiled to closures at load time (no eval, no exec).

A condition is a YAML mapping of exactly one of these forms:

    {all: [cond, ...]}        every condition holds (an empty list always holds)
    {any: [cond, ...]}        at least one holds
    {not: cond}               the condition does not hold
    {fact: PATH, OP: VALUE}   a test on one fact (PATH is a key of facts.FACT_SPECS)

Operators by kind of fact:
    enum          eq, ne (a value); in, not_in (a list of values)
    bool          eq, ne (true or false)
    int_or_null   eq, ne (a number or null); lt, lte, gt, gte (a number; false when the fact is
                  null); is_null (true or false)
    set           includes_all, includes_any, includes_none, subset_of (a list of values)

Every value is checked against the fact's vocabulary when the rulebook loads, and conditions
nest at most MAX_DEPTH deep (deeper is a mistake, and would exhaust the interpreter's stack).
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from .facts import FACT_SPECS, Context, FactSpec, FunctionFacts

Predicate = Callable[[Context, FunctionFacts | None], bool]

OPERATORS = {
    "enum": ("eq", "ne", "in", "not_in"),
    "bool": ("eq", "ne"),
    "int_or_null": ("eq", "ne", "lt", "lte", "gt", "gte", "is_null"),
    "set": ("includes_all", "includes_any", "includes_none", "subset_of"),
    "text": ("is_blank",),
}
_ALL_OPERATORS = tuple(dict.fromkeys(op for ops in OPERATORS.values() for op in ops))
_COMPARISONS = {"lt": operator.lt, "lte": operator.le, "gt": operator.gt, "gte": operator.ge}
MAX_DEPTH = 16


class ConditionError(ValueError):
    """A condition is malformed; the rulebook loader adds the rule id."""


@dataclass(frozen=True, slots=True)
class Compiled:
    """A compiled condition: the predicate and the fact paths it reads."""

    test: Predicate
    facts: frozenset[str]
    # The function codes for which the condition can hold (None: any). Lets the engine skip, for
    # each function, the rules written for other functions.
    codes: frozenset[str] | None = None

    @property
    def reads_function(self) -> bool:
        return any(path.startswith("function.") for path in self.facts)


def _getter(path: str) -> Callable[[Context, FunctionFacts | None], Any]:
    scope, name = path.split(".", 1)
    if scope == "context":
        read_context = attrgetter(name)  # a C-level getter: conditions run for every what-if change
        return lambda ctx, _fn: read_context(ctx)
    read_function = attrgetter("function" if name == "code" else name)
    return lambda _ctx, fn: read_function(fn)


def _check_value(spec: FactSpec, op: str, value: object) -> None:
    if spec.kind == "bool":
        if type(value) is not bool:
            raise ConditionError(f'value {value!r} for fact "{spec.path}" must be true or false')
    elif spec.kind == "text":
        if type(value) is not bool:
            raise ConditionError(f'operator "is_blank" on "{spec.path}" takes true or false')
    elif spec.kind == "int_or_null":
        if op == "is_null":
            if type(value) is not bool:
                raise ConditionError(f'operator "is_null" on "{spec.path}" takes true or false')
        elif op in _COMPARISONS and type(value) is not int:
            raise ConditionError(f'value {value!r} for fact "{spec.path}" must be a whole number')
        elif value is not None and type(value) is not int:
            raise ConditionError(f'value {value!r} for fact "{spec.path}" must be a number or null')
    elif op in ("eq", "ne"):
        if value not in spec.choices:
            raise ConditionError(
                f'value {value!r} is not allowed for fact "{spec.path}" '
                f"(allowed: {', '.join(spec.choices)})"
            )
    else:
        if not isinstance(value, list) or not value:
            raise ConditionError(f'operator "{op}" on "{spec.path}" takes a non-empty list')
        for item in value:
            if item not in spec.choices:
                raise ConditionError(
                    f'value {item!r} is not allowed for fact "{spec.path}" '
                    f"(allowed: {', '.join(spec.choices)})"
                )


def _compile_test(path: object, op: str, value: Any) -> Compiled:
    if not isinstance(path, str) or path not in FACT_SPECS:
        raise ConditionError(f'fact "{path}" is unknown')
    spec = FACT_SPECS[path]
    if op not in _ALL_OPERATORS:
        raise ConditionError(f'operator "{op}" is unknown (allowed: {", ".join(_ALL_OPERATORS)})')
    if op not in OPERATORS[spec.kind]:
        raise ConditionError(
            f'operator "{op}" is not allowed for fact "{path}" '
            f"(allowed: {', '.join(OPERATORS[spec.kind])})"
        )
    _check_value(spec, op, value)
    get = _getter(path)
    test: Predicate
    if op == "eq":
        test = lambda c, f: get(c, f) == value  # noqa: E731
    elif op == "ne":
        test = lambda c, f: get(c, f) != value  # noqa: E731
    elif op in ("in", "not_in"):
        members = frozenset(value)
        test = (
            (lambda c, f: get(c, f) in members)
            if op == "in"
            else (lambda c, f: get(c, f) not in members)
        )
    elif op == "is_blank":
        test = (lambda c, f: not get(c, f)) if value else (lambda c, f: bool(get(c, f)))
    elif op == "is_null":
        test = (lambda c, f: get(c, f) is None) if value else (lambda c, f: get(c, f) is not None)
    elif op in _COMPARISONS:
        compare = _COMPARISONS[op]

        def test(c: Context, f: FunctionFacts | None) -> bool:
            current = get(c, f)
            return current is not None and compare(current, value)

    else:
        wanted = frozenset(value)
        if op == "includes_all":
            test = lambda c, f: wanted.issubset(get(c, f))  # noqa: E731
        elif op == "includes_any":
            test = lambda c, f: not wanted.isdisjoint(get(c, f))  # noqa: E731
        elif op == "includes_none":
            test = lambda c, f: wanted.isdisjoint(get(c, f))  # noqa: E731
        else:
            test = lambda c, f: wanted.issuperset(get(c, f))  # noqa: E731
    return Compiled(test, frozenset({path}), _codes(path, op, value))


_ALL_CODES = frozenset(FACT_SPECS["function.code"].choices)


def _codes(path: str, op: str, value: Any) -> frozenset[str] | None:
    if path != "function.code":
        return None
    if op == "eq":
        return frozenset({value})
    if op == "ne":
        return _ALL_CODES - {value}
    if op == "in":
        return frozenset(value)
    return _ALL_CODES - frozenset(value)


def _all_of(tests: tuple[Predicate, ...]) -> Predicate:
    def test_all(c: Context, f: FunctionFacts | None) -> bool:
        # A plain loop, not all(<generator>): it runs for every change a what-if tries.
        for test in tests:  # noqa: SIM110
            if not test(c, f):
                return False
        return True

    return test_all


def _any_of(tests: tuple[Predicate, ...]) -> Predicate:
    def test_any(c: Context, f: FunctionFacts | None) -> bool:
        for test in tests:  # noqa: SIM110
            if test(c, f):
                return True
        return False

    return test_any


def _compile_fact(node: dict[str, Any]) -> Compiled:
    """`{fact: PATH, OP: VALUE}`: exactly one operator."""
    ops = [key for key in node if key != "fact"]
    if len(ops) != 1:
        raise ConditionError(
            f'a test on fact "{node["fact"]}" needs exactly one operator, got {len(ops)}'
        )
    return _compile_test(node["fact"], ops[0], node[ops[0]])


def _compile_group(key: str, body: object, depth: int) -> Compiled:
    """`{all: [...]}` or `{any: [...]}`, with the function codes for which it can hold."""
    if not isinstance(body, list):
        raise ConditionError(f'"{key}" takes a list of conditions')
    parts = [compile_condition(item, depth=depth + 1) for item in body]
    tests = tuple(part.test for part in parts)
    facts = frozenset().union(*(part.facts for part in parts))
    known = [part.codes for part in parts if part.codes is not None]
    if key == "all":
        codes = frozenset.intersection(*known) if known else None
        return Compiled(_all_of(tests), facts, codes)
    codes = frozenset.union(*known) if parts and len(known) == len(parts) else None
    return Compiled(_any_of(tests), facts, codes)


def compile_condition(node: object, *, depth: int = 1) -> Compiled:
    """Compile one condition; raise ConditionError naming the fault."""
    if depth > MAX_DEPTH:
        raise ConditionError(f"condition nests deeper than {MAX_DEPTH} levels of all, any and not")
    if not isinstance(node, dict):
        raise ConditionError(f"condition {node!r} must be a mapping")
    if "fact" in node:
        return _compile_fact(node)
    if len(node) != 1:
        raise ConditionError(f"condition {node!r} must have exactly one of all, any, not, fact")
    ((key, body),) = node.items()
    if key == "not":
        inner = compile_condition(body, depth=depth + 1)
        return Compiled(lambda c, f: not inner.test(c, f), inner.facts)  # codes unknown: None
    if key in ("all", "any"):
        return _compile_group(key, body, depth)
    raise ConditionError(f'operator "{key}" is unknown (allowed: all, any, not, fact)')
