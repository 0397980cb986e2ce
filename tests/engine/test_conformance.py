"""The conformance check: a rulebook that breaks an invariant is refused, naming it and a case."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import yaml

from integration.engine import (
    ConformanceError,
    Facts,
    check_conformance,
    default_rulebook,
    evaluate,
    find_violation,
    load_rulebook,
    shipped_rulebook,
)
from integration.engine.rulebook import DEFAULT_RULEBOOK_PATH

DEFAULT = DEFAULT_RULEBOOK_PATH.read_text(encoding="utf-8")


def variant(change: Callable[[list[dict]], None]):
    """The default rulebook with its list of rules changed in place by `change`."""
    data = yaml.safe_load(DEFAULT)
    change(data["rules"])
    data["version"] = "variant"
    return load_rulebook(yaml.safe_dump(data, allow_unicode=True))


def rule(rules: list[dict], rule_id: str) -> dict:
    return next(item for item in rules if item["id"] == rule_id)


def without(*prefixes: str) -> Callable[[list[dict]], None]:
    def change(rules: list[dict]) -> None:
        rules[:] = [item for item in rules if not item["id"].startswith(prefixes)]

    return change


def ocha_pulled_inside(rules: list[dict]) -> None:
    rule(rules, "p7-ocha-outside")["effect"] = {
        "type": "floor",
        "levels": ["programmatic", "administrative"],
        "degree": "full",
    }


def necessity_cites_p5(rules: list[dict]) -> None:
    rule(rules, "p2-linked-components")["principle"] = "P5"


def barrier_when_agreements_are_permitted(rules: list[dict]) -> None:
    rule(rules, "p9-no-agency-service-agreements")["when"] = {
        "fact": "context.agency_service_agreements",
        "eq": True,
    }


def charged_cap_without_force(rules: list[dict]) -> None:
    rule(rules, "p6-open-combat-politically-charged")["when"] = {
        "fact": "context.force_posture",
        "eq": "none",
    }


def variant_without_own_level_barriers():
    data = yaml.safe_load(DEFAULT)
    data["own_level_barriers"] = False
    data["version"] = "variant"
    return load_rulebook(yaml.safe_dump(data, allow_unicode=True))


def test_the_default_rulebook_conforms() -> None:
    # How long the check takes is a benchmark's business, not an assertion's (docs/benchmarks.md).
    assert find_violation(default_rulebook()) is None


def test_a_level_held_down_from_above_needs_a_barrier_of_its_own() -> None:
    # given 2008.1 without the engine's barrier at a level a coupling holds down (step 8b)
    violation = find_violation(variant_without_own_level_barriers())
    # then invariant 11, read plainly, is broken: a gap with no barrier at that level
    assert violation is not None
    assert violation.invariant == 11
    assert "with no barrier listed at that level" in violation.fault


def test_rulebook_2007_3_breaks_invariant_11_in_its_plain_reading() -> None:
    # 2007.3 is kept so its answers replay, but it would not be accepted anew: where a strategic
    # barrier held programmes down, the programmatic level had no barrier of its own.
    violation = find_violation(shipped_rulebook("2007.3"))
    assert violation is not None
    assert violation.invariant == 11


@pytest.mark.parametrize(
    ("change", "invariant", "fault"),
    [
        (
            necessity_cites_p5,
            3,
            'the necessity rule "p2-linked-components" cites P5, not P2',
        ),
        (
            ocha_pulled_inside,
            4,
            "the rules call for more than parallel programmes or administration for "
            "humanitarian coordination",
        ),
        (
            without("p7-open-combat-humanitarian-coordination"),
            4,
            "under open combat the rules call for more than a parallel strategy",
        ),
        (without("p11-"), 5, "full programmatic integration of"),
        (without("p16-"), 6, "no not_applicable rule fires"),
        (
            charged_cap_without_force,
            9,
            "raising force_posture from none to deterrent raises the programmatic degree of",
        ),
        (
            barrier_when_agreements_are_permitted,
            10,
            'with agency_service_agreements true, the barrier "p9-no-agency-service-agreements" '
            "appears",
        ),
    ],
)
def test_a_rulebook_breaking_an_invariant_is_refused_with_the_invariant_and_a_case(
    change: Callable[[list[dict]], None], invariant: int, fault: str
) -> None:
    # given a rulebook that loads, but breaks one invariant
    rulebook = variant(change)
    # when it is checked
    with pytest.raises(ConformanceError) as caught:
        check_conformance(rulebook)
    # then the message names the invariant, the fault, and facts that show it
    violation = caught.value.violation
    assert violation.invariant == invariant
    message = str(caught.value)
    assert message.startswith(f"The rulebook breaks invariant {invariant} (")
    assert fault in message
    assert "Counterexample: context presence_type=" in message


def test_the_counterexample_really_breaks_the_invariant() -> None:
    # given the counterexample found for a rulebook that pulls OCHA into the mission
    violation = find_violation(variant(ocha_pulled_inside))
    assert violation is not None
    assert violation.function is not None
    # when it is evaluated, the engine's guard is what holds humanitarian coordination
    facts = Facts(violation.context, (violation.function,))
    (item,) = evaluate(facts, variant(ocha_pulled_inside)).recommendations
    ids = {rule.id for level in item.levels.values() for rule in level.rules}
    assert "engine.p7.humanitarian-coordination-parallel" in ids


def test_the_verdict_is_deterministic() -> None:
    rulebook = variant(barrier_when_agreements_are_permitted)
    assert str(find_violation(rulebook)) == str(find_violation(rulebook))
