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
    """What a fact may hold and how it reads. `kind` is one of `enum`, `bool`, `int_or_null`,
    `set`, `text`.

    `label` is the fact's English name as it reads inside a sentence ("presence type"),
    `vocabulary` its values with their English labels (enum and set facts), `default` the value
    a new assessment starts with (None: no default, or null for `int_or_null`), `maximum` the
    largest number an `int_or_null` fact accepts, or the most characters a `text` fact holds.
    `optional` marks a fact that came after the first release: the API body may leave it out
    (its default stands, and means "not stated") and the canonical form leaves it out at its
    default, so an earlier body or snapshot reads, and answers, as it did.
    """

    path: str
    kind: str
    choices: tuple[str, ...] = ()
    label: str = ""
    vocabulary: tuple[tuple[str, str], ...] = ()
    default: bool | str | None = None
    maximum: int | None = None
    optional: bool = False

    @property
    def name(self) -> str:
        """The fact's name inside its group: `phase` for `context.phase`."""
        return self.path.split(".", 1)[1]


def _enum(path: str, label: str, vocabulary: tuple[tuple[str, str], ...], **kw: Any) -> FactSpec:
    return FactSpec(path, "enum", values(vocabulary), label, vocabulary, **kw)


def _flag(path: str, label: str, *, default: bool = False, optional: bool = False) -> FactSpec:
    return FactSpec(path, "bool", label=label, default=default, optional=optional)


def _added(path: str, label: str) -> FactSpec:
    """A fact that came after the first release: optional, false (not stated) by default."""
    return _flag(path, label, optional=True)


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
    # Added with rulebook 2008.1 (domain.md §3): false means "not stated", which the rules read
    # as "not established" (a barrier names what establishing it would change).
    _added("context.military_perceived_partial", _("military perceived as a party")),
    _added("context.humanitarian_access_constrained", _("humanitarian access constrained")),
    _added("context.common_strategic_framework", _("common strategic framework")),
    _added("context.joint_monitoring", _("joint monitoring and evaluation")),
    _added("context.unct_surge_capacity", _("UNCT surge capacity")),
    _added("context.national_actors_in_planning", _("national actors in planning")),
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
    # The planner's own case that the desired impact needs one integrated programme (P2); blank
    # means none is stated. Added with rulebook 2008.1.
    FactSpec(
        "function.necessity",
        "text",
        label=_("necessity of one integrated programme"),
        default="",
        maximum=5_000,  # characters: the bound of every typed text (integration.text)
        optional=True,
    ),
)
CONTEXT_FACTS = tuple(spec.name for spec in CONTEXT_FACT_SPECS)
FUNCTION_FACTS = tuple(spec.name for spec in FUNCTION_FACT_SPECS)

FACT_SPECS: dict[str, FactSpec] = {
    **{spec.path: spec for spec in CONTEXT_FACT_SPECS},
    "function.code": FactSpec("function.code", "enum", tuple(s.code for s in FUNCTIONS)),
    **{spec.path: spec for spec in FUNCTION_FACT_SPECS},
}
