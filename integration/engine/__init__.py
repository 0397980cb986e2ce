"""The decision engine: pure Python, frozen dataclasses in, dataclasses out. Never imports Django.

    facts = facts_from_dict(body)                       # or build Facts(Context(...), (...))
    decision = evaluate(facts, default_rulebook(), what_if=True)
    payload = decision_to_dict(decision)                # the public JSON shape

See docs/engine.md for how rules combine and how to write one.
"""

from .conformance import ConformanceError, check_conformance, find_violation
from .decision import (
    Barrier,
    Decision,
    FiredRule,
    FunctionRecommendation,
    HumanitarianArrangement,
    LevelDecision,
    WhatIf,
    WhatIfAlternative,
    arrangement_to_dict,
    decision_to_dict,
    decision_to_json,
)
from .evaluate import evaluate
from .facts import (
    DEFAULT_FUNDING_SOURCE,
    FACT_SPECS,
    Context,
    ContradictoryFacts,
    FactError,
    Facts,
    FunctionFacts,
    context_contradictions,
    facts_from_dict,
    facts_to_dict,
    function_contradiction,
)
from .rulebook import (
    DEFAULT_RULEBOOK_PATH,
    Rule,
    Rulebook,
    RulebookError,
    default_rulebook,
    load_rulebook,
    shipped_rulebook,
)
from .violations import Violation

__all__ = (
    "DEFAULT_FUNDING_SOURCE",
    "DEFAULT_RULEBOOK_PATH",
    "FACT_SPECS",
    "Barrier",
    "ConformanceError",
    "Context",
    "ContradictoryFacts",
    "Decision",
    "FactError",
    "Facts",
    "FiredRule",
    "FunctionFacts",
    "FunctionRecommendation",
    "HumanitarianArrangement",
    "LevelDecision",
    "Rule",
    "Rulebook",
    "RulebookError",
    "Violation",
    "WhatIf",
    "WhatIfAlternative",
    "arrangement_to_dict",
    "check_conformance",
    "context_contradictions",
    "decision_to_dict",
    "decision_to_json",
    "default_rulebook",
    "evaluate",
    "facts_from_dict",
    "facts_to_dict",
    "find_violation",
    "function_contradiction",
    "load_rulebook",
    "shipped_rulebook",
)
