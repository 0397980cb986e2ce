"""`evaluate`: facts and a rulebook in, a `Decision` out. Pure: no I/O, no clock, no randomness.

The combination of rules is decided in combine.py; this module checks applicability, runs the
combination for each function and renders the plain-language trace.
"""

from __future__ import annotations

from functools import cache
from string import Formatter

from .combine import (
    BASELINE,
    COUPLING_A_FULL,
    COUPLING_COMMON,
    COUPLING_P_LE_S,
    DEFAULT_LEAD,
    GUARD_HUMANITARIAN,
    GUARD_OPEN_COMBAT,
    GUARD_REVERSIBILITY,
    P2_GUARD,
    Outcome,
    combine,
    engine_refuses,
)
from .decision import Barrier, Decision, FiredRule, FunctionRecommendation, LevelDecision
from .facts import CONTEXT_FACTS, Context, Facts, FunctionFacts
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
from .texts_fr import (
    DEGREE_NAMES_FR,
    ENGINE_STEPS_FR,
    FACT_VALUES_FR,
    FUNCTION_NAMES_FR,
    LEVEL_NAMES_FR,
    NOT_APPLICABLE_REASONS_FR,
    YES_NO_NONE_FR,
)
from .vocabulary import FUNCTIONS_BY_CODE

LANGUAGES = ("en", "fr")


@cache
def _placeholders(template: str) -> tuple[str, ...]:
    return tuple(name for _text, name, _spec, _conv in Formatter().parse(template) if name)


def render(template: str, values: dict[str, str]) -> str:
    """A template filled in, its first letter upper case (a function name may open it)."""
    text = template.format(**values)
    return text[:1].upper() + text[1:] if template[:1] == "{" else text


# The engine's own steps, cited in traces like rules: (principle, explanation template). The
# templates take {function_name}, {level}, {degree} (the level's result at that stage) and, for
# the programmatic level, {programmatic}.
ENGINE_STEPS = {
    BASELINE: (
        "P5",
        "No rule calls for integrating {function_name} at the {level} level, so it stays "
        "parallel: form follows function (§V, §VII Principles).",
    ),
    P2_GUARD: (
        "P2",
        "Full programmatic integration of {function_name} needs a positive justification and no "
        "rule established one, so it is held at partial at most (§IV.2: full integration only "
        "when absolutely necessary).",
    ),
    f"engine.coupling.{COUPLING_P_LE_S}": (
        "P1",
        "Programmatic integration of {function_name} cannot go beyond its strategic integration, "
        "so it is called for at {degree} (§IV.1: all other levels of integration flow from "
        "strategic integration).",
    ),
    f"engine.coupling.{COUPLING_A_FULL}": (
        "P1",
        "Integrated budgets, premises and staff only serve a fully integrated programme; "
        "programmatic integration of {function_name} is {programmatic}, so administrative "
        "integration is called for at {degree} at most (§IV.1, §IV.2).",
    ),
    f"engine.coupling.{COUPLING_COMMON}": (
        "P9",
        "With parallel programmes the one administrative link kept is common services (§IV.2), "
        "so administrative integration of {function_name} is called for at {degree}.",
    ),
    f"engine.feasibility.{COUPLING_P_LE_S}": (
        "P1",
        "Feasible programmatic integration of {function_name} cannot go beyond its feasible "
        "strategic integration, so it is held at {degree} (§IV.1).",
    ),
    f"engine.feasibility.{COUPLING_A_FULL}": (
        "P1",
        "Feasible programmatic integration of {function_name} is {programmatic}, so integrated "
        "budgets, premises and staff are out of reach and feasible administrative integration "
        "is held at {degree} (§IV.1, §IV.2).",
    ),
    f"engine.feasibility.{COUPLING_COMMON}": (
        "P9",
        "With programmes feasible only in parallel, administration can be shared only through "
        "common services (§IV.2), so feasible administrative integration of {function_name} is "
        "held at {degree}.",
    ),
    DEFAULT_LEAD: (
        "P6",
        "No rule names a lead for {function_name}, so the mission and the UNCT lead it jointly.",
    ),
    GUARD_HUMANITARIAN: (
        "P7",
        "Humanitarian coordination keeps its programmes and administration apart from the "
        "mission, so {level} integration is held at parallel: OCHA stays outside the integrated "
        "mission (§V Integrating humanitarianism?; §VII Structural reforms).",
    ),
    GUARD_OPEN_COMBAT: (
        "P7",
        "UN or coalition forces are in open combat, and any association with the military could "
        "compromise humanitarian neutrality, so humanitarian coordination keeps its own strategy "
        "(§V Integrating humanitarianism?).",
    ),
    GUARD_REVERSIBILITY: (
        "P11",
        "In transition, or with a drawdown within 12 months, full programmatic integration of "
        "{function_name} would be difficult and costly to undo, so it is held at partial (§IV.2).",
    ),
}
# Why integration policy does not apply, where no rule of the rulebook said so (P16).
NOT_APPLICABLE_REASONS = {
    "observer_mission": (
        "Integration policy does not apply to a mission limited to ceasefire observation (UN "
        "Secretary-General's Decision 2008/24)."
    ),
    "no_unct": (
        "Integration policy does not apply: no UN Country Team works in the country (UN "
        "Secretary-General's Decision 2008/24)."
    ),
}
# Function names as they read inside a sentence: "for rule of law", but "for DDR".
NAMES_IN_SENTENCE = {
    code: spec.name if spec.name[1:2].isupper() else spec.name[:1].lower() + spec.name[1:]
    for code, spec in FUNCTIONS_BY_CODE.items()
}


def _show(value: object) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if value is None:
        return "none"
    return str(value).replace("_", " ")


def _show_fr(name: str, value: object) -> str:
    if value is True or value is False or value is None:
        return YES_NO_NONE_FR[_show(value)]
    return FACT_VALUES_FR.get(name, {}).get(str(value)) or _show(value)


def template_values(
    context: Context,
    function: FunctionFacts | None,
    shared: dict[str, str] | None = None,
    *,
    language: str = "en",
) -> dict[str, str]:
    """The values explanation templates may use (rulebook.CONTEXT/FUNCTION_PLACEHOLDERS), as
    they read in a sentence of `language`."""
    french = language == "fr"
    if shared is None:
        shared = {
            name: _show_fr(name, getattr(context, name))
            if french
            else _show(getattr(context, name))
            for name in CONTEXT_FACTS
        }
    values = dict(shared)
    if function is not None:
        show = _show_fr if french else (lambda _name, value: _show(value))
        values.update(
            function=function.function,
            function_name=(FUNCTION_NAMES_FR if french else NAMES_IN_SENTENCE)[function.function],
            dimensions=", ".join(show("dimensions", d) for d in function.dimensions),
            funding_source=show("funding_source", function.funding_source),
            conflicting_imperatives=show(
                "conflicting_imperatives", function.conflicting_imperatives
            ),
            unct_programmes=show("unct_programmes", function.unct_programmes),
        )
    return values


# Which function attribute a function placeholder reads ({function_name} reads the code).
_FUNCTION_FIELDS = {
    "function": "function",
    "function_name": "function",
    "dimensions": "dimensions",
    "funding_source": "funding_source",
    "conflicting_imperatives": "conflicting_imperatives",
    "unct_programmes": "unct_programmes",
}


_FUNCTION_ONLY = ((True, "function"),)


@cache
def _reads(*templates: str) -> tuple[tuple[bool, str], ...]:
    """The facts some templates name, as (is a function fact, attribute), in a stable order."""
    names = {name for template in templates for name in _placeholders(template)}
    return tuple(sorted({(n in _FUNCTION_FIELDS, _FUNCTION_FIELDS.get(n, n)) for n in names}))


def _memo_put(memo: dict, key: tuple, value):
    """Memoise a rendered record in a plan's `texts` (bounded: varied facts over a long run
    start afresh). A sentence depends only on its templates, the language and the few facts
    the templates name, so the 360,000 entries of 10,000 assessments are a few hundred."""
    if len(memo) > 100_000:
        memo.clear()
    memo[key] = value
    return value


class _Shared:
    """The context's template values of one evaluation, in each language, built on first use."""

    __slots__ = ("by_language", "context")

    def __init__(self, context: Context) -> None:
        self.context = context
        self.by_language: dict[str, dict[str, str]] = {}

    def get(self, language: str) -> dict[str, str]:
        values = self.by_language.get(language)
        if values is None:
            values = self.by_language[language] = template_values(
                self.context, None, language=language
            )
        return values


class _Texts:
    """What one function's trace is written with, in one language. French falls back to
    English per rule where a rulebook gives no French (an English sentence never gets French
    values). Template values are built only when a sentence is not memoised yet."""

    __slots__ = ("_values", "context", "function", "language", "memo", "plan", "shared")

    def __init__(
        self,
        plan: Plan,
        language: str,
        context: Context,
        function: FunctionFacts | None,
        shared: _Shared,
    ) -> None:
        self.plan, self.memo, self.language = plan, plan.texts, language
        self.context, self.function, self.shared = context, function, shared
        self._values: dict[str, dict[str, str]] = {}

    def values(self, language: str) -> dict[str, str]:
        found = self._values.get(language)
        if found is None:
            shared = self.shared.get(language)
            found = self._values[language] = (
                shared
                if self.function is None
                else template_values(self.context, self.function, shared, language=language)
            )
        return found

    def _text(self, english: str, french: str) -> str:
        if self.language == "fr" and french:
            return render(french, self.values("fr"))
        return render(english, self.values("en"))

    def _key(self, index: int) -> tuple:
        reads = self.memo.get(index)
        if reads is None:
            rule = self.plan.rules[index]
            effect = rule.effect
            reads = self.memo[index] = _reads(
                rule.explanation, rule.explanation_fr, effect.remedy, effect.remedy_fr
            )
        context, function = self.context, self.function
        if reads == _FUNCTION_ONLY and function is not None:  # most rules: {function_name} only
            return (index, self.language, function.function)
        return (
            index,
            self.language,
            *[getattr(function if of_function else context, name) for of_function, name in reads],
        )

    def fired(self, index: int) -> FiredRule:
        key = self._key(index)
        found = self.memo.get(key)
        if found is None:
            rule = self.plan.rules[index]
            text = self._text(rule.explanation, rule.explanation_fr)
            found = _memo_put(self.memo, key, FiredRule(rule.id, rule.principle, text))
        return found

    def barrier(self, index: int) -> Barrier:
        key = ("barrier", *self._key(index))
        found = self.memo.get(key)
        if found is None:
            rule = self.plan.rules[index]
            effect = rule.effect
            barrier = Barrier(
                category=effect.category,
                level=effect.levels[0],
                explanation=self._text(rule.explanation, rule.explanation_fr),
                remedy=self._text(effect.remedy, effect.remedy_fr),
            )
            found = _memo_put(self.memo, key, barrier)
        return found

    def step(self, step: tuple[str, str], level: int, outcome: Outcome) -> FiredRule:
        stage = step[1]
        result = outcome.feasible if stage == "feasibility" else outcome.degree
        code = self.function.function if self.function else ""
        key = (step, self.language, level, result[level], result[1], code)
        found = self.memo.get(key)
        if found is None:
            found = _memo_put(self.memo, key, self._step(step, level, result))
        return found

    def _step(self, step: tuple[str, str], level: int, result: tuple[int, ...]) -> FiredRule:
        name, stage = step
        rule_id = name if name.startswith("engine.") else f"engine.{stage}.{name}"
        principle, template = ENGINE_STEPS[rule_id]
        level_name, degree, programmatic = (
            LEVEL_NAMES[level],
            DEGREE_NAMES[result[level]],
            DEGREE_NAMES[result[1]],
        )
        if self.language == "fr":
            template = ENGINE_STEPS_FR[rule_id]
            level_name = LEVEL_NAMES_FR[level_name]
            degree, programmatic = DEGREE_NAMES_FR[degree], DEGREE_NAMES_FR[programmatic]
        values = {
            "function_name": self.values(self.language)["function_name"],
            "level": level_name,
            "degree": degree,
            "programmatic": programmatic,
        }
        return FiredRule(rule_id, principle, render(template, values))


def _recommendation(
    plan: Plan, outcome: Outcome, function: FunctionFacts, texts: _Texts
) -> FunctionRecommendation:
    rules = plan.rules
    levels = {}
    for index, name in enumerate(LEVEL_NAMES):
        trace = tuple(
            texts.step(entry, index, outcome) if isinstance(entry, tuple) else texts.fired(entry)
            for entry in outcome.trace[index]
        )
        levels[name] = LevelDecision(
            degree=DEGREE_NAMES[outcome.degree[index]],
            feasible_degree=DEGREE_NAMES[outcome.feasible[index]],
            rules=trace,
        )
    barriers = tuple(texts.barrier(i) for i in outcome.barriers)
    lead = "joint" if outcome.lead is None else rules[outcome.lead].effect.lead
    return FunctionRecommendation(function.function, lead, levels, barriers)


def evaluate(
    facts: Facts, rulebook: Rulebook, *, what_if: bool = False, language: str = "en"
) -> Decision:
    """Recommend, for each function and level, a degree, a feasible degree and the barriers.

    With `what_if`, each recommendation also lists the single-fact changes that would move a
    degree or feasible degree (see what_if.py). `language` ("en" or "fr") is the language of
    the explanations, remedies, reason and what-if sentences; the answers never depend on it.
    """
    if language not in LANGUAGES:
        raise ValueError(f'language "{language}" is not one of {", ".join(LANGUAGES)}')
    plan = plan_for(rulebook)
    context = facts.context
    refusals = applicable_rules(plan, context)
    if refusals:
        texts = _Texts(plan, language, context, None, _Shared(context))
        reason = " ".join(texts.fired(i).explanation for i in refusals)
        return Decision(False, reason, rulebook.name, rulebook.version, ())
    if engine_refuses(context):  # the guard of invariant 6, where no rule said so
        key = "observer_mission" if context.presence_type == "observer_mission" else "no_unct"
        reasons = NOT_APPLICABLE_REASONS_FR if language == "fr" else NOT_APPLICABLE_REASONS
        return Decision(False, reasons[key], rulebook.name, rulebook.version, ())
    shared = context_fired(plan, context)
    fired = [fired_rules(plan, context, item, shared) for item in facts.functions]
    outcomes = [
        combine(plan, rules, context, item.function)
        for rules, item in zip(fired, facts.functions, strict=True)
    ]
    shared = _Shared(context)
    recommendations = [
        _recommendation(plan, outcome, item, _Texts(plan, language, context, item, shared))
        for outcome, item in zip(outcomes, facts.functions, strict=True)
    ]
    if what_if:
        from .what_if import what_ifs  # what_if.py builds on this module

        found = what_ifs(plan, facts, fired, outcomes, language)
        recommendations = [
            FunctionRecommendation(r.function, r.lead, r.levels, r.barriers, tuple(items))
            for r, items in zip(recommendations, found, strict=True)
        ]
    return Decision(True, None, rulebook.name, rulebook.version, tuple(recommendations))
