"""Every sentence the engine writes for the sample missions reads as prose, in English and in
French (issue 12): traces, barriers and their remedies, what-if sentences, the humanitarian
arrangement. The checks are the faults a reader found: a function name without its article
("The mission leads political process"), a singular verb after a plural name ("quick impact
projects has"), fact values as codes or bare labels ("open_combat", "force posture deterrent"),
doubled spaces or punctuation, a barrier listed twice."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace

import pytest

from integration.engine import Decision, default_rulebook, evaluate
from integration.engine.fact_specs import FACT_SPECS
from integration.engine.texts_en import (
    ENGINE_STEPS,
    HELD_FROM_ABOVE,
    NAMES_IN_SENTENCE,
    NOT_APPLICABLE_REASONS,
)
from integration.engine.texts_fr import (
    ENGINE_STEPS_FR,
    FUNCTION_NAMES_FR,
    HELD_FROM_ABOVE_FR,
    NOT_APPLICABLE_REASONS_FR,
    french_spacing,
)
from integration.engine.trace_texts import render, template_values
from tests.engine.sample_missions import sample_facts

LANGUAGES = ("en", "fr")


def decisions() -> Iterator[tuple[str, str, Decision]]:
    rulebook = default_rulebook()
    # The whole catalogue: each function's answer is the same whatever else is in the mandate,
    # and a planner may add any function to a sample assessment.
    for acronym, facts in sample_facts(whole_catalogue=True):
        for language in LANGUAGES:
            yield acronym, language, evaluate(facts, rulebook, what_if=True, language=language)


def sentences(decision: Decision) -> Iterator[tuple[str, str]]:
    """(where, sentence) for every sentence a reader sees."""
    if decision.reason:
        yield "reason", decision.reason
    if decision.humanitarian_arrangement:
        for rule in (
            decision.humanitarian_arrangement.rules + decision.humanitarian_arrangement.risks
        ):
            yield f"arrangement {rule.id}", rule.explanation
    for item in decision.recommendations:
        for level, level_decision in item.levels.items():
            for rule in level_decision.rules:
                yield f"{item.function} {level} {rule.id}", rule.explanation
        for barrier in item.barriers:
            where = f"{item.function} {barrier.level} barrier ({barrier.category})"
            yield where, barrier.explanation
            yield f"{where} remedy", barrier.remedy
        for change in item.what_if:
            yield f"{item.function} {change.level} what-if {change.fact}", change.sentence


# Function names that need an article in English ("the political process"), and those that are
# plural ("quick impact projects are").
NAMES_WITH_ARTICLE = ("political process",)
PLURAL_NAMES = ("quick impact projects", "elections")
SINGULAR_VERBS = "has|is|was|does|needs|runs|sits|carries|leads|stays|keeps|gets|takes|reaches"
# A fact's label followed by one of its values as words: "force posture deterrent".
LABELLED_VALUES = re.compile(
    "|".join(
        rf"\b{re.escape(spec.label)} {re.escape(value.replace('_', ' '))}\b"
        for spec in FACT_SPECS.values()
        if spec.kind == "enum" and spec.label
        for value in spec.choices
    ),
    re.IGNORECASE,
)
ENGLISH_SECTION_TITLES = re.compile(
    r"§[IVX.0-9]+ (Principles|Structural reforms|Integrating humanitarianism|Funding reforms"
    r"|Administrative and systemic reforms|Guidance|New initiatives|Reform strategic planning)"
)
SNAKE_CASE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
DOUBLED = re.compile(r"  |([,;:.!?])\s*\1|,\s*\.|\.\s*,|\(\s|\s\)|[{}]")


def english_faults(text: str) -> list[str]:
    faults = []
    for name in NAMES_WITH_ARTICLE:
        if re.search(rf"(?<!the )(?<!The )\b{name}\b", text, re.IGNORECASE):
            faults.append(f'"{name}" without its article')
    for name in PLURAL_NAMES:
        # the name as the subject: not after a preposition ("the plan for elections is")
        subject = rf"(?<!for )(?<!of )(?<!to )(?<!in )(?<!with )(?<!on )(?<!by )\b{name}"
        if match := re.search(rf"{subject} ({SINGULAR_VERBS})\b", text, re.IGNORECASE):
            faults.append(f'singular verb after a plural name: "{match.group()}"')
    if re.search(r"\s[,;:.]", text):
        faults.append("a space before punctuation")
    return faults


def french_faults(text: str) -> list[str]:
    # The project's French (the catalogue, the engine) sets a no-break space before : ; ? !
    # and inside guillemets, so no line starts with a colon.
    faults = []
    if match := re.search(r"[^\u00a0][:;?!]", text):
        faults.append(f'no no-break space before "{match.group()[-1]}": "{match.group()}"')
    if re.search(r"«(?!\u00a0)|(?<!\u00a0)»", text):
        faults.append("no no-break space inside guillemets")
    for name in FUNCTION_NAMES_FR.values():
        if match := re.search(rf"\b(de|à) {name}", text) if name.startswith("le") else None:
            faults.append(f'an article not contracted: "{match.group()}"')
    # The source's sections are cited by their French titles in French ("§VII Principes").
    if match := ENGLISH_SECTION_TITLES.search(text):
        faults.append(f'an English section title: "{match.group()}"')
    return faults


def faults_of(text: str, language: str) -> list[str]:
    faults = english_faults(text) if language == "en" else french_faults(text)
    if match := SNAKE_CASE.search(text):
        faults.append(f'a code in prose: "{match.group()}"')
    if match := LABELLED_VALUES.search(text):
        faults.append(f'a bare fact value: "{match.group()}"')
    if match := DOUBLED.search(text):
        faults.append(f'doubled space or punctuation: "{match.group()}"')
    if text[:1].islower():
        faults.append("opens in lower case")
    if not text.rstrip(")»").endswith((".", "?", "!")):
        faults.append("does not end a sentence")
    return faults


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_sentence_of_the_sample_missions_reads_as_prose(language: str) -> None:
    found = {
        f"{acronym} {where}: {fault} in «{text}»"
        for acronym, lang, decision in decisions()
        if lang == language
        for where, text in sentences(decision)
        for fault in faults_of(text, language)
    }
    assert sorted(found) == []


def test_no_barrier_and_no_rule_is_listed_twice() -> None:
    repeated = []
    for acronym, language, decision in decisions():
        for item in decision.recommendations:
            lines = Counter((b.level, b.explanation) for b in item.barriers)
            repeated += [
                f"{acronym} {language} {item.function} {line}" for line, n in lines.items() if n > 1
            ]
            for level, level_decision in item.levels.items():
                ids = Counter(rule.id for rule in level_decision.rules)
                repeated += [
                    f"{acronym} {item.function} {level} {i}" for i, n in ids.items() if n > 1
                ]
            sentences_ = Counter(change.sentence for change in item.what_if)
            repeated += [
                f"{acronym} {item.function} what-if {s}" for s, n in sentences_.items() if n > 1
            ]
    assert repeated == []


@pytest.mark.parametrize(
    ("text", "language", "fault"),
    [
        ("The mission leads political process.", "en", '"political process" without its article'),
        ("Quick impact projects has a barrier.", "en", "singular verb after a plural name"),
        ("Forces are in open_combat.", "en", 'a code in prose: "open_combat"'),
        ("While the peace process holds with force posture deterrent.", "en", "a bare fact value"),
        ("It stays  parallel.", "en", "doubled space"),
        ("It stays parallel..", "en", "doubled space or punctuation"),
        ("Le DDR: intégration complète.", "fr", 'no no-break space before ":"'),
        ("Le DDR : intégration complète.", "fr", 'no no-break space before ":"'),
        ("Le DDR\u00a0: «\u00a0intégration».", "fr", "no no-break space inside guillemets"),
        ("L'intégration de le DDR est partielle.", "fr", "an article not contracted"),
        ("Elle reste parallèle (§VII Principles).", "fr", "an English section title"),
    ],
)
def test_the_checks_catch_the_faults_a_reader_found(text: str, language: str, fault: str) -> None:
    assert any(found.startswith(fault) for found in faults_of(text, language))


def engine_step_sentences(language: str) -> Iterator[tuple[str, str]]:
    """The engine's own steps (few of them show in the sample missions), for every function."""
    steps = ENGINE_STEPS_FR if language == "fr" else {k: t for k, (_p, t) in ENGINE_STEPS.items()}
    held = HELD_FROM_ABOVE_FR if language == "fr" else HELD_FROM_ABOVE
    names = FUNCTION_NAMES_FR if language == "fr" else NAMES_IN_SENTENCE
    reasons = NOT_APPLICABLE_REASONS_FR if language == "fr" else NOT_APPLICABLE_REASONS
    degree = "partielle" if language == "fr" else "partial"
    level = "stratégique" if language == "fr" else "strategic"
    category = "planification" if language == "fr" else "planning"
    typography = french_spacing if language == "fr" else str  # as the engine renders them
    for code, name in names.items():
        words = {"function_name": name, "level": level, "degree": degree, "programmatic": degree}
        for step, template in steps.items():
            yield f"{step} {code}", typography(render(template, words))
        for level_name, (explanation, remedy) in held.items():
            words["category"] = category
            yield f"held from above {level_name} {code}", typography(render(explanation, words))
            yield f"held from above {level_name} {code} remedy", typography(render(remedy, words))
    yield from reasons.items()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_engines_own_steps_read_as_prose_for_every_function(language: str) -> None:
    found = {
        f"{where}: {fault} in «{text}»"
        for where, text in engine_step_sentences(language)
        for fault in faults_of(text, language)
    }
    assert sorted(found) == []


def every_rule_sentence(language: str) -> Iterator[tuple[str, str]]:
    """Every explanation and remedy of the default rulebook, for every function in each sample
    context, whether or not the rule fires there (a rule may fire on a planner's edit)."""
    rulebook = default_rulebook()
    for acronym, facts in sample_facts(whole_catalogue=True):
        shared = template_values(facts.context, None, language=language)
        for function in facts.functions:
            # a rule that quotes the planner's case fires only where there is one
            stated = replace(function, necessity="One chain of command is needed.")
            values = template_values(facts.context, stated, shared, language=language)
            for rule in rulebook.rules:
                french = language == "fr"
                texts = (
                    (rule.explanation_fr if french else rule.explanation),
                    (rule.effect.remedy_fr if french else rule.effect.remedy),
                )
                typography = french_spacing if french else str  # as the engine renders them
                for text in filter(None, texts):
                    yield (
                        f"{acronym} {function.function} {rule.id}",
                        typography(render(text, values)),
                    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_rule_reads_as_prose_for_every_function(language: str) -> None:
    found = {
        f"{where}: {fault} in «{text}»"
        for where, text in every_rule_sentence(language)
        for fault in faults_of(text, language)
    }
    assert sorted(found) == []
