"""Assessments: the facts of one mission at one date, per context and per function."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from integration.choices import check, choices, fact_not_in_range, fact_not_one_of
from integration.engine import vocabulary as v
from integration.text import NOTES_MAX_LENGTH, TEXT_MAX_LENGTH, validate_xml_text
from missions.models import Function, Mission, UNEntity, validate_dimensions

# Context facts of domain.md §3, in the contract's order. Forms, selectors and the API use this
# list so a fact added here is added everywhere.
CONTEXT_FACTS = (
    "presence_type",
    "unct_present",
    "phase",
    "conflict_level",
    "force_posture",
    "host_consent",
    "national_capacity",
    "hc_triple_hatted",
    "pooled_fund",
    "donors_in_planning",
    "agency_service_agreements",
    "common_services",
    "regional_partner",
    "drawdown_within_months",
)
FUNCTION_FACTS = ("dimensions", "conflicting_imperatives", "unct_programmes", "funding_source")
DRAWDOWN_MAX_MONTHS = 240

# The error codes Django (and validate_dimensions) raise for a value outside a fact's allowed
# values; "required" and "duplicate" keep their own messages.
BAD_VALUE_CODES = frozenset(
    {"invalid", "invalid_choice", "invalid_nullable", "min_value", "max_value", "unknown_dimension"}
)


def fact_message(field: models.Field) -> Promise:
    """The message for a bad value of a fact: names the fact and what it accepts.

    It keeps %(value)s for the rejected value, so forms can use it as an error message too.
    """
    if field.name == "drawdown_within_months":
        return fact_not_in_range(field.verbose_name, 0, DRAWDOWN_MAX_MONTHS)
    if field.name == "dimensions":
        allowed = v.values(v.DIMENSIONS)
    elif isinstance(field, models.BooleanField):
        allowed = ("true", "false")
    else:
        allowed = tuple(value for value, _label in field.choices)
    return fact_not_one_of(field.verbose_name, allowed)


class FactValidationMixin:
    """Model mixin: a bad fact value is refused with a message naming the fact (see FACTS)."""

    FACTS: tuple[str, ...] = ()

    def clean_fields(self, exclude=None) -> None:
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            raise ValidationError(
                {
                    name: [self._fact_error(name, item) for item in items]
                    for name, items in error.error_dict.items()
                }
            ) from None

    def _fact_error(self, name: str, error: ValidationError) -> ValidationError:
        if name not in self.FACTS or error.code not in BAD_VALUE_CODES:
            return error
        params = error.params or {}
        # validate_dimensions names the unknown codes; Django's own validators the value.
        value = params.get("unknown", params.get("value", getattr(self, name)))
        return ValidationError(
            fact_message(self._meta.get_field(name)), code=error.code, params={"value": value}
        )


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def visible_to(self, user) -> AssessmentQuerySet:
        """Every signed-in user (planner, viewer, HQ reviewer, admin) reads every assessment."""
        if not user.is_authenticated:
            return self.none()
        return self

    def editable_by(self, user) -> AssessmentQuerySet:
        """Assessments of the missions `user` plans for (admins: all)."""
        return self.filter(mission__in=Mission.objects.editable_by(user))


class Assessment(FactValidationMixin, models.Model):
    """The context of one mission at one date, and its review status."""

    FACTS = CONTEXT_FACTS

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        UNDER_REVIEW = "under_review", _("Under review")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="assessments")
    as_of = models.DateField(_("as of"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # Optimistic locking: every write bumps it with `UPDATE ... WHERE version = %s`.
    version = models.PositiveIntegerField(_("version"), default=1)
    notes = models.TextField(
        _("notes"),
        blank=True,
        max_length=NOTES_MAX_LENGTH,
        validators=[validate_xml_text],
        help_text=_("Sources for the facts, and where the sources are silent."),
    )

    presence_type = models.CharField(
        _("presence type"), max_length=30, choices=choices(v.PRESENCE_TYPES)
    )
    unct_present = models.BooleanField(_("UNCT present"), default=True)
    phase = models.CharField(_("phase"), max_length=30, choices=choices(v.PHASES))
    conflict_level = models.CharField(
        _("conflict level"), max_length=10, choices=choices(v.CONFLICT_LEVELS)
    )
    force_posture = models.CharField(
        _("force posture"), max_length=20, choices=choices(v.FORCE_POSTURES)
    )
    host_consent = models.CharField(
        _("host consent"), max_length=10, choices=choices(v.HOST_CONSENT)
    )
    national_capacity = models.CharField(
        _("national capacity"), max_length=10, choices=choices(v.NATIONAL_CAPACITY)
    )
    hc_triple_hatted = models.BooleanField(_("HC triple-hatted (DSRSG/RC/HC)"), default=False)
    pooled_fund = models.BooleanField(_("pooled fund"), default=False)
    donors_in_planning = models.BooleanField(_("donors and IFIs in planning"), default=False)
    agency_service_agreements = models.BooleanField(
        _("agency service agreements permitted"), default=False
    )
    common_services = models.BooleanField(_("common services"), default=False)
    regional_partner = models.CharField(
        _("regional partner"), max_length=20, choices=choices(v.REGIONAL_PARTNER), default="none"
    )
    drawdown_within_months = models.PositiveSmallIntegerField(
        _("drawdown within (months)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(DRAWDOWN_MAX_MONTHS)],
    )

    # The newest evaluation, kept as a pointer so pages and the API read an assessment's
    # recommendations with one join instead of a "latest per group" subquery.
    current_evaluation = models.ForeignKey(
        "Evaluation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ("mission__acronym", "-as_of", "-id")
        get_latest_by = ("as_of", "id")
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        indexes = [models.Index(fields=("mission", "-as_of"), name="assessment_mission_asof")]
        constraints = [
            check("presence_type", v.PRESENCE_TYPES, prefix="assessment"),
            check("phase", v.PHASES, prefix="assessment"),
            check("conflict_level", v.CONFLICT_LEVELS, prefix="assessment"),
            check("force_posture", v.FORCE_POSTURES, prefix="assessment"),
            check("host_consent", v.HOST_CONSENT, prefix="assessment"),
            check("national_capacity", v.NATIONAL_CAPACITY, prefix="assessment"),
            check("regional_partner", v.REGIONAL_PARTNER, prefix="assessment"),
            models.CheckConstraint(
                condition=Q(
                    status__in=["draft", "submitted", "under_review", "approved", "returned"]
                ),
                name="assessment_status_valid",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="assessment_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.mission} · {self.as_of}"


class FunctionAssessment(FactValidationMixin, models.Model):
    """The facts of one function inside an assessment."""

    FACTS = FUNCTION_FACTS

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="function_assessments"
    )
    function = models.ForeignKey(Function, on_delete=models.PROTECT, related_name="+")
    in_mandate = models.BooleanField(
        _("part of the mandate"),
        default=True,
        help_text=_("Untick when the function is not part of this mission's mandate."),
    )
    dimensions = models.JSONField(_("dimensions"), default=list, validators=[validate_dimensions])
    conflicting_imperatives = models.BooleanField(_("conflicting imperatives"), default=False)
    unct_programmes = models.BooleanField(_("UNCT already runs programmes"), default=False)
    funding_source = models.CharField(
        _("funding source"), max_length=30, choices=choices(v.FUNDING_SOURCES), default="assessed"
    )
    desired_impact = models.TextField(
        _("desired impact"),
        blank=True,
        max_length=TEXT_MAX_LENGTH,
        validators=[validate_xml_text],
    )
    involved_entities = models.ManyToManyField(
        UNEntity, blank=True, related_name="+", verbose_name=_("involved entities")
    )

    class Meta:
        ordering = ("assessment", "function__position")
        verbose_name = _("function assessment")
        verbose_name_plural = _("function assessments")
        constraints = [
            models.UniqueConstraint(
                fields=("assessment", "function"),
                name="functionassessment_unique",
                violation_error_message="This function is already assessed in the assessment.",
            ),
            check("funding_source", v.FUNDING_SOURCES, prefix="functionassessment"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.function.code}"


class Evaluation(models.Model):
    """One run of the engine over an assessment: the rulebook, the facts snapshot, the answer.

    Replaying `facts` under `rulebook` gives `applicable`, `reason` and the `recommendations`
    rows again, every rule and barrier word for word (invariant 8). The newest evaluation of an
    assessment is its current recommendation; re-evaluation under a new rulebook adds one beside
    the old ones instead of replacing them.
    """

    class Trigger(models.TextChoices):
        SUBMIT = "submit", _("Submitted")
        ON_DEMAND = "on_demand", _("Computed on demand")
        REEVALUATE = "reevaluate", _("Re-evaluated")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="evaluations")
    rulebook = models.ForeignKey(
        "integration.Rulebook", on_delete=models.PROTECT, related_name="evaluations"
    )
    assessment_version = models.PositiveIntegerField(_("assessment version"))
    facts = models.JSONField(_("facts snapshot"))
    applicable = models.BooleanField(_("applicable"))
    reason = models.TextField(_("reason"), blank=True)
    trigger = models.CharField(_("trigger"), max_length=20, choices=Trigger.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("assessment", "-id")
        get_latest_by = "id"
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        indexes = [models.Index(fields=("assessment", "-id"), name="evaluation_assessment_latest")]

    def __str__(self) -> str:
        return f"{self.assessment} · rulebook {self.rulebook_id} · #{self.pk}"


class Recommendation(models.Model):
    """The engine's answer for one function at one level, inside an evaluation."""

    # No single-column indexes: the unique (evaluation, function, level) index serves every
    # lookup, and re-evaluation writes 36 rows per assessment, so each extra index costs.
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="recommendations", db_index=False
    )
    function = models.ForeignKey(
        Function, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    level = models.CharField(_("level"), max_length=20, choices=choices(v.LEVELS))
    lead = models.CharField(_("lead"), max_length=30, choices=choices(v.LEADS))
    degree = models.CharField(_("degree"), max_length=10, choices=choices(v.DEGREES))
    feasible_degree = models.CharField(
        _("feasible degree"), max_length=10, choices=choices(v.DEGREES)
    )
    rules = models.JSONField(_("rules that fired"), default=list)
    barriers = models.JSONField(_("barriers at this level"), default=list)

    class Meta:
        ordering = ("evaluation", "function__position", "level")
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            models.UniqueConstraint(
                fields=("evaluation", "function", "level"), name="recommendation_unique"
            ),
            check("level", v.LEVELS, prefix="recommendation"),
            check("lead", v.LEADS, prefix="recommendation"),
            check("degree", v.DEGREES, prefix="recommendation"),
            check("feasible_degree", v.DEGREES, prefix="recommendation"),
        ]

    def __str__(self) -> str:
        return f"{self.function_id} · {self.level}: {self.degree}/{self.feasible_degree}"


class ReviewComment(models.Model):
    """A comment on an assessment; returning one to its planners requires one."""

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Comment")
        RETURN = "return", _("Returned with comment")
        APPROVE = "approve", _("Approved with comment")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    body = models.TextField(
        _("comment"), max_length=TEXT_MAX_LENGTH, validators=[validate_xml_text]
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ("assessment", "created_at", "id")
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
        constraints = [
            models.CheckConstraint(
                condition=~Q(body=""),
                name="reviewcomment_body_required",
                violation_error_message="A comment needs text.",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["comment", "return", "approve"]),
                name="reviewcomment_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.kind} by {self.author}"


class Override(models.Model):
    """An HQ reviewer's degree for one function and level; the engine's answer stays beside it.

    At most one override stands per (assessment, function, level); a new one replaces it and
    the history keeps the old.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="overrides")
    function = models.ForeignKey(Function, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("level"), max_length=20, choices=choices(v.LEVELS))
    degree = models.CharField(_("degree"), max_length=10, choices=choices(v.DEGREES))
    justification = models.TextField(
        _("justification"), max_length=TEXT_MAX_LENGTH, validators=[validate_xml_text]
    )
    evaluation = models.ForeignKey(
        Evaluation,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        help_text=_("The evaluation whose answer was overridden."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ("assessment", "function__position", "level")
        verbose_name = _("override")
        verbose_name_plural = _("overrides")
        constraints = [
            models.UniqueConstraint(
                fields=("assessment", "function", "level"),
                name="override_unique",
                violation_error_message="This recommendation is already overridden.",
            ),
            models.CheckConstraint(
                condition=~Q(justification=""),
                name="override_justification_required",
                violation_error_message="An override needs a justification.",
            ),
            check("level", v.LEVELS, prefix="override"),
            check("degree", v.DEGREES, prefix="override"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.function_id} · {self.level} → {self.degree}"


class HistoryEntry(models.Model):
    """Who changed what and when, per assessment (append-only)."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        SAVED = "saved", _("Saved")
        SUBMITTED = "submitted", _("Submitted")
        REVIEW_STARTED = "review_started", _("Review started")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")
        OVERRIDDEN = "overridden", _("Recommendation overridden")
        EVALUATED = "evaluated", _("Recommendations computed")
        COMMENTED = "commented", _("Commented")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="history")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    # {"field or function.field": [before, after]} for saves; free details otherwise.
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ("assessment", "-created_at", "-id")
        verbose_name = _("history entry")
        verbose_name_plural = _("history entries")

    def __str__(self) -> str:
        return f"{self.assessment} · {self.action} by {self.actor}"
