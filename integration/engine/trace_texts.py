"""The plain-language trace: rule and engine-step templates filled with the facts, in English or
French, each rendered record memoised in the rulebook's plan (a sentence depends only on its
templates, the language and the few facts the templates name)."""

from __future__ import annotations

from functools import cache
from string import Formatter

from .combine import Outcome
from .decision import Barrier, FiredRule
from .facts import CONTEXT_FACTS, Context, FunctionFacts
from .plan import DEGREE_NAMES, LEVEL_NAMES, Plan
from .texts_en import ENGINE_STEPS, HELD_FROM_ABOVE, NAMES_IN_SENTENCE, SET_ASIDE
from .texts_fr import (
    CATEGORY_NAMES_FR,
    DEGREE_NAMES_FR,
    ENGINE_STEPS_FR,
    FACT_VALUES_FR,
    FUNCTION_NAMES_FR,
    HELD_FROM_ABOVE_FR,
    LEVEL_NAMES_FR,
    SET_ASIDE_FR,
    YES_NO_NONE_FR,
    french_spacing,
)


@cache
def template_placeholders(template: str) -> tuple[str, ...]:
    return tuple(name for _text, name, _spec, _conv in Formatter().parse(template) if name)


def render(template: str, values: dict[str, str]) -> str:
    """A template filled in, its first letter upper case (a function name may open it)."""
    text = template.format(**values)
    return text[:1].upper() + text[1:] if template[:1] == "{" else text


def value_in_english(value: object) -> str:
    """A fact value as it reads in an English sentence (true: yes, `open_combat`: open combat)."""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if value is None:
        return "none"
    return str(value).replace("_", " ")


def value_in_french(name: str, value: object) -> str:
    """A value of fact `name` as it reads in a French sentence (English where none is given)."""
    if value is True or value is False or value is None:
        return YES_NO_NONE_FR[value_in_english(value)]
    return FACT_VALUES_FR.get(name, {}).get(str(value)) or value_in_english(value)


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
            name: value_in_french(name, getattr(context, name))
            if french
            else value_in_english(getattr(context, name))
            for name in CONTEXT_FACTS
        }
    values = dict(shared)
    if function is not None:
        show = value_in_french if french else (lambda _name, value: value_in_english(value))
        values.update(
            function=function.function,
            function_name=(FUNCTION_NAMES_FR if french else NAMES_IN_SENTENCE)[function.function],
            dimensions=", ".join(show("dimensions", d) for d in function.dimensions),
            funding_source=show("funding_source", function.funding_source),
            conflicting_imperatives=show(
                "conflicting_imperatives", function.conflicting_imperatives
            ),
            unct_programmes=show("unct_programmes", function.unct_programmes),
            necessity=function.necessity,  # the planner's own words, quoted as given
        )
    return values


# Which function attribute a function placeholder reads ({function_name} reads the code).
FUNCTION_PLACEHOLDER_FIELDS = {
    "function": "function",
    "function_name": "function",
    "dimensions": "dimensions",
    "funding_source": "funding_source",
    "conflicting_imperatives": "conflicting_imperatives",
    "unct_programmes": "unct_programmes",
    "necessity": "necessity",
}


READS_FUNCTION_NAME_ONLY = ((True, "function"),)


@cache
def template_reads(*templates: str) -> tuple[tuple[bool, str], ...]:
    """The facts some templates name, as (is a function fact, attribute), in a stable order."""
    names = {name for template in templates for name in template_placeholders(template)}
    return tuple(
        sorted(
            {
                (n in FUNCTION_PLACEHOLDER_FIELDS, FUNCTION_PLACEHOLDER_FIELDS.get(n, n))
                for n in names
            }
        )
    )


def _remember(memo: dict, key: tuple, value):
    """Keep a rendered record in a plan's `texts` and return it (bounded: varied facts over a
    long run start afresh). A sentence depends only on its templates, the language and the few
    facts the templates name, so a whole re-evaluation renders few distinct ones."""
    if len(memo) > 100_000:
        memo.clear()
    memo[key] = value
    return value


class ContextValues:
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


class TraceTexts:
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
        shared: ContextValues,
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

    def _sentence(self, english: str, french: str) -> str:
        if self.language == "fr" and french:
            return french_spacing(render(french, self.values("fr")))
        return render(english, self.values("en"))

    def _memo_key(self, index: int) -> tuple:
        reads = self.memo.get(index)
        if reads is None:
            rule = self.plan.rules[index]
            effect = rule.effect
            reads = self.memo[index] = template_reads(
                rule.explanation, rule.explanation_fr, effect.remedy, effect.remedy_fr
            )
        context, function = self.context, self.function
        if (
            reads == READS_FUNCTION_NAME_ONLY and function is not None
        ):  # most rules: {function_name} only
            return (index, self.language, function.function)
        return (
            index,
            self.language,
            *[getattr(function if of_function else context, name) for of_function, name in reads],
        )

    def fired(self, index: int) -> FiredRule:
        key = self._memo_key(index)
        found = self.memo.get(key)
        if found is None:
            rule = self.plan.rules[index]
            text = self._sentence(rule.explanation, rule.explanation_fr)
            found = _remember(self.memo, key, FiredRule(rule.id, rule.principle, text))
        return found

    def set_aside(self, entry: int | FiredRule, by: str) -> FiredRule:
        """A rule (or engine step) that fired but did not decide, marked with what overrode
        it (invariant 13), so the trace never reads it as the decision."""
        fired = self.fired(entry) if isinstance(entry, int) else entry
        key = ("set_aside", fired, by, self.language)
        found = self.memo.get(key)
        if found is None:
            if self.language == "fr":
                text = french_spacing(SET_ASIDE_FR.format(by=by, explanation=fired.explanation))
            else:
                text = SET_ASIDE.format(by=by, explanation=fired.explanation)
            found = _remember(self.memo, key, FiredRule(fired.id, fired.principle, text))
        return found

    def barrier(self, index: int) -> Barrier:
        key = ("barrier", *self._memo_key(index))
        found = self.memo.get(key)
        if found is None:
            rule = self.plan.rules[index]
            effect = rule.effect
            barrier = Barrier(
                category=effect.category,
                level=effect.levels[0],
                explanation=self._sentence(rule.explanation, rule.explanation_fr),
                remedy=self._sentence(effect.remedy, effect.remedy_fr),
            )
            found = _remember(self.memo, key, barrier)
        return found

    def held_from_above(self, level: int, category: str) -> Barrier:
        """The barrier of a level the level above holds down (step 8b), one per category."""
        code = self.function.function if self.function else ""
        key = ("held", self.language, level, category, code)
        found = self.memo.get(key)
        if found is None:
            level_name = LEVEL_NAMES[level]
            if self.language == "fr":
                explanation, remedy = HELD_FROM_ABOVE_FR[level_name]
                words = {"category": CATEGORY_NAMES_FR[category]}
            else:
                explanation, remedy = HELD_FROM_ABOVE[level_name]
                words = {"category": category.replace("_", " ")}
            words["function_name"] = self.values(self.language)["function_name"]
            typography = french_spacing if self.language == "fr" else str
            barrier = Barrier(
                category=category,
                level=level_name,
                explanation=typography(render(explanation, words)),
                remedy=typography(render(remedy, words)),
            )
            found = _remember(self.memo, key, barrier)
        return found

    def step(self, step: tuple[str, str], level: int, outcome: Outcome) -> FiredRule:
        stage = step[1]
        result = outcome.feasible if stage == "feasibility" else outcome.degree
        code = self.function.function if self.function else ""
        key = (step, self.language, level, result[level], result[1], code)
        found = self.memo.get(key)
        if found is None:
            found = _remember(self.memo, key, self._engine_step(step, level, result))
        return found

    def _engine_step(self, step: tuple[str, str], level: int, result: tuple[int, ...]) -> FiredRule:
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
        text = render(template, values)
        return FiredRule(
            rule_id, principle, french_spacing(text) if self.language == "fr" else text
        )
