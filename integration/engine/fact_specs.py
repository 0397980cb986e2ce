"""The one table of facts (domain.md §3): every fact a rule may test, with its kind, allowed
values, English label and default. The rulebook loader and the what-if search read it, and so do
the models, forms, serializers, pages and sample data of the web layer (assessments/facts.py);
facts.py builds and validates the facts themselves. docs/facts.md says what a new fact needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .vocabulary import (
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

# A function whose funding the API body leaves out is taken to be paid from the mission's
# assessed budget: that is what a Security Council mandate gives a mission by default (§VI
# Funding), and it is the assumption that raises no funding barrier the user did not state.
DEFAULT_FUNDING_SOURCE = "assessed"


def _(text: str) -> str:
    """Mark a label for translation without importing Django (xgettext looks for `_`)."""
    return text


@dataclass(frozen=True, slots=True)
class FactSpec:
    """What a fact may hold and how it reads. `kind` is one of `enum`, `bool`, `int_or_null`, `set`.

    `label` is the fact's English name as it reads inside a sentence ("presence type"),
    `vocabulary` its values with their English labels (enum and set facts), `default` the value
    a new assessment starts with (None: no default, or null for `int_or_null`), `maximum` the
    largest number an `int_or_null` fact accepts.
    """

    path: str
    kind: str
    choices: tuple[str, ...] = ()
    label: str = ""
    vocabulary: tuple[tuple[str, str], ...] = ()
    default: bool | str | None = None
    maximum: int | None = None

    @property
    def name(self) -> str:
        """The fact's name inside its group: `phase` for `context.phase`."""
        return self.path.split(".", 1)[1]


def _enum(path: str, label: str, vocabulary: tuple[tuple[str, str], ...], **kw: Any) -> FactSpec:
    return FactSpec(path, "enum", values(vocabulary), label, vocabulary, **kw)


def _flag(path: str, label: str, *, default: bool = False) -> FactSpec:
    return FactSpec(path, "bool", label=label, default=default)


# The context facts of domain.md §3, in the contract's order, and the facts of one function.
# The months range is the same in the form, the model and the API serializer: a horizon past
# 20 years is a typo, not a plan.
CONTEXT_FACT_SPECS = (
    _enum("context.presence_type", _("presence type"), PRESENCE_TYPES),
    _flag("context.unct_present", _("UNCT present"), default=True),
    _enum("context.phase", _("phase"), PHASES, default="peacekeeping"),
    _enum("context.conflict_level", _("conflict level"), CONFLICT_LEVELS, default="low"),
    _enum("context.force_posture", _("force posture"), FORCE_POSTURES, default="none"),
    _enum("context.host_consent", _("host consent"), HOST_CONSENT, default="firm"),
    _enum("context.national_capacity", _("national capacity"), NATIONAL_CAPACITY, default="low"),
    _flag("context.hc_triple_hatted", _("HC triple-hatted (DSRSG/RC/HC)")),
    _flag("context.pooled_fund", _("pooled fund")),
    _flag("context.donors_in_planning", _("donors and IFIs in planning")),
    _flag("context.agency_service_agreements", _("agency service agreements permitted")),
    _flag("context.common_services", _("common services")),
    _enum("context.regional_partner", _("regional partner"), REGIONAL_PARTNER, default="none"),
    FactSpec(
        "context.drawdown_within_months",
        "int_or_null",
        label=_("drawdown within (months)"),
        maximum=240,
    ),
)
FUNCTION_FACT_SPECS = (
    FactSpec("function.dimensions", "set", values(DIMENSIONS), _("dimensions"), DIMENSIONS),
    _flag("function.conflicting_imperatives", _("conflicting imperatives")),
    _flag("function.unct_programmes", _("UNCT already runs programmes")),
    _enum(
        "function.funding_source",
        _("funding source"),
        FUNDING_SOURCES,
        default=DEFAULT_FUNDING_SOURCE,
    ),
)
# The six context facts of domain.md §3 that came after the first release, and the planner's
# own case for full integration (P2). Optional in the API body, false or empty by default, so
# an earlier answer stands unless a rule reads them (rulebook 2008.1 does). Engine-only for now:
# the web layer's tables (CONTEXT_FACT_SPECS, FUNCTION_FACT_SPECS) take them when their forms,
# fields and sample values come.
ADDED_CONTEXT_FACT_SPECS = (
    _flag("context.military_perceived_partial", _("military perceived as a party")),
    _flag("context.humanitarian_access_constrained", _("humanitarian access constrained")),
    _flag("context.common_strategic_framework", _("common strategic framework")),
    _flag("context.joint_monitoring", _("joint monitoring and evaluation")),
    _flag("context.unct_surge_capacity", _("UNCT surge capacity")),
    _flag("context.national_actors_in_planning", _("national actors in planning")),
)
NECESSITY_SPEC = FactSpec("function.necessity", "text", label=_("necessity"), default="")
CONTEXT_FACTS = tuple(spec.name for spec in CONTEXT_FACT_SPECS)
FUNCTION_FACTS = tuple(spec.name for spec in FUNCTION_FACT_SPECS)
ADDED_CONTEXT_FACTS = tuple(spec.name for spec in ADDED_CONTEXT_FACT_SPECS)
# Every context fact the engine reads, in the contract's order.
ENGINE_CONTEXT_FACTS = CONTEXT_FACTS + ADDED_CONTEXT_FACTS

FACT_SPECS: dict[str, FactSpec] = {
    **{spec.path: spec for spec in CONTEXT_FACT_SPECS},
    **{spec.path: spec for spec in ADDED_CONTEXT_FACT_SPECS},
    "function.code": FactSpec("function.code", "enum", tuple(s.code for s in FUNCTIONS)),
    **{spec.path: spec for spec in FUNCTION_FACT_SPECS},
    NECESSITY_SPEC.path: NECESSITY_SPEC,
}
