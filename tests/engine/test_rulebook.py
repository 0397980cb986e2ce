"""Loading rulebooks: every fault refused with the rule named; the default cites P1–P16."""

from __future__ import annotations

import re

import pytest
import yaml

from integration.engine import RulebookError, default_rulebook, load_rulebook, shipped_rulebook
from integration.engine.rulebook import DEFAULT_RULEBOOK_PATH, PRINCIPLES
from integration.engine.rulebook_yaml import MAX_VALUES, RulebookLoader, expanded_size

VALID_RULE = {
    "id": "admin-asa-missing",
    "principle": "P9",
    "source": "§VII Structural reforms",
    "when": {"fact": "context.agency_service_agreements", "eq": False},
    "effect": {
        "type": "barrier",
        "category": "administration",
        "level": "administrative",
        "cap": "partial",
        "remedy": "Permit agency service agreements (§VII Structural reforms).",
    },
    "explanation": "No agency service agreements for {function_name}.",
}


def rulebook_text(*rules: dict, **top) -> str:
    data = {"name": "test", "version": "1", "rules": list(rules) or [VALID_RULE], **top}
    return yaml.safe_dump(data, allow_unicode=True)


def with_changes(**changes) -> dict:
    rule = {**VALID_RULE, **changes}
    return {key: value for key, value in rule.items() if value is not None}


def nested(condition: dict, depth: int) -> dict:
    """`condition` inside `depth - 1` alternating `not`s and `all`s (same meaning when even)."""
    for level in range(depth - 1):
        condition = {"not": condition} if level % 2 else {"all": [condition]}
    return condition


def refused(text: str) -> str:
    with pytest.raises(RulebookError) as caught:
        load_rulebook(text)
    return str(caught.value)


def test_a_valid_rulebook_loads() -> None:
    rulebook = load_rulebook(rulebook_text())
    assert [rule.id for rule in rulebook.rules] == ["admin-asa-missing"]
    assert re.fullmatch(r"[0-9a-f]{64}", rulebook.checksum)


@pytest.mark.parametrize(
    ("rule", "fault"),
    [
        (
            with_changes(when={"fact": "context.agency_service_agreement", "eq": False}),
            'fact "context.agency_service_agreement" is unknown',
        ),
        (
            with_changes(when={"fact": "context.phase", "eq": "war"}),
            "value 'war' is not allowed for fact \"context.phase\"",
        ),
        (
            with_changes(when={"fact": "function.dimensions", "includes_all": ["navy"]}),
            "value 'navy' is not allowed for fact \"function.dimensions\"",
        ),
        (
            with_changes(when={"fact": "context.phase", "contains": "peace"}),
            'operator "contains" is unknown',
        ),
        (
            with_changes(when={"fact": "context.phase", "lte": 3}),
            'operator "lte" is not allowed for fact "context.phase"',
        ),
        (
            with_changes(when={"fact": "context.drawdown_within_months", "lte": "soon"}),
            "must be a whole number",
        ),
        (
            with_changes(when={"fact": "context.pooled_fund", "eq": "no"}),
            "must be true or false",
        ),
        (with_changes(when={"either": []}), 'operator "either" is unknown'),
        (with_changes(when={"fact": "context.phase"}), "needs exactly one operator"),
        (with_changes(when=None), "when is missing"),
        (with_changes(effect={"type": "boost"}), 'effect "boost" is unknown'),
        (with_changes(effect=None), "effect is missing"),
        (with_changes(explanation=None), "explanation is missing"),
        (with_changes(explanation="  "), "explanation is missing"),
        (with_changes(principle="P17"), 'principle "P17" is unknown'),
        (with_changes(source=None), "source is missing"),
        (with_changes(colour="red"), 'unknown key "colour"'),
        (
            with_changes(effect={"type": "cap", "level": "tactical", "degree": "partial"}),
            'level "tactical" is unknown',
        ),
        (
            with_changes(effect={"type": "floor", "level": "strategic", "degree": "total"}),
            'degree "total" is not a degree',
        ),
        (
            with_changes(effect={**VALID_RULE["effect"], "category": "weather"}),
            'barrier category "weather" is unknown',
        ),
        (
            with_changes(effect={**VALID_RULE["effect"], "remedy": ""}),
            "a barrier needs a remedy",
        ),
        (
            with_changes(effect={**VALID_RULE["effect"], "cap": "full"}),
            'a barrier cap of "full" would never lower anything',
        ),
        (
            with_changes(
                effect={**VALID_RULE["effect"], "remedy": "Permit them (Fifth Committee)."}
            ),
            "a barrier remedy must cite §VII of the source",
        ),
        (
            with_changes(effect={"type": "floor", "level": "strategic", "degree": "parallel"}),
            'a floor of "parallel" would never raise anything',
        ),
        (
            with_changes(effect={"type": "cap", "level": "strategic", "degree": "full"}),
            'a cap of "full" would never lower anything',
        ),
        (
            with_changes(when=nested({"fact": "context.pooled_fund", "eq": False}, 17)),
            "condition nests deeper than 16 levels",
        ),
        (with_changes(effect={"type": "lead", "lead": "donors"}), 'lead "donors" is unknown'),
        (
            with_changes(effect={"type": "cap", "level": "strategic", "degree": "partial", "x": 1}),
            'effect "cap" has unknown key "x"',
        ),
        (
            with_changes(explanation="Held back in {phase_name}."),
            'explanation placeholder "{phase_name}" is unknown',
        ),
        (
            with_changes(explanation="Held back in {phase.upper}."),
            'explanation placeholder "{phase.upper}" is unknown',
        ),
        (
            with_changes(effect={**VALID_RULE["effect"], "remedy": "Fix {money} (§VII)."}),
            'remedy placeholder "{money}" is unknown',
        ),
        (
            with_changes(
                when={"fact": "function.code", "eq": "ddr"}, effect={"type": "not_applicable"}
            ),
            "a not_applicable rule may test context facts only",
        ),
        (
            with_changes(
                when={"fact": "context.unct_present", "eq": False},
                effect={"type": "not_applicable"},
            ),
            'explanation placeholder "{function_name}" is unknown',
        ),
    ],
)
def test_a_faulty_rule_is_refused_naming_the_rule_and_the_fault(rule: dict, fault: str) -> None:
    message = refused(rulebook_text(rule))
    assert message.startswith('rule "admin-asa-missing": ')
    assert fault in message


def test_conditions_nested_sixteen_deep_still_load() -> None:
    rule = with_changes(when=nested({"fact": "context.pooled_fund", "eq": False}, 16))
    assert load_rulebook(rulebook_text(rule)).rules[0].id == "admin-asa-missing"


def test_a_rulebook_nested_past_the_interpreter_stack_is_refused_not_crashed() -> None:
    # given a condition nested far deeper than Python's recursion limit
    deep = "{not: " * 3000 + "{all: []}" + "}" * 3000
    # then loading says so, rather than raising RecursionError (a 500 in the admin)
    assert (
        refused(A_RULE_WITH.format(when=deep, extra="")) == "rulebook nests too deeply to be read"
    )


A_RULE_WITH = """\
name: test
version: "1"
rules:
  - id: admin-asa-missing
    principle: P9
    source: §VII Structural reforms
    when: {when}
    effect: {{type: cap, level: strategic, degree: partial}}
    explanation: Held back.{extra}
"""


def alias_bomb(levels: int) -> str:
    """A rule carrying `levels` + 1 anchors, each a list of nine aliases of the one before: a
    few hundred bytes to send, 9 ** levels strings once every alias is expanded."""
    anchors = ["    a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    anchors += [f"    a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, levels + 1)]
    return A_RULE_WITH.format(
        when="{fact: context.pooled_fund, eq: false}", extra="\n" + "\n".join(anchors)
    )


TOO_LARGE = (
    "rulebook is too large to read: it would expand to more than 40,000 YAML values "
    "(each use of an alias such as *name counts its values again)"
)


@pytest.mark.parametrize("levels", [8, 9])
def test_a_yaml_alias_bomb_is_refused_before_it_is_expanded(levels: int) -> None:
    # given a rule whose anchors expand to 9 ** 8 or 9 ** 9 values (the walk that looks for
    # repeated keys used to visit each of them: seconds at 8 levels, a crash at 9)
    # then loading refuses it by its expanded size, naming the cause
    assert refused(alias_bomb(levels)) == TOO_LARGE


def test_a_yaml_merge_key_bomb_is_refused_before_it_is_expanded() -> None:
    # given mappings that each merge the one before twice (<<), doubling at every level
    anchors = ["    m0: &m0 {a: 1, b: 2, c: 3, d: 4}"]
    anchors += [f"    m{n}: &m{n} {{<<: [*m{n - 1}, *m{n - 1}]}}" for n in range(1, 40)]
    text = A_RULE_WITH.format(
        when="{fact: context.pooled_fund, eq: false}", extra="\n" + "\n".join(anchors)
    )
    assert refused(text) == TOO_LARGE


def test_a_recursive_yaml_alias_is_refused() -> None:
    text = A_RULE_WITH.format(when="{fact: context.pooled_fund, eq: false}", extra="")
    assert refused(text + "    loop: &loop [*loop]\n") == TOO_LARGE


def test_the_default_rulebook_expands_to_a_tenth_of_the_bound_at_most() -> None:
    loader = RulebookLoader(DEFAULT_RULEBOOK_PATH.read_text(encoding="utf-8"))
    try:
        assert expanded_size(loader.get_single_node()) * 10 <= MAX_VALUES
    finally:
        loader.dispose()


def test_a_few_aliases_are_still_read_and_judged_like_any_rule() -> None:
    # given a rule with anchors that expand to a few hundred values only
    # then the rulebook is read, and refused for what the rule says (its unknown key)
    assert refused(alias_bomb(2)) == (
        'rule "admin-asa-missing": unknown key "a0" (allowed: id, principle, source, when, '
        "effect, explanation, explanation_fr)"
    )


@pytest.mark.parametrize(
    ("text", "fault"),
    [
        (
            A_RULE_WITH.format(
                when="{fact: context.pooled_fund, eq: false}",
                extra="\n    effect: {type: note, level: strategic}",
            ),
            'rule "admin-asa-missing": key "effect" is given twice in one mapping',
        ),
        (
            A_RULE_WITH.format(
                when="{fact: context.phase, eq: transition, eq: peacebuilding}", extra=""
            ),
            'rule "admin-asa-missing": key "eq" is given twice in one mapping',
        ),
        (
            A_RULE_WITH.format(when="{fact: context.pooled_fund, eq: false}", extra="")
            + 'version: "2"\n',
            'rulebook has the key "version" twice',
        ),
    ],
)
def test_a_key_given_twice_is_refused_instead_of_silently_dropped(text: str, fault: str) -> None:
    assert refused(text) == fault


def test_duplicate_ids_are_refused() -> None:
    message = refused(rulebook_text(VALID_RULE, VALID_RULE))
    assert message == 'rule "admin-asa-missing": duplicate id'


def test_engine_ids_are_reserved() -> None:
    message = refused(rulebook_text(with_changes(id="engine.baseline")))
    assert message.startswith('rule "engine.baseline": ')


def test_a_rule_without_an_id_is_named_by_position() -> None:
    message = refused(rulebook_text(VALID_RULE, with_changes(id=None)))
    assert message.startswith("rule #2: id None is missing")


@pytest.mark.parametrize(
    ("text", "fault"),
    [
        ("name: [unclosed", "not valid YAML"),
        ("- just a list", "must be a mapping"),
        (rulebook_text(version=2007.1), "version must be a string"),
        (rulebook_text(name=""), "name is missing"),
        (rulebook_text(owner="me"), 'unknown key "owner"'),
        ("name: x\nversion: '1'\nrules: []\n", "non-empty list of rules"),
    ],
)
def test_a_faulty_rulebook_is_refused(text: str, fault: str) -> None:
    assert fault in refused(text)


def test_the_default_rulebook_cites_every_principle() -> None:
    cited = {rule.principle for rule in default_rulebook().rules}
    assert cited == set(PRINCIPLES)


def test_every_default_barrier_remedy_comes_from_section_vii() -> None:
    barriers = [r for r in default_rulebook().rules if r.effect.type == "barrier"]
    assert {r.effect.category for r in barriers} >= {
        "administration",
        "funding",
        "planning",
        "capacity",
        "structure",
        "regional_partnership",
    }
    for rule in barriers:
        assert "§VII" in rule.effect.remedy, rule.id
        assert rule.source.startswith("§"), rule.id


def test_checksum_ignores_layout_but_not_meaning() -> None:
    text = DEFAULT_RULEBOOK_PATH.read_text(encoding="utf-8")
    original = load_rulebook(text)
    relaid = load_rulebook(yaml.safe_dump(yaml.safe_load(text), width=60, sort_keys=True))
    assert relaid.checksum == original.checksum
    changed = load_rulebook(text.replace("degree: full}", "degree: partial}", 1))
    assert changed.checksum != original.checksum


def test_the_default_rulebook_checksum_is_pinned_to_its_version() -> None:
    # A rulebook version names one set of rules (invariant 8). If this fails you changed the
    # rules: write a new version file in integration/rulebooks/ (the old one stays, so its stored
    # answers replay), make it the default in rulebook.py, then update the values here.
    rulebook = default_rulebook()
    assert (rulebook.version, rulebook.checksum) == ("2008.1", PINNED_CHECKSUM)


def test_rulebook_2007_3_is_kept_unchanged_for_replay() -> None:
    rulebook = shipped_rulebook("2007.3")
    assert (rulebook.version, rulebook.checksum) == ("2007.3", PINNED_CHECKSUM_2007_3)


PINNED_CHECKSUM = "131087ce5b56798380e2229851fd30a87e2640c1f3d0e8cb4a93b941070a6a44"
PINNED_CHECKSUM_2007_3 = "80d55ce9393f947dd240e6cc1fef1e2f9eaedf478bb65da4b948cef14d6bb503"
